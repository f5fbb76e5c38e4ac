"""Controlled vocabularies (topics, places, entities) kept as data in timeline/vocab/*.yaml."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .load import Problem, display_path, load_vocab_file

KINDS = ("topics", "places", "entities")
REQUIRED = ("id", "name", "name_zh", "pinyin", "description")
OPTIONAL = ("aliases", "kind", "lat", "lon")


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    name_zh: str
    pinyin: str
    description: str
    aliases: tuple = ()
    kind: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass
class Vocabulary:
    terms: dict = field(default_factory=lambda: {kind: {} for kind in KINDS})

    def knows(self, kind: str, term_id: str) -> bool:
        return term_id in self.terms[kind]

    def get(self, kind: str, term_id: str) -> Term:
        return self.terms[kind][term_id]

    def suggest(self, kind: str, term_id: str) -> str | None:
        """Closest known id, matching ids and also names and aliases (so 'spc' finds the court)."""
        if not isinstance(term_id, str):
            return None
        lookup = {}
        for term in self.terms[kind].values():
            for label in (term.id, term.name, *term.aliases):
                lookup.setdefault(str(label).lower(), term.id)
        match = difflib.get_close_matches(term_id.lower(), list(lookup), n=1, cutoff=0.6)
        return lookup[match[0]] if match else None


def load_vocabulary(vocab_dir: Path, root: Path) -> tuple[Vocabulary, list[Problem]]:
    vocab, problems = Vocabulary(), []
    for kind in KINDS:
        path = vocab_dir / f"{kind}.yaml"
        shown = display_path(path, root)
        if not path.exists():
            problems.append(Problem(shown, 1, f"vocabulary file is missing; expected a YAML list of {kind}"))
            continue
        data, lines, read_problems = load_vocab_file(path, shown)
        problems.extend(read_problems)
        for index, item in enumerate(data):
            line = lines.get((index,), 1)
            term, term_problems = _parse_term(item, kind)
            problems.extend(Problem(shown, line, message) for message in term_problems)
            if term is None:
                continue
            if term.id in vocab.terms[kind]:
                problems.append(Problem(shown, line, f"duplicate {kind} id '{term.id}'"))
            vocab.terms[kind][term.id] = term
    return vocab, problems


def _parse_term(item, kind: str) -> tuple[Term | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"each {kind} term must be a mapping with {', '.join(REQUIRED)}"]
    errors = [f"term {item.get('id', '?')!r}: missing field '{name}'" for name in REQUIRED
              if not isinstance(item.get(name), str) or not item.get(name)]
    errors += [f"term {item.get('id', '?')!r}: unknown field '{name}'" for name in item
               if name not in REQUIRED + OPTIONAL]
    if kind == "places" and not all(isinstance(item.get(k), (int, float)) for k in ("lat", "lon")):
        errors.append(f"term {item.get('id', '?')!r}: places need numeric lat and lon")
    if errors:
        return None, errors
    aliases = item.get("aliases") or []
    return Term(id=item["id"], name=item["name"], name_zh=item["name_zh"], pinyin=item["pinyin"],
                description=item["description"], aliases=tuple(str(a) for a in aliases),
                kind=item.get("kind", ""), lat=item.get("lat"), lon=item.get("lon")), []
