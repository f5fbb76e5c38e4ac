"""News intake: read the followed feeds, keep items on our topics, write one draft entry per new story.

fetch (urllib: timeout, size cap, redirects, ETag/Last-Modified) -> parse (feedparser, on the bytes
fetched) -> match (keyword rules) -> deduplicate (normalised URLs of every entry's sources and every
draft) -> write timeline/_drafts/YYYY-MM-DD-slug.md. A feed that fails is reported and skipped.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import http.client
import json
import os
import re
import socket
import tempfile
import time
import unicodedata
import urllib.error
import urllib.request
import xml.sax
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import yaml

from .load import ENTRY_NAME, Problem, display_path, load_entry, read_list_file
from .slug import slugify
from .urls import normalize_url, url_key
from .vocab import load_vocabulary

DRAFTS_DIR = Path("timeline") / "_drafts"
# Kept out of .cache/, which Zensical owns (its `build --clean` empties it).
STATE_FILE = Path(".state") / "ingest" / "state.json"
OLD_STATE_FILE = Path(".cache") / "ingest" / "state.json"
USER_AGENT = "SocialCreditDigest-ingest/1.0 (+feed reader for a news timeline)"
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
REDIRECTS = {301, 302, 303, 307, 308}
SUMMARY_CHARS = 800
TITLE_CHARS = 120          # the schema's limit for an entry title
SOURCE_TITLE_CHARS = 300   # the schema's limit for a source title


@dataclass
class Options:
    root: Path
    feeds: Path | None = None      # default: timeline/intake/feeds.yaml
    dry_run: bool = False
    timeout: float = 15.0          # seconds, for each feed from request to last byte
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    today: dt.date | None = None


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    language: str
    publisher: str


@dataclass(frozen=True)
class Rule:
    topic: str
    patterns: tuple   # compiled regexes, one per term
    terms: tuple


# ---------------------------------------------------------------- configuration

def load_feeds(path: Path, root: Path) -> tuple[list[Feed], list[Problem]]:
    _, data, lines, problems = read_list_file(path, root, "feeds")
    shown, feeds, names = display_path(path, root), [], set()
    for index, item in enumerate(data):
        line = lines.get((index,), 1)
        feed, message = _parse_feed(item)
        if feed and feed.name in names:
            feed, message = None, f"feed name {feed.name!r} is used twice; expected unique names"
        if message:
            problems.append(Problem(shown, line, message))
            continue
        names.add(feed.name)
        feeds.append(feed)
    return feeds, problems


def _parse_feed(item) -> tuple[Feed | None, str]:
    fields = ("name", "url", "language", "publisher")
    if not isinstance(item, dict):
        return None, f"each feed must be a mapping with {', '.join(fields)}"
    missing = [name for name in fields if not isinstance(item.get(name), str) or not item[name].strip()]
    if missing:
        return None, f"feed {item.get('name', '?')!r}: missing field '{missing[0]}'"
    unknown = sorted(set(item) - set(fields))
    if unknown:
        return None, f"feed {item['name']!r}: unknown field '{unknown[0]}'; allowed: {', '.join(fields)}"
    if normalize_url(item["url"]) is None:
        return None, f"feed {item['name']!r}: url {item['url']!r} is not an http:// or https:// URL"
    if not LANGUAGE.match(item["language"]):
        return None, f"feed {item['name']!r}: language {item['language']!r} is not a BCP 47 tag such as en or zh-Hans"
    return Feed(**{name: item[name].strip() for name in fields}), ""


def load_rules(path: Path, root: Path) -> tuple[list[Rule], list[Problem]]:
    vocab, problems = load_vocabulary(root / "timeline" / "vocab", root)
    _, data, lines, read_problems = read_list_file(path, root, "keyword rules")
    problems += read_problems
    shown, rules = display_path(path, root), []
    for index, item in enumerate(data):
        line = lines.get((index,), 1)
        if not isinstance(item, dict) or not isinstance(item.get("topic"), str) \
                or not isinstance(item.get("terms"), list) or not item["terms"]:
            problems.append(Problem(shown, line, "each rule must be a mapping with topic (an id) and terms (a list)"))
        elif not vocab.knows("topics", item["topic"]):
            problems.append(Problem(shown, line, f"unknown topic id {item['topic']!r}; expected an id from "
                                                 "timeline/vocab/topics.yaml"))
        else:
            terms = tuple(str(term) for term in item["terms"] if str(term).strip())
            rules.append(Rule(item["topic"], tuple(_term_pattern(term) for term in terms), terms))
    return rules, problems


def _term_pattern(term: str) -> re.Pattern:
    """Latin-script terms match whole words, with spaces matching spaces or hyphens; others anywhere."""
    words = [re.escape(word) for word in term.split()]
    body = r"[\s\-]+".join(words)
    if term.isascii():
        body = rf"(?<![\w]){body}(?![\w])"
    return re.compile(body, re.IGNORECASE)


def match_topics(text: str, rules: list[Rule]) -> tuple[list[str], list[str]]:
    """(topic ids in rule order, the terms that matched) for a piece of text."""
    topics, terms = [], []
    for rule in rules:
        hits = [term for term, pattern in zip(rule.terms, rule.patterns) if pattern.search(text)]
        if hits:
            topics.append(rule.topic)
            terms.extend(hit for hit in hits if hit not in terms)
    return topics, terms


# ---------------------------------------------------------------- state between runs

def load_state(path: Path) -> dict:
    """Validators (ETag, Last-Modified) per feed URL. A damaged state file only costs a full fetch."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".state-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(state, out, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(tmp, path)


# ---------------------------------------------------------------- fetch

class FetchError(Exception):
    """A reason, for people, why a feed could not be read."""


@dataclass
class Fetched:
    body: bytes | None            # None when the server answered 304 Not Modified
    url: str                      # after redirects
    content_type: str = ""
    validators: dict = field(default_factory=dict)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back to fetch(), which follows them itself to count hops and spot loops."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, validators: dict, options: Options) -> Fetched:
    deadline = time.monotonic() + options.timeout
    seen = [url]
    while True:
        response = _request(url, validators, options, deadline)
        if response.status not in REDIRECTS:
            return _read(response, url, options, deadline)
        url = _next_hop(response, url, seen, options)


def _request(url, validators, options, deadline):
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
               "Accept": "application/rss+xml, application/atom+xml, application/rdf+xml, "
                         "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    remaining = max(deadline - time.monotonic(), 0.001)
    try:
        return _OPENER.open(urllib.request.Request(url, headers=headers), timeout=remaining)
    except urllib.error.HTTPError as error:
        if error.code in REDIRECTS or error.code == 304:
            return error
        raise FetchError(f"HTTP {error.code} {error.reason}") from None
    except TimeoutError:
        raise FetchError(f"no answer within {options.timeout:g} s") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise FetchError(f"no answer within {options.timeout:g} s") from None
        raise FetchError(f"cannot connect: {getattr(reason, 'strerror', None) or reason}") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise FetchError(f"connection failed: {error}") from None


def _next_hop(response, url: str, seen: list, options: Options) -> str:
    location = response.headers.get("Location")
    response.close()
    if not location:
        raise FetchError(f"HTTP {response.status} redirect without a Location header")
    target = urljoin(url, location)
    if target in seen:
        raise FetchError("redirect loop: " + " -> ".join(seen + [target]))
    if len(seen) > options.max_redirects:
        raise FetchError(f"more than {options.max_redirects} redirects")
    if normalize_url(target) is None:
        raise FetchError(f"redirect to a non-HTTP address {target!r}")
    seen.append(target)
    return target


def _read(response, url: str, options: Options, deadline: float) -> Fetched:
    headers = response.headers
    validators = {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
    validators = {key: value for key, value in validators.items() if value}
    if response.status == 304:
        response.close()
        return Fetched(None, url, validators=validators)
    length = headers.get("Content-Length")
    if length and length.isdigit() and int(length) > options.max_bytes:
        response.close()
        raise FetchError(f"feed is {int(length):,} bytes, over the {options.max_bytes:,}-byte cap")
    body = _read_capped(response, options, deadline)
    return Fetched(body, url, headers.get("Content-Type", ""), validators)


def _read_capped(response, options: Options, deadline: float) -> bytes:
    chunks, size = [], 0
    try:
        with response:
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > options.max_bytes:
                    raise FetchError(f"feed is over the {options.max_bytes:,}-byte cap")
                if time.monotonic() > deadline:
                    raise FetchError(f"feed took longer than {options.timeout:g} s to arrive")
                chunks.append(chunk)
    except TimeoutError:
        raise FetchError(f"feed stalled: no data within {options.timeout:g} s") from None
    except OSError as error:
        raise FetchError(f"connection broke while reading: {error}") from None
    return b"".join(chunks)


# ---------------------------------------------------------------- parse

@dataclass
class Item:
    title: str
    url: str            # normalised
    published: dt.date | None
    summary: str        # plain text


def parse_feed(body: bytes, content_type: str = "") -> list:
    """feedparser entries of a well-formed feed; FetchError for anything else.

    feedparser only ever sees the bytes fetched here: a str argument could make it open a URL or
    a file. Its loose parser would guess items out of broken XML; broken XML is refused instead.
    """
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers)
    error = parsed.get("bozo_exception")
    if isinstance(error, xml.sax.SAXException):
        line = error.getLineNumber() if hasattr(error, "getLineNumber") else "?"
        raise FetchError(f"malformed XML at line {line}: {error.getMessage()}")
    if not parsed.get("version"):
        raise FetchError("not an RSS or Atom feed")
    return parsed.entries


def to_item(entry, today: dt.date) -> Item | None:
    url = normalize_url(entry.get("link") or (entry.get("id") if entry.get("guidislink") else "") or "")
    title = plain_text(entry.get("title", ""))
    if url is None or not title:
        return None
    return Item(title=title, url=url, published=_published(entry, today),
                summary=plain_text(entry.get("summary", "")))


def _published(entry, today: dt.date) -> dt.date | None:
    """The item's day as its publisher wrote it (feedparser's parsed dates are in UTC, which moves
    a Beijing morning story to the day before)."""
    day = _local_day(entry.get("published") or entry.get("updated") or "")
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if day is None and stamp:
        day = dt.date(*stamp[:3])
    return min(day, today) if day else None   # a feed in a later time zone can be a day ahead of us


def _local_day(text: str) -> dt.date | None:
    try:
        return email.utils.parsedate_to_datetime(text).date()       # RSS: RFC 822 dates
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(text.strip()).date()        # Atom, dc:date: ISO 8601
    except ValueError:
        return None


TAG = re.compile(r"<[^>]*>")
BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/h\d)\b[^>]*>", re.I)
DROPPED = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


