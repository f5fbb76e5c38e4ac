"""Stage 2: check raw entries against the schema and the editorial rules.

Each check yields (line, message) for one entry, as python/peps' check-peps.py does; validate()
gathers every problem of every file so one run reports them all.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import fastjsonschema
import jsonschema

from .load import ENTRY_NAME, Problem, RawEntry
from .schema import load_schema
from .urls import tracking_params, without_tracking
from .vocab import Vocabulary, host_problem

Check = Iterator[tuple[int, str]]


# ---------------------------------------------------------------- schema

def field_label(path) -> str:
    """('sources', 1, 'url') -> 'sources[2].url' (list positions are 1-based, as people count)."""
    label = ""
    for part in path:
        label += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label or "front matter"


def _shown(value) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, (list, dict)):
        return {list: "a list", dict: "a mapping"}[type(value)]
    return repr(value)


TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping", "boolean": "true or false",
              "integer": "a whole number", "number": "a number"}


def schema_message(error: jsonschema.ValidationError) -> tuple[tuple, str]:
    """Turn one jsonschema error into (field path, message for people)."""
    path = tuple(error.absolute_path)
    expected = error.schema.get("x-expected", "") if isinstance(error.schema, dict) else ""
    field = field_label(path)
    kind = error.validator
    if kind == "required":
        name = re.search(r"'([^']+)'", error.message).group(1)
        sub = error.schema.get("properties", {}).get(name, {})
        hint = sub.get("x-expected", "")
        where = "" if not path else f" in {field}"
        return path, f"missing required field '{name}'{where}" + (f"; expected {hint}" if hint else "")
    if kind == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known), key=str)
        name = extra[0] if extra else "?"
        target = path + (name,)
        return target, (f"unknown field '{field_label(target)}'; allowed fields are: {', '.join(known)}")
    if kind == "type":
        wanted = error.validator_value
        wanted = TYPE_NAMES.get(wanted, wanted) if isinstance(wanted, str) else wanted
        return path, f"field '{field}' is {_shown(error.instance)}; expected {expected or wanted}"
    if kind == "enum":
        return path, f"field '{field}' is {_shown(error.instance)}; expected {expected}"
    if kind in ("pattern", "minimum", "maximum"):
        return path, f"field '{field}' is {_shown(error.instance)}; expected {expected}"
    if kind in ("maxLength", "minLength"):
        return path, (f"field '{field}' is {len(error.instance)} characters long; expected {expected}")
    if kind == "minItems":
        return path, f"field '{field}' is empty; expected {expected}"
    if kind == "uniqueItems":
        return path, f"field '{field}' lists the same id twice; expected each id once"
    return path, f"field '{field}': {error.message}"


class SchemaChecker:
    """The entry schema, compiled twice: fastjsonschema says quickly whether an entry is valid (nearly
    all are), jsonschema then lists every error of the few that are not."""

    def __init__(self, schema: dict):
        self.full = jsonschema.Draft202012Validator(schema)
        # fastjsonschema knows draft-07; the schema uses no 2020-12-only keyword.
        self.fast = fastjsonschema.compile(dict(schema, **{"$schema": "http://json-schema.org/draft-07/schema#"}))

    def iter_errors(self, data):
        try:
            self.fast(data)
            return iter(())
        except fastjsonschema.JsonSchemaException:
            return self.full.iter_errors(data)


@functools.lru_cache(maxsize=1)
def default_checker() -> SchemaChecker:
    """Compiled once per process: compiling costs far more than checking one entry."""
    return SchemaChecker(load_schema())


def check_schema(entry: RawEntry, validator) -> Check:
    errors = sorted(validator.iter_errors(entry.data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        path, message = schema_message(error)
        yield entry.line_of(*path), message


# ---------------------------------------------------------------- dates and names

PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}){0,2}")


def parse_partial_date(text: str) -> dt.date | None:
    """'2019', '2019-10' or '2019-10-02' -> the first day it can mean; None if not a real date."""
    if not isinstance(text, str) or not PARTIAL_DATE.fullmatch(text):
        return None
    parts = [int(part) for part in text.split("-")] + [1, 1]
    try:
        return dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _date_fields(data: dict):
    for name in ("date", "added", "updated", "reviewed"):
        yield (name,), data.get(name)
    for index, source in enumerate(_list(data.get("sources"))):
        if isinstance(source, dict):
            yield ("sources", index, "date"), source.get("date")
    for index, fix in enumerate(_list(data.get("corrections"))):
        if isinstance(fix, dict):
            yield ("corrections", index, "date"), fix.get("date")


def _list(value):
    return value if isinstance(value, list) else []


def check_dates(entry: RawEntry, today: dt.date) -> Check:
    data = entry.data
    for path, value in _date_fields(data):
        # Shapes are the schema's job; only well-shaped values that are not calendar dates land here.
        if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}){0,2}", value) \
                and parse_partial_date(value) is None:
            yield entry.line_of(*path), (f"field '{field_label(path)}' is {value!r}, which is not a real "
                                         "date; expected a calendar date as YYYY-MM-DD, YYYY-MM or YYYY")
    event = parse_partial_date(data.get("date"))
    added = parse_partial_date(data.get("added")) if len(str(data.get("added"))) == 10 else None
    updated = parse_partial_date(data.get("updated")) if len(str(data.get("updated"))) == 10 else None
    reviewed = parse_partial_date(data.get("reviewed")) if len(str(data.get("reviewed"))) == 10 else None
    if reviewed and reviewed > today:
        yield entry.line_of("reviewed"), (f"field 'reviewed' is {data['reviewed']!r}, in the future; expected "
                                          "the day the entry was last checked against its sources")
    if event and event > today:
        yield entry.line_of("date"), (f"field 'date' is {data['date']!r}, in the future; the timeline "
                                      "records events that have happened")
    if added and added > today:
        yield entry.line_of("added"), (f"field 'added' is {data['added']!r}, in the future; expected "
                                       "the day the entry is published, today or earlier")
    if added and updated and updated < added:
        yield entry.line_of("updated"), (f"field 'updated' is {data['updated']!r}, before 'added' "
                                         f"{data['added']!r}; expected a day on or after 'added'")


def check_file_name(entry: RawEntry) -> Check:
    name = Path(entry.path).name
    match = ENTRY_NAME.match(name)
    if not match:
        yield 1, (f"file name {name!r} does not follow the pattern YYYY-MM-DD-slug.md (or YYYY-MM-slug.md, "
                  "YYYY-slug.md) with a slug of lowercase letters, digits and hyphens")
        return
    date = entry.data.get("date")
    if isinstance(date, str) and date != match["date"]:
        yield entry.line_of("date"), (f"field 'date' is {date!r} but the file name starts with "
                                      f"{match['date']!r}; expected them to be equal")
    year_folder = Path(entry.path).parent.name
    if year_folder != match["date"][:4]:
        yield 1, (f"file is in folder {year_folder!r} but is dated {match['date'][:4]}; expected "
                  f"timeline/{match['date'][:4]}/{name}")
    if len(match["slug"]) > 80:
        yield 1, f"slug {match['slug']!r} is {len(match['slug'])} characters long; expected at most 80"


# ---------------------------------------------------------------- vocabularies

def check_vocabulary(entry: RawEntry, vocab: Vocabulary) -> Check:
    for kind in ("topics", "places", "entities"):
        for index, term_id in enumerate(_list(entry.data.get(kind))):
            if isinstance(term_id, str) and not vocab.knows(kind, term_id):
                closest = vocab.suggest(kind, term_id)
                hint = f"did you mean '{closest}'?" if closest else f"add it to timeline/vocab/{kind}.yaml first"
                yield entry.line_of(kind, index), (f"field '{kind}' has unknown id {term_id!r}; {hint}")


# ---------------------------------------------------------------- sources

URL_HOST = re.compile(r"^https?://(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)")
# Titles that describe how a page was seen instead of naming it.
NOT_A_TITLE = re.compile(r"headline not shown|not shown in|stored copy|cached copy|search (?:result|snippet)"
                         r"|\bsnippet\b|story list|page label|\buntitled\b|title unknown|no title"
                         r"|\(headline|\bheadline\)", re.I)


def url_host(url: str) -> str:
    match = URL_HOST.match(url)
    return match.group(1) if match else ""


def _check_address(entry: RawEntry, index: int, name: str, value, rules, publisher) -> Check:
    """`url` must be the original on one of its publisher's domains; `via` any citable copy."""
    if not isinstance(value, str) or not value:
        return
    line = entry.line_of("sources", index, name)
    field = f"sources[{index + 1}].{name}"
    if not URL_HOST.match(value):
        return                  # not an http(s) address: the schema says so
    host = url_host(value)
    why = host_problem(host)
    if why:
        yield line, f"field '{field}' has host {host!r}, which {why}; expected a host such as www.court.gov.cn"
        return
    tracking = tracking_params(value)
    if tracking:
        yield line, (f"field '{field}' carries tracking parameters ({', '.join(tracking)}); expected the "
                     f"address without them: {without_tracking(value)}")
    rule = rules.host_rule(host)
    if rule and rule.rule == "blocked":
        yield line, (f"field '{field}' is on {host!r}, a blocked host ({rule.reason}); cite the original "
                     "or another reliable source, or drop the claim")
        return
    if name != "url":
        return
    if rule and rule.rule == "copy-only":
        yield line, (f"field '{field}' is on {host!r}, which only holds copies ({rule.reason}); put the copy "
                     "you read in `via` and give `url` only if you know the original's own address")
    elif publisher and not publisher.owns(host):
        domains = ", ".join(publisher.domains) or "none listed"
        yield line, (f"field '{field}' is on {host!r}, which is not a domain of publisher '{publisher.id}' "
                     f"({domains}); if this is a copy, put it in `via`; if the publisher owns the host, "
                     "add it to its domains in timeline/vocab/publishers.yaml")


