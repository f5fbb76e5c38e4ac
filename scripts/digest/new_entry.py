"""`make new`: start an entry from timeline/TEMPLATE.md at the right path, with ids suggested.

The file it writes passes `make check` as it stands (so the contributor's first check is about their
own edits), and every value the contributor must still write says TODO.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import slug
from .load import ENTRY_NAME, display_path, find_entry_files
from .validate import load_schema, parse_partial_date
from .vocab import KINDS, Vocabulary, load_vocabulary

TODO_SUMMARY = "TODO: one or two plain sentences, at most 300 characters: what happened and why it matters."
TODO_BODY = ("TODO: explain the event in your own words: what happened, who decided it, what it changed, "
             "and what the sources disagree about. Give Chinese terms in hanzi and pinyin the first time, "
             "for example 失信被执行人 (shīxìn bèi zhíxíng rén). Never name private individuals.\n")


class NewEntryError(Exception):
    """A request `make new` refuses; the message says why and what to do."""


@dataclass
class NewEntry:
    path: Path
    shown: str
    suggested: dict = field(default_factory=dict)   # kind -> [ids] found in the title (and URL)
    fallback_topic: str = ""                        # set when no topic matched the title


# ---------------------------------------------------------------- inputs

def check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise NewEntryError('TITLE is empty; expected make new TITLE="What happened" DATE=YYYY-MM-DD')
    if len(title) > 120:
        raise NewEntryError(f"TITLE is {len(title)} characters long; expected at most 120")
    return title


def check_date(date: str, today: dt.date) -> str:
    date = (date or "").strip()
    parsed = parse_partial_date(date)
    if parsed is None:
        raise NewEntryError(f"DATE is {date!r}; expected a real date as YYYY-MM-DD, YYYY-MM or YYYY")
    if parsed > today:
        raise NewEntryError(f"DATE is {date!r}, in the future; the timeline records events that have happened")
    return date


def check_url(url: str | None) -> str | None:
    if not url:
        return None
    pattern = load_schema()["$defs"]["source"]["properties"]["url"]["pattern"]
    if not re.match(pattern, url) or not urlsplit(url).hostname:
        raise NewEntryError(f"URL is {url[:80]!r}; expected an http:// or https:// address")
    return url


# ---------------------------------------------------------------- slug

def _has_cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)


def slugify(title: str, vocab: Vocabulary) -> str:
    """The entry's slug (digest.slug): pinyin for the vocabulary's Chinese names."""
    names = {term.name_zh: term.pinyin for kind in KINDS for term in vocab.terms[kind].values()}
    return slug.slugify(title, names) or "entry"


def used_slugs(timeline: Path) -> set:
    return {match["slug"] for path in find_entry_files(timeline) if (match := ENTRY_NAME.match(path.name))}


def unique_slug(slug: str, used: set) -> str:
    candidate, number = slug, 2
    while candidate in used:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


# ---------------------------------------------------------------- suggestions

def _labels(term) -> list:
    name = re.sub(r"\s*\([^)]*\)", "", term.name)     # "China (national)" is mentioned as "China"
    return [label for label in {term.name, name, term.name_zh, *term.aliases} if label]


def mentions(text: str, label: str) -> bool:
    """Whole-word match; Chinese labels match anywhere and acronyms (SPC, BIS) only in capitals."""
    label = label.replace("’", "'")
    if _has_cjk(label):
        return label in text
    flags = 0 if label.isupper() else re.I
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(label)}(?![A-Za-z0-9])", text, flags) is not None


def suggest_ids(text: str, vocab: Vocabulary) -> dict:
    """kind -> ids whose name, Chinese name or alias the text mentions, in vocabulary order."""
    text = text.replace("’", "'")
    return {kind: [term.id for term in vocab.terms[kind].values()
                   if any(mentions(text, label) for label in _labels(term))] for kind in KINDS}


# ---------------------------------------------------------------- the file

def source_fields(url: str | None, date: str, vocab: Vocabulary) -> dict:
    """The first source: its publisher found from the address's host in timeline/vocab/publishers.yaml."""
    if url is None:
        return {"source_title": "TODO: the title of a page you read",
                "publisher": "TODO: a publisher id from timeline/vocab/publishers.yaml",
                "url": "https://example.org/TODO-the-address-of-the-page", "date": date,
                "language": "en", "primary": "false"}
    host = (urlsplit(url).hostname or "").lower()
    publisher = vocab.sources.owner_of(host)
    language = publisher.language if publisher else ("zh-Hans" if host.endswith(".cn") else "en")
    primary = bool(publisher and vocab.sources.can_be_primary(publisher))
    return {"source_title": "TODO: the page's own title",
            "publisher": publisher.id if publisher else f"TODO: the publisher id for {host}",
            "url": url, "date": date, "language": language, "primary": "true" if primary else "false"}


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)     # a JSON string is a valid YAML double-quoted scalar