def plain_text(markup: str) -> str:
    """Text of an HTML fragment: tags and scripts removed, entities decoded, spaces collapsed."""
    text = DROPPED.sub(" ", markup or "")
    text = TAG.sub("", BLOCK.sub(" ", text))   # inline tags join words: Chinese has no spaces
    text = unicodedata.normalize("NFC", html.unescape(text))
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- what is already known

@dataclass
class Known:
    urls: dict = field(default_factory=dict)   # url_key -> file citing it
    slugs: set = field(default_factory=set)


def known_sources(root: Path) -> Known:
    """Every source url and via cited by an entry in timeline/YYYY/ or by a draft."""
    known = Known()
    timeline = root / "timeline"
    paths = sorted(timeline.glob("[0-9][0-9][0-9][0-9]/*.md")) + sorted((root / DRAFTS_DIR).glob("*.md"))
    for path in paths:
        shown = display_path(path, root)
        match = ENTRY_NAME.match(path.name)
        if match:
            known.slugs.add(match["slug"])
        for url in _cited_urls(load_entry(path, shown).data):
            known.urls.setdefault(url_key(url), shown)
    known.urls.pop(None, None)
    return known


def _cited_urls(data) -> list[str]:
    sources = data.get("sources") if isinstance(data, dict) else None
    urls = []
    for source in sources if isinstance(sources, list) else []:
        if isinstance(source, dict):
            urls += [source[key] for key in ("url", "via") if isinstance(source.get(key), str)]
    return urls