def check_sources(entry: RawEntry, vocab: Vocabulary) -> Check:
    rules = vocab.sources
    for index, source in enumerate(_list(entry.data.get("sources"))):
        if not isinstance(source, dict):
            continue
        field = f"sources[{index + 1}]"
        name = source.get("publisher")
        publisher = rules.publisher(name)
        if isinstance(name, str) and name and publisher is None:
            closest = rules.suggest(name)
            hint = f"did you mean '{closest}'?" if closest else "add it to timeline/vocab/publishers.yaml first"
            yield entry.line_of("sources", index, "publisher"), (
                f"field '{field}.publisher' has unknown publisher {name!r}; {hint}")
        if not source.get("url") and not source.get("via"):
            yield entry.line_of("sources", index), (
                f"source {field} has neither `url` nor `via`; expected the original's address as url, "
                "or the address of the copy you read as via")
        if source.get("url") and source.get("url") == source.get("via"):
            yield entry.line_of("sources", index, "via"), (
                f"field '{field}.via' repeats `url`; expected via only when the copy read is another address")
        for key in ("url", "via"):
            yield from _check_address(entry, index, key, source.get(key), rules, publisher)
        if source.get("primary") is True and publisher and not rules.can_be_primary(publisher):
            kind = rules.kinds[publisher.kind].name.lower() if publisher.kind in rules.kinds else publisher.kind
            yield entry.line_of("sources", index, "primary"), (
                f"field '{field}.primary' is true, but '{publisher.id}' is a {kind} publisher, which does not "
                "issue primary documents; expected false (only governments, courts, procuratorates, "
                "legislatures, party bodies and companies about themselves are primary)")
        for key in ("title", "title_en"):
            title = source.get(key)
            if isinstance(title, str) and NOT_A_TITLE.search(title):
                yield entry.line_of("sources", index, key), (
                    f"field '{field}.{key}' is {_shown(title)}, which describes how the page was seen; "
                    "expected the page's own headline, or where it truly has none a short [description]")
    sources = [source for source in _list(entry.data.get("sources")) if isinstance(source, dict)]
    if entry.data.get("status") == "documented" and sources and not any(s.get("primary") is True for s in sources):
        yield entry.line_of("status"), (
            "field 'status' is 'documented', but no source is primary; expected a primary source (the "
            "document, notice or filing itself) or status 'reported'")