def fill_template(template: str, values: dict) -> str:
    """Fill {{name}} fields; drop the template's own header comment, which is about the template."""
    template = re.sub(r"\A---\n(?:#[^\n]*\n)+", "---\n", template)
    def value(match):
        return values[match.group(1)]
    return re.sub(r"\{\{(\w+)\}\}", value, template)


def render(template: str, title: str, date: str, today: dt.date, ids: dict, url: str | None,
           vocab: Vocabulary) -> str:
    source = source_fields(url, date, vocab)
    values = {"title": _quoted(title), "summary": _quoted(TODO_SUMMARY), "date": date,
              "added": today.isoformat(), "reviewed": today.isoformat(), "status": "reported", "body": TODO_BODY,
              **{kind: "[" + ", ".join(ids[kind]) + "]" for kind in KINDS},
              **{key: _quoted(source[key]) for key in ("source_title", "publisher", "url")},
              "source_date": source["date"], **{key: source[key] for key in ("language", "primary")}}
    return fill_template(template, values)


def read_template(path: Path, root: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise NewEntryError(f"cannot read the template {display_path(path, root)}: {error.strerror}") from None


def create_entry(root: Path, title: str, date: str, url: str | None = None,
                 today: dt.date | None = None) -> NewEntry:
    """Write timeline/YYYY/<date>-<slug>.md from the template; never overwrite a file."""
    today = today or dt.date.today()
    title, date, url = check_title(title), check_date(date, today), check_url(url)
    timeline = root / "timeline"
    vocab, _ = load_vocabulary(timeline / "vocab", root)     # a broken term only costs a suggestion
    suggested = suggest_ids(f"{title} {urlsplit(url).hostname if url else ''}", vocab)
    ids = {kind: list(suggested[kind]) for kind in KINDS}
    fallback = ""
    if not ids["topics"] and vocab.terms["topics"]:
        fallback = next(iter(vocab.terms["topics"]))
        ids["topics"] = [fallback]
    slug = slugify(title, vocab)
    path = timeline / date[:4] / f"{date}-{slug}.md"
    if path.exists():
        raise NewEntryError(f"{display_path(path, root)} already exists; not overwritten. Edit that file, "
                            "or choose a different TITLE")
    path = timeline / date[:4] / f"{date}-{unique_slug(slug, used_slugs(timeline))}.md"
    template = read_template(timeline / "TEMPLATE.md", root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:   # "x": fail rather than overwrite
        handle.write(render(template, title, date, today, ids, url, vocab))
    return NewEntry(path=path, shown=display_path(path, root), suggested=suggested, fallback_topic=fallback)


# ---------------------------------------------------------------- report

def report(entry: NewEntry) -> str:
    found = "; ".join(f"{kind}: {', '.join(ids)}" for kind, ids in entry.suggested.items() if ids)
    lines = [f"created {entry.shown}",
             f"suggested from the title and URL: {found}" if found else "no vocabulary ids found in the title"]
    if entry.fallback_topic:
        lines.append(f"topics: set to '{entry.fallback_topic}' as a placeholder; choose the right ids "
                     "in timeline/vocab/topics.yaml")
    lines += ["next steps:",
              f"  1. open {entry.shown} and replace every TODO (summary, source, body)",
              "  2. check topics, places, entities and status (see CONTRIBUTING.md)",
              "  3. make check        # or: make serve, to preview the page",
              f"  4. git add {entry.shown} && git commit, then open a pull request"]
    return "\n".join(lines)


def main(root: Path, title: str, date: str, url: str | None, out, err) -> int:
    try:
        entry = create_entry(root, title, date, url)
    except NewEntryError as error:
        print(f"make new: {error}", file=err)
        return 1
    except FileExistsError as error:          # created by someone else between the check and the write
        print(f"make new: {display_path(Path(error.filename), root)} already exists; not overwritten", file=err)
        return 1
    print(report(entry), file=out)
    return 0