# ---------------------------------------------------------------- drafts

def draft_name(item: Item, day: dt.date, known: Known) -> str:
    """YYYY-MM-DD-slug.md with a slug unused by any entry or draft (the validator wants them unique)."""
    last_segment = re.sub(r"\.[a-z0-9]+$", "", item.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
    base = slugify(item.title) or slugify(last_segment) or "item"
    if len(base) < 12 and not slugify(item.title):   # Chinese titles: make the slug identifiable
        base = f"{base}-{hashlib.sha1(item.url.encode()).hexdigest()[:8]}"
    slug, number = base, 2
    while slug in known.slugs:
        slug, number = f"{base}-{number}", number + 1
    return f"{day.isoformat()}-{slug}.md"


def yaml_scalar(text: str) -> str:
    """text as a plain YAML scalar when it reads back unchanged, else double-quoted."""
    try:
        plain = "\n" not in text and text == text.strip() and yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip(" ,;:") + "…"


MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]])")


def quote_markdown(text: str) -> str:
    """Plain text safe in a Markdown blockquote: no raw HTML, no accidental emphasis or links."""
    return MARKDOWN_ACTIVE.sub(r"\\\1", text).replace("<", "&lt;")


def render_draft(item: Item, feed: Feed, topics: list[str], terms: list[str], today: dt.date) -> str:
    day = item.published or today
    lines = [
        "---",
        f"title: {yaml_scalar(shorten(item.title, TITLE_CHARS))}",
        "# summary: one or two plain sentences in your own words, at most 300 characters",
        f"date: {day.isoformat()}",
        f"added: {today.isoformat()}",
        f"reviewed: {today.isoformat()}",
        f"topics: [{', '.join(topics)}]",
        "status: reported",
        "sources:",
        f"  - title: {yaml_scalar(shorten(item.title, SOURCE_TITLE_CHARS))}",
        f"    publisher: {yaml_scalar(feed.publisher)}",
        f"    url: {yaml_scalar(item.url)}",
    ]
    if item.published:
        lines.append(f"    date: {item.published.isoformat()}")
    lines += [f"    language: {feed.language}", "    primary: false", "---"]
    return "\n".join(lines) + "\n" + _draft_body(item, feed, terms)


