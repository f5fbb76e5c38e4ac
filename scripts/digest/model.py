"""Stage 3: turn valid raw entries into typed Entry objects and the indexes the renderers need.

All orderings are total (ties broken by id) so every build of the same input is byte-identical.
"""
from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .figures import Ledger
from .load import ENTRY_NAME, RawEntry
from .paths import entry_page, page_url
from .schema import STATUSES
from .vocab import KINDS, Vocabulary

# The claim statuses, in the schema's order (documented, reported, disputed, debunked): declared once there.
STATUS_LABELS = {status: status.capitalize() for status in STATUSES}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(frozen=True)
class Source:
    publisher: str          # publisher id, aliases resolved
    title: str
    date: str
    language: str
    primary: bool
    url: str = ""           # the original's own address, when known
    via: str = ""           # the copy read, when it is not the original
    title_en: str = ""

    @property
    def link(self) -> str:
        """The address a reader can open: the original, else the copy."""
        return self.url or self.via

    @property
    def is_bracketed(self) -> bool:
        """A description in square brackets stands in for a page that has no title."""
        return self.title.startswith("[") and self.title.endswith("]")


@dataclass(frozen=True)
class Correction:
    date: str
    note: str               # what changed
    reason: str             # why


@dataclass(frozen=True)
class Entry:
    id: str                 # the slug: stable, unique across the timeline, used in URLs and GUIDs
    path: str               # source file, for messages and "edit this entry" links
    title: str
    summary: str
    date: str               # as written: YYYY, YYYY-MM or YYYY-MM-DD
    added: str
    updated: str
    reviewed: str           # last checked against its sources
    topics: tuple
    places: tuple
    entities: tuple
    status: str
    sources: tuple
    corrections: tuple
    body: str

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def url(self) -> str:
        """Site-relative URL of the entry page, without a leading slash."""
        return page_url(entry_page(self))

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.date)]

    def __hash__(self) -> int:
        # Entries key the caches of a live server (digest.pipeline.Memo): hashed once, not per lookup.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, name) for name in ENTRY_FIELDS))
            object.__setattr__(self, "_hash", cached)
        return cached

    @functools.cached_property
    def sort_key(self) -> tuple:
        """Event order: a month-precision event sorts after that month's dated days."""
        padded = self.date + {4: "-99-99", 7: "-99", 10: ""}[len(self.date)]
        return (padded, self.id)

    @functools.cached_property
    def last_changed(self) -> str:
        return max(self.updated or self.added, max((c.date for c in self.corrections), default=""))

    @functools.cached_property
    def modified(self) -> str:
        """Last reviewed, updated or corrected: what the page's modification date says."""
        return max(self.last_changed, self.reviewed)

    @property
    def has_primary_source(self) -> bool:
        return any(source.primary for source in self.sources)

    def terms(self, kind: str) -> tuple:
        return getattr(self, kind)


ENTRY_FIELDS = tuple(field.name for field in dataclasses.fields(Entry))


def display_date(text: str) -> str:
    """'2019-10-02' -> '2 October 2019', '2019-10' -> 'October 2019', '2019' -> '2019'."""
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def build_source(data: dict, vocab: Vocabulary) -> Source:
    publisher = vocab.sources.publisher(data["publisher"])
    return Source(publisher=publisher.id, title=data["title"].strip(), date=data["date"],
                  language=data["language"], primary=data["primary"], url=data.get("url", ""),
                  via=data.get("via", ""), title_en=data.get("title_en", "").strip())


def build_entry(raw: RawEntry, vocab: Vocabulary) -> Entry:
    data = raw.data
    slug = ENTRY_NAME.match(Path(raw.path).name)["slug"]
    return Entry(
        id=slug, path=raw.path, title=data["title"].strip(), summary=" ".join(data["summary"].split()),
        date=data["date"], added=data["added"], updated=data.get("updated", ""), reviewed=data["reviewed"],
        topics=tuple(data["topics"]), places=tuple(data.get("places", ())),
        entities=tuple(data.get("entities", ())), status=data["status"],
        sources=tuple(build_source(source, vocab) for source in data["sources"]),
        corrections=tuple(Correction(**fix) for fix in data.get("corrections", ())),
        body=raw.body.strip() + "\n",
    )


@dataclass
class Timeline:
    entries: list            # newest event first
    vocab: Vocabulary
    by_id: dict = field(default_factory=dict)
    by_year: dict = field(default_factory=dict)    # year -> entries, newest first
    by_term: dict = field(default_factory=dict)    # (kind, id) -> entries, newest first
    ledger: Ledger = field(default_factory=lambda: Ledger({}, []))   # the statistics ledger

    @property
    def years(self) -> list:
        return sorted(self.by_year, reverse=True)

    def latest_added(self, limit: int) -> list:
        """Most recently published entries: feeds and the home page list these."""
        return sorted(self.entries, key=lambda e: (e.added, e.sort_key), reverse=True)[:limit]

    def used_terms(self, kind: str) -> list:
        """Terms of a vocabulary that at least one entry uses, by English name."""
        terms = [self.vocab.get(kind, term_id) for (k, term_id) in self.by_term if k == kind]
        return sorted(terms, key=lambda term: (term.name.lower(), term.id))

    @property
    def last_added(self) -> str:
        return max((e.last_changed for e in self.entries), default="1970-01-01")


def build_timeline(raw_entries: list[RawEntry], vocab: Vocabulary) -> Timeline:
    """Build the model from entries that passed validation."""
    entries = sorted((build_entry(raw, vocab) for raw in raw_entries), key=lambda e: e.sort_key, reverse=True)
    timeline = Timeline(entries=entries, vocab=vocab)
    by_year, by_term = defaultdict(list), defaultdict(list)
    for entry in entries:                      # one pass; lists stay in newest-first order
        timeline.by_id[entry.id] = entry
        by_year[entry.year].append(entry)
        for kind in KINDS:
            for term_id in entry.terms(kind):
                by_term[(kind, term_id)].append(entry)
    timeline.by_year, timeline.by_term = dict(by_year), dict(by_term)
    return timeline