# ---------------------------------------------------------------- template leftovers

TODO = re.compile(r"\bTODO\b|\{\{\s*\w+\s*\}\}")      # TODO text, or a {{field}} the template left


def check_leftovers(entry: RawEntry) -> Check:
    """Text `make new` writes for the author to replace must not be published."""
    def leftover(text: str) -> bool:              # a substring test first: nearly every text has neither
        return ("TODO" in text or "{{" in text) and bool(TODO.search(text))
    for path, value in _strings(entry.data, ()):
        if leftover(value):
            yield entry.line_of(*path), (f"field '{field_label(path)}' still holds template text {_shown(value)}; "
                                         "expected your own text in place of every TODO and {{...}} field")
    if leftover(entry.body):
        for number, text in enumerate(entry.body.split("\n")):
            if leftover(text):
                yield entry.body_line + number, ("the body still holds template text (TODO); expected your own "
                                                 "text in place of every TODO")


# ---------------------------------------------------------------- body

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
HTML_TAG = re.compile(r"<(?:!--|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]))")
ATTR_LIST = re.compile(r"\{:?[^}\n]*\}")
EVENT_ATTR = re.compile(r"\bon[a-z]+\s*=", re.I)
BAD_SCHEME = re.compile(r"\b(javascript|vbscript|data)\s*:", re.I)
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$|<([A-Za-z]+:[^>\s]*)>", re.M)
# A link to another entry written with its file name (timeline/2024/2024-06-x.md) instead of its page.
ENTRY_FILE_LINK = re.compile(r"^(?!https?:)(?:\.\./)*(?:timeline/)?(?P<year>\d{4})/(?P=year)(?:-\d{2}){0,2}-(?P<slug>[a-z0-9-]+)\.md")
REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)")


