"""Page strings, from one file per language (messages/<language>.yaml), so that an edition in
another language is a second file and a parameter, not a change to the page code."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .load import parse_yaml

FOLDER = Path(__file__).resolve().parent / "messages"
DEFAULT_LANGUAGE = "en"


class MessageError(KeyError):
    """A key the language's file does not have (a bug in the code or the file, not bad input)."""


@dataclass(frozen=True)
class Messages:
    language: str
    strings: dict

    def __call__(self, key: str, **values) -> str:
        try:
            text = self.strings[key]
        except KeyError:
            raise MessageError(f"{FOLDER / (self.language + '.yaml')}: no message {key!r}") from None
        return text.format(**values) if values else text

    def pick(self, key: str, name: str) -> str:
        """One entry of a message that is a mapping (kinds: {topics: Topics, …})."""
        return self.strings[key][name]

    def date(self, text: str) -> str:
        """'2019-10-02' -> '2 October 2019', '2019-10' -> 'October 2019', '2019' -> '2019'."""
        parts = text.split("-")
        if len(parts) == 1:
            return parts[0]
        month = self.strings["months"][int(parts[1]) - 1]
        if len(parts) == 2:
            return self("date_month", month=month, year=parts[0])
        return self("date_day", day=int(parts[2]), month=month, year=parts[0])


@functools.lru_cache(maxsize=8)
def messages(language: str = DEFAULT_LANGUAGE) -> Messages:
    data, _ = parse_yaml((FOLDER / f"{language}.yaml").read_text(encoding="utf-8"))
    return Messages(language=language, strings=data)