def _draft_body(item: Item, feed: Feed, terms: list[str]) -> str:
    excerpt = shorten(item.summary, SUMMARY_CHARS) or "(the feed gave no summary)"
    notes = [f"Draft from the feed {feed.name!r}, matched on: {', '.join(terms)}."]
    if item.published is None:
        notes.append("The feed gave no date: set the entry's `date` and the source's `date` by hand.")
    return ("Excerpt from the feed item, to be rewritten in your own words:\n\n"
            f"> {quote_markdown(excerpt)}\n\n" + " ".join(quote_markdown(note) for note in notes) + "\n")


def write_draft(path: Path, text: str) -> bool:
    """Create the draft; False when the name is taken (mode 'x' never replaces a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        return False
    return True


# ---------------------------------------------------------------- the run

@dataclass
class FeedReport:
    feed: Feed
    result: str = "fetched"        # fetched | not modified | failed
    reason: str = ""
    items: int = 0
    matched: int = 0
    drafts: list = field(default_factory=list)    # paths written (or that would be, in a dry run)
    skipped: list = field(default_factory=list)   # (url, why)


@dataclass
class Report:
    feeds: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def exit_code(self) -> int:
        """Non-zero only when every feed failed: one dead feed must not stop the others' news."""
        return 1 if self.feeds and all(f.result == "failed" for f in self.feeds) else 0