def _blank_code(body: str) -> str:
    """Replace code blocks and spans with spaces (keeping newlines) so their text is not checked."""
    def blank(match):
        return re.sub(r"[^\n]", " ", match.group(0))
    return CODE_SPAN.sub(blank, FENCE.sub(blank, body))


def check_body(entry: RawEntry) -> Check:
    body = entry.body
    if not body.strip():
        yield entry.body_line, "the body is empty; expected a Markdown text explaining the event"
        return
    prose = _blank_code(body)
    for match in HTML_TAG.finditer(prose):
        line = entry.body_line + prose.count("\n", 0, match.start())
        snippet = re.match(r"<[^>\n]{0,40}>?", prose[match.start():]).group(0)
        yield line, (f"raw HTML {snippet!r} in the body; expected Markdown only "
                     "(use **bold**, [links](https://...), lists and tables)")
    for match in ATTR_LIST.finditer(prose):
        if EVENT_ATTR.search(match.group(0)):
            line = entry.body_line + prose.count("\n", 0, match.start())
            yield line, f"attribute list {match.group(0)[:40]!r} sets an event handler; not allowed"
    for match in REMOTE_IMAGE.finditer(prose):
        line = entry.body_line + prose.count("\n", 0, match.start())
        yield line, (f"image {match.group(1)[:60]!r} would load from another site; pages make no third-party "
                     "requests, so link to it instead: [description](https://...)")
    for match in LINK_TARGET.finditer(prose):
        target = match.group(1) or match.group(2) or match.group(3) or ""
        line = entry.body_line + prose.count("\n", 0, match.start())
        if BAD_SCHEME.match(target):
            yield line, f"link target {target[:40]!r} uses a forbidden scheme; expected an http(s) URL"
        elif (file_link := ENTRY_FILE_LINK.search(target)):
            yield line, (f"link target {target[:60]!r} points at an entry's file; entry pages are named by "
                         f"slug: expected ../{file_link['year']}/{file_link['slug']}.md")


# ---------------------------------------------------------------- personal data

# PRC resident ID (GB 11643): 6-digit region, birth date, 3-digit sequence, check character.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])([1-8]\d{5})((?:19|20)\d{2})(\d{2})(\d{2})(\d{3})([0-9Xx])"
                       r"(?![0-9A-Za-z])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Unified social credit code of an organisation (GB 32100): 18 characters without I, O, S, V, Z.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LABEL = re.compile(r"(统一社会信用代码|社会信用代码|信用代码|credit code|USCC)[^\n]{0,12}$", re.I)
# Mainland mobile segments (13x, 145-149, 150-159 but 154, 162/165-167, 170-178, 18x, 19x but 194);
# digits, dots and commas around it mean a figure or a decimal, not a phone number.
MOBILE = re.compile(r"(?<![0-9.,])(?:\+?86[ -]?)?"
                    r"(1(?:3\d|4[5-9]|5[0-35-9]|6[25-7]|7[0-8]|8\d|9[0-35-9]))[ -]?(\d{4})[ -]?(\d{4})"
                    r"(?![0-9]|[.,]\d)")
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
# Role mailboxes of organisations are contact points, not personal data.
ROLE_MAILBOXES = {"info", "contact", "press", "media", "news", "pr", "office", "service", "support",
                  "help", "enquiries", "inquiries", "webmaster", "admin", "editor", "editors", "letters",
                  "tips", "corrections", "feedback", "comments", "public", "secretariat", "legal",
                  "privacy", "hello", "mail", "noreply", "no-reply"}
MAYBE_NUMBER = re.compile(r"\d[\d -]{9,}\d")
WEB_ADDRESS = re.compile(r"\bhttps?://[^\s)>\]]+", re.I)


def is_resident_id(text: str) -> bool:
    """True for an 18-character PRC resident ID with a real birth date and a valid check character."""
    match = ID_NUMBER.fullmatch(text)
    if not match:
        return False
    try:
        dt.date(int(match[2]), int(match[3]), int(match[4]))
    except ValueError:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(text[:17], ID_WEIGHTS))
    return "10X98765432"[total % 11] == text[17].upper()


def is_credit_code(text: str) -> bool:
    """True for an 18-character unified social credit code with a valid check character."""
    if len(text) != 18 or any(char not in USCC_CHARS for char in text):
        return False
    total = sum(USCC_CHARS.index(char) * weight for char, weight in zip(text[:17], USCC_WEIGHTS))
    return USCC_CHARS[-total % 31] == text[17]


def _labelled_credit_code(text: str, match: re.Match) -> bool:
    # An all-digit code can pass both checksums; a nearby label says which one the author meant.
    before = text[max(0, match.start() - 40):match.start()]
    return is_credit_code(match.group(0)) and bool(USCC_LABEL.search(before))


def _in_web_address(spans, offset: int) -> bool:
    return any(start <= offset < end for start, end in spans)


def find_personal_data(text: str) -> Iterator[tuple[int, str]]:
    """(offset, what) for each personal identifier in text."""
    if "@" not in text and not MAYBE_NUMBER.search(text):
        return                  # the common case, settled by one search instead of four
    web = [match.span() for match in WEB_ADDRESS.finditer(text)]
    for match in ID_NUMBER.finditer(text):
        if is_resident_id(match.group(0)) and not _labelled_credit_code(text, match):
            yield match.start(), "a PRC resident ID number"
    for match in MOBILE.finditer(text):
        # Article numbers in links and round figures such as 15000000000 are not phone numbers.
        if not _in_web_address(web, match.start()) and match[2] + match[3] != "00000000":
            yield match.start(), "a mainland mobile phone number"
    for match in EMAIL.finditer(text):
        if not _in_web_address(web, match.start()) and match[1].lower() not in ROLE_MAILBOXES:
            yield match.start(), "an e-mail address"


PERSONAL_DATA_RULE = ("never publish personal identifiers of private individuals; "
                      "describe the case without them (see the About page)")


def check_personal_data(entry: RawEntry) -> Check:
    for path, value in _strings(entry.data, ()):
        if path and path[-1] in ("url", "via"):
            continue
        for _, what in find_personal_data(value):
            yield entry.line_of(*path), f"field '{field_label(path)}' contains {what}; {PERSONAL_DATA_RULE}"
    for offset, what in find_personal_data(entry.body):
        yield entry.body_line + entry.body.count("\n", 0, offset), f"the body contains {what}; {PERSONAL_DATA_RULE}"


def _strings(value, path, found=None) -> list:
    """[(field path, text)] of every string in value, in document order (a list: two checks read it)."""
    found = [] if found is None else found
    if isinstance(value, str):
        found.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                found.append((path + (key,), item))
            else:
                _strings(item, path + (key,), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                found.append((path + (index,), item))
            else:
                _strings(item, path + (index,), found)
    return found


# ---------------------------------------------------------------- the run

def check_entry(entry: RawEntry, vocab: Vocabulary, validator, today: dt.date) -> list[tuple[int, str]]:
    """Every (line, message) for one loaded entry, in line order."""
    if entry.data is None:
        return []
    found = []
    for check in (check_schema(entry, validator), check_dates(entry, today), check_file_name(entry),
                  check_vocabulary(entry, vocab), check_sources(entry, vocab), check_leftovers(entry),
                  check_body(entry), check_personal_data(entry)):
        found.extend(check)
    return sorted(found, key=lambda item: item[0])


def check_duplicate_slugs(entries: list[RawEntry]) -> list[Problem]:
    by_slug = defaultdict(list)
    for entry in entries:
        match = ENTRY_NAME.match(Path(entry.path).name)
        if match:
            by_slug[match["slug"]].append(entry.path)
    problems = []
    for slug, paths in sorted(by_slug.items()):
        for path in paths[1:]:
            problems.append(Problem(path, 1, f"slug {slug!r} is already used by {paths[0]}; "
                                             "expected a slug unique across the whole timeline"))
    return problems


def validate_each(entries: list[RawEntry], vocab: Vocabulary, today: dt.date | None = None,
                  schema: dict | None = None) -> list[Problem]:
    """Problems of each entry on its own (everything but the checks across entries)."""
    today = today or dt.date.today()
    validator = SchemaChecker(schema) if schema else default_checker()
    problems = []
    for entry in entries:
        problems.extend(entry.problems)
        problems.extend(Problem(entry.path, line, message)
                        for line, message in check_entry(entry, vocab, validator, today))
    return problems


def validate(entries: list[RawEntry], vocab: Vocabulary, today: dt.date | None = None,
             schema: dict | None = None) -> list[Problem]:
    return validate_each(entries, vocab, today, schema) + check_duplicate_slugs(entries)