def run(options: Options) -> tuple[Report | None, list[Problem]]:
    root = options.root
    feeds, problems = load_feeds(options.feeds or root / "timeline" / "intake" / "feeds.yaml", root)
    rules, rule_problems = load_rules(root / "timeline" / "intake" / "keywords.yaml", root)
    problems += rule_problems
    if not problems and not feeds:
        problems.append(Problem(display_path(options.feeds or root / "timeline/intake/feeds.yaml", root),
                                1, "no feeds listed"))
    if problems:
        return None, problems
    today = options.today or dt.date.today()
    state_path = root / STATE_FILE
    if not state_path.exists() and (root / OLD_STATE_FILE).exists():
        state_path.parent.mkdir(parents=True, exist_ok=True)
        (root / OLD_STATE_FILE).replace(state_path)          # where earlier versions kept it
    state, known = load_state(state_path), known_sources(root)
    report = Report(dry_run=options.dry_run)
    for feed in feeds:
        report.feeds.append(ingest_feed(feed, rules, known, state, options, today))
    if not options.dry_run:
        save_state(state_path, state)
    return report, []


def ingest_feed(feed: Feed, rules: list[Rule], known: Known, state: dict, options: Options,
                today: dt.date) -> FeedReport:
    report = FeedReport(feed)
    try:
        fetched = fetch(feed.url, state.get(feed.url, {}), options)
        entries = [] if fetched.body is None else parse_feed(fetched.body, fetched.content_type)
    except FetchError as error:
        report.result, report.reason = "failed", str(error)
        return report
    if fetched.body is None:
        report.result = "not modified"
        return report
    report.items = len(entries)
    try:
        for entry in entries:
            _take(entry, feed, rules, known, options, today, report)
    except OSError as error:
        report.result, report.reason = "failed", f"cannot write a draft: {error.strerror or error}"
        return report
    if fetched.validators:
        state[feed.url] = fetched.validators   # remembered only once the items are safely drafted
    return report


def _take(entry, feed, rules, known, options, today, report: FeedReport) -> None:
    item = to_item(entry, today)
    if item is None:
        return
    topics, terms = match_topics(f"{item.title}\n{item.summary}", rules)
    if not topics:
        return
    report.matched += 1
    key = url_key(item.url)
    if key in known.urls:
        report.skipped.append((item.url, f"already cited by {known.urls[key]}"))
        return
    text = render_draft(item, feed, topics, terms, today)
    while True:
        name = draft_name(item, item.published or today, known)
        known.slugs.add(ENTRY_NAME.match(name)["slug"])
        path = options.root / DRAFTS_DIR / name
        if options.dry_run or write_draft(path, text):
            break
    known.urls[key] = display_path(path, options.root)
    report.drafts.append(display_path(path, options.root))


def _width(text: str) -> int:
    """Columns text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space


def format_report(report: Report) -> str:
    lines = []
    for feed in report.feeds:
        lines += [f"{feed.feed.name}: {'would write' if report.dry_run else 'new draft'} {path}"
                  for path in feed.drafts]
        lines += [f"{feed.feed.name}: skipped {url} ({why})" for url, why in feed.skipped]
    header = ("feed", "result", "items", "matched", "new drafts", "reason")
    rows = [(f.feed.name, f.result, *(("-",) * 3 if f.result != "fetched" else
                                      (str(f.items), str(f.matched), str(len(f.drafts)))), f.reason)
            for f in report.feeds]
    widths = [max(_width(row[col]) for row in [header, *rows]) for col in range(5)]
    if lines:
        lines.append("")
    for row in [header, *rows]:
        cells = [_pad(row[0], widths[0]), _pad(row[1], widths[1])]
        cells += [_pad(row[col], widths[col], right=True) for col in (2, 3, 4)]
        lines.append("  ".join(cells + [row[5]]).rstrip())
    lines.append(_totals(report))
    return "\n".join(lines)


def _totals(report: Report) -> str:
    count = {result: sum(f.result == result for f in report.feeds)
             for result in ("fetched", "not modified", "failed")}
    drafts = sum(len(f.drafts) for f in report.feeds)
    done = (f"dry run: {drafts} draft(s) would be written, nothing was written" if report.dry_run
            else f"{drafts} new draft(s) in {DRAFTS_DIR.as_posix()}/")
    return (f"{len(report.feeds)} feeds: {count['fetched']} fetched, {count['not modified']} not "
            f"modified, {count['failed']} failed; {done}")
