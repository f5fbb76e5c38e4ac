"""Stage 4a: render the model into pages (entries, years, hubs, indexes, corrections).

Pages are {site-relative .md path: text}: a page's fields (front matter, one `key: <JSON>` line each)
and its article as HTML, from its <h1>. A site generator serves page `a/b.md` at the folder URL
`a/b/` (digest/paths.py); the site stage puts each article into the page the generator drew for it.
Only entry bodies and a few chart captions are Markdown, converted by the one renderer
(digest/render_body.py); everything else is written as HTML here, with relative links. Page strings
come from the messages file of the page's language (digest/messages.py).
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping

from . import render_charts
from .citations import source_html
from .messages import Messages, messages
from .model import STATUS_LABELS, Entry, Timeline, display_date
from .paths import (
    CORRECTIONS_FEED,
    TIMELINE_INDEX,
    corrections_page,
    entry_page,
    feed_file,
    feed_folder,
    href,
    hub_index,
    hub_page,
    page_of_link_url,
    year_page,
)
from .render_body import heading, render_markdown
from .sanitize import sanitize_html
from .vocab import KINDS

PER_PAGE = 60                       # listing pages are paginated so no page grows with the timeline (≤ 60 KB)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|{}<>])")


def md(text: str) -> str:
    """Escape plain text for a Markdown fragment (chart captions and tables), so it shows literally."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def h(text: str) -> str:
    """Plain text as HTML, in an element or a double-quoted attribute."""
    return text.translate(_ESCAPES)


link = href        # a relative URL between pages, for Markdown fragments as for HTML


def front_matter(**fields) -> str:
    # JSON values are valid YAML and json.dumps is far cheaper than the YAML emitter (one call per page).
    return "---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n"
                             for key, value in sorted(fields.items())) + "---\n\n"


def split_front_matter(text: str) -> tuple[dict, str]:
    """(fields, article HTML) of a page written by front_matter(): one `key: <JSON>` line per field."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 3)
    fields = {}
    for line in text[4:end].split("\n"):
        key, value = line.split(": ", 1)
        fields[key] = json.loads(value)
    return fields, text[end + 5:].lstrip("\n")


class Article:
    """An article being written: its headings get unique ids, as a Markdown converter gives them."""

    def __init__(self):
        self.parts, self.ids = [], set()

    def heading(self, level: int, text_html: str) -> None:
        self.parts.append(heading(level, text_html, self.ids)[0] + "\n")

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def markdown(self, text: str, resolve=None) -> None:
        self.parts.append(render_markdown(text, resolve=resolve, ids=self.ids).html + "\n")

    def html(self) -> str:
        return "".join(self.parts)


def breadcrumb(here: str, trail: list, msg: Messages) -> str:
    """A way up at the top of a page: [(label, page path), ...], outermost first."""
    links = " › ".join(f'<a href="{href(here, path)}">{h(label)}</a>' for label, path in trail)
    return f'<nav class="scd-breadcrumb" aria-label="{msg("breadcrumb")}">{links}</nav>\n'


def status_badge(status: str) -> str:
    return f'<span class="scd-status scd-status--{status}">{STATUS_LABELS[status]}</span>'


def _suffix(number: int, count: int, msg: Messages) -> str:
    return msg("page_of", number=number, count=count) if count > 1 else ""


# ---------------------------------------------------------------- entry pages

def entry_fields(entry: Entry) -> dict:
    """The fields of an entry page."""
    return {"description": entry.summary, "scd_entry": entry.id, "scd_kind": "entry", "title": entry.title,
            "hide": ["navigation"]}


def render_entry(entry: Entry, timeline: Timeline, site_url: str = "", site_title: str = "",
                 msg: Messages | None = None) -> str:
    msg = msg or messages()
    here = entry_page(entry)
    page = Article()
    page.add(breadcrumb(here, [(msg("timeline"), TIMELINE_INDEX), (entry.year, year_page(entry.year))], msg))
    page.heading(1, h(entry.title))
    page.add(_search_meta(entry, timeline) + f'<p class="scd-meta">{status_badge(entry.status)} '
             f'<span class="scd-date">{msg.date(entry.date)}</span></p>\n')
    if entry.corrections:
        latest = entry.corrections[-1]
        page.add(f'<div class="admonition warning">\n<p class="admonition-title">'
                 f'{h(msg("corrected_on", date=msg.date(latest.date)))}</p>\n'
                 f'<p>{h(latest.note)} {msg("see_corrections")}</p>\n</div>\n')
    page.add(f'<p class="scd-summary">{h(entry.summary)}</p>\n')
    # Contributed Markdown: an allowlist, whatever the validator missed (digest/sanitize.py).
    body = render_markdown(entry.body, resolve=lambda path: page_of_link_url(here, path), ids=page.ids)
    page.add(sanitize_html(body.html) + "\n")
    page.heading(2, h(msg("sources")))
    page.add('<ol class="scd-sources">' + "".join(f"<li>{source_html(source, timeline.vocab.sources)}</li>"
                                                    for source in entry.sources) + "</ol>\n")
    page.heading(2, h(msg("filed_under")))
    page.add(_filed_under(entry, timeline, here, msg))
    page.add(_dates(entry, msg))
    if entry.corrections:
        page.heading(2, h(msg("corrections")))
        page.add("<ul>\n" + "".join(f"<li><strong>{msg.date(fix.date)}</strong>: {h(fix.note)} "
                                    f"<em>{msg('why')}</em> {h(fix.reason)}</li>\n"
                                    for fix in entry.corrections) + "</ul>\n")
    page.heading(2, h(msg("cite_this_entry")))
    page.add(_cite(entry, site_url + entry.url, site_title or "Social Credit Digest", msg))
    return front_matter(**entry_fields(entry)) + page.html()


def search_sort_value(entry: Entry) -> str:
    """The entry's date sort key for search. The id breaks ties between same-day events, so the
    order is the same every build."""
    return f"{entry.sort_key[0]} {entry.id}"


def _search_meta(entry: Entry, timeline: Timeline) -> str:
    """Hidden Pagefind filters and sort keys (the page shows the same facts visibly)."""
    spans = [f'<span data-pagefind-filter="year">{entry.year}</span>',
             f'<span data-pagefind-filter="status">{STATUS_LABELS[entry.status]}</span>',
             f'<span data-pagefind-sort="date">{search_sort_value(entry)}</span>',
             f'<span data-pagefind-meta="date">{messages().date(entry.date)}</span>']
    for kind in KINDS:
        label = messages().pick("kind", kind)
        for term_id in entry.terms(kind):
            term = timeline.vocab.get(kind, term_id)
            spans.append(f'<span data-pagefind-filter="{label}">{h(term.name)}</span>')
    return '<div hidden data-pagefind-ignore="index">' + "".join(spans) + "</div>"


def _filed_under(entry: Entry, timeline: Timeline, here: str, msg: Messages) -> str:
    rows = []
    for kind in KINDS:
        links = [f'<a href="{href(here, hub_page(kind, term_id))}">{h(timeline.vocab.get(kind, term_id).name)}</a>'
                 for term_id in entry.terms(kind)]
        if links:
            rows.append(f"<li><strong>{msg.pick('kinds', kind)}:</strong> " + ", ".join(links) + "</li>")
    rows.append(f'<li><strong>{msg("year")}:</strong> <a href="{href(here, year_page(entry.year))}">{entry.year}</a></li>')
    return '<ul class="scd-filed">' + "".join(rows) + "</ul>\n"


# ---------------------------------------------------------------- citation

BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                  "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_escape(text: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in text)


def _version_date(entry: Entry) -> str:
    """'added 10 January 2026' or 'updated 1 March 2026': the version a reader cites."""
    changed = entry.last_changed
    return f"updated {display_date(changed)}" if changed != entry.added else f"added {display_date(changed)}"


def citation_text(entry: Entry, url: str, site_title: str) -> str:
    return (f'{site_title}, "{entry.title}", event of {display_date(entry.date)}, {_version_date(entry)}. '
            f"{url} (accessed YYYY-MM-DD).")


def bibtex(entry: Entry, url: str, site_title: str) -> str:
    """@misc record; the title is double-braced so BibTeX styles keep its capitals."""
    changed = entry.last_changed
    fields = [("title", "{{" + bibtex_escape(entry.title) + "}}"),
              ("author", "{{" + bibtex_escape(site_title) + " contributors}}"),
              ("howpublished", "{" + bibtex_escape(site_title) + "}"),
              ("url", "{" + url + "}"),
              ("note", "{Event date: " + display_date(entry.date) + "; "
                       + bibtex_escape(_version_date(entry)) + "; accessed YYYY-MM-DD}"),
              ("year", "{" + changed[:4] + "}"),
              ("month", BIBTEX_MONTHS[int(changed[5:7]) - 1]),
              ("urldate", "{YYYY-MM-DD}")]
    body = ",\n".join(f"  {name:<12} = {value}" for name, value in fields)
    return f"@misc{{scd-{entry.id},\n{body}\n}}\n"


def _code_block(text: str) -> str:
    """A <pre> block: selectable and copyable as is, no JavaScript."""
    return "<pre><code>" + h(text.rstrip("\n")) + "</code></pre>"


def _cite(entry: Entry, url: str, site_title: str, msg: Messages) -> str:
    return ('<div class="scd-cite" data-pagefind-ignore="all">' + _code_block(citation_text(entry, url, site_title))
            + f"<p>{msg('bibtex')}</p>" + _code_block(bibtex(entry, url, site_title))
            + f"<p>{msg('replace_date')}</p></div>\n")


def _dates(entry: Entry, msg: Messages) -> str:
    text = msg("added_on", date=msg.date(entry.added))
    if entry.updated:
        text += msg("updated_on", date=msg.date(entry.updated))
    text += msg("checked_on", date=msg.date(entry.reviewed))
    return f'<p class="scd-added">{text}</p>\n'


# ---------------------------------------------------------------- listings

def entry_line(entry: Entry, here: str, msg: Messages | None = None) -> str:
    msg = msg or messages()
    return (f'<li><strong>{msg.date(entry.date)}</strong> {status_badge(entry.status)} '
            f'<a href="{href(here, entry_page(entry))}">{h(entry.title)}</a><br>{h(entry.summary)}</li>')


def entry_list(entries, here: str, msg: Messages | None = None) -> str:
    """A listing. Search leaves listings out: each entry is found on its own page, not again on every
    hub and year page that lists it (and Pagefind's memory grows with the text it indexes)."""
    return ('<ul class="scd-list" data-pagefind-ignore>' + "".join(entry_line(entry, here, msg) for entry in entries)
            + "</ul>\n")


def paginate(items: list, per_page: int = PER_PAGE) -> list:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


PAGER_AROUND = 2      # pages linked on either side of the current one, besides the first and last


def pager(page_paths: list, current: int, here: str, msg: Messages | None = None) -> str:
    """Links to the first and last page and to those near the current one, so a listing of any
    length costs a few links per page, not one per page of the listing."""
    msg = msg or messages()
    if len(page_paths) < 2:
        return ""
    last = len(page_paths)
    shown = sorted({1, last, *range(max(1, current - PAGER_AROUND), min(last, current + PAGER_AROUND) + 1)})
    links, previous = [], 0
    for n in shown:
        if n - previous > 1:
            links.append("…")
        links.append(f'<strong aria-current="page">{n}</strong>' if n == current
                     else f'<a href="{href(here, page_paths[n - 1])}">{n}</a>')
        previous = n
    return f'<nav class="scd-pager" aria-label="{msg("pager")}">{msg("pages")} ' + " · ".join(links) + "</nav>\n"


def _table(header: list, rows: list, label: str, msg: Messages, right: set = frozenset()) -> str:
    """An HTML table in a box that scrolls sideways when the table is wider than the column: a named
    region with a tab stop, so keyboard users can scroll it (WCAG 2.1.1). Drawn here in full, with its
    own class, so the theme's script does not take the table out and wrap it again on every load.
    `right`: the columns aligned right (numbers)."""
    def cell(tag, index, value):
        align = ' style="text-align: right;"' if index in right else ""
        return f"<{tag}{align}>{value}</{tag}>"
    head = "<tr>" + "".join(cell("th", i, value) for i, value in enumerate(header)) + "</tr>"
    body = "".join("<tr>" + "".join(cell("td", i, value) for i, value in enumerate(row)) + "</tr>\n" for row in rows)
    return (f'<div class="md-typeset__scrollwrap scd-table-wrap" tabindex="0" role="region" '
            f'aria-label="{h(msg("table_label", name=label))}"><div class="md-typeset__table">'
            f'<table class="scd-table">\n<thead>\n{head}\n</thead>\n<tbody>\n{body}</tbody>\n</table></div></div>\n')


def render_year_pages(year: str, timeline: Timeline, msg: Messages | None = None) -> dict:
    msg = msg or messages()
    entries = timeline.by_year[year]
    chunks = paginate(entries)
    paths = [year_page(year, n) for n in range(1, len(chunks) + 1)]
    pages = {}
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        suffix = _suffix(number, len(chunks), msg)
        title = msg("year_title", year=year) + suffix
        page = Article()
        page.add(breadcrumb(path, [(msg("timeline"), TIMELINE_INDEX)], msg))
        page.heading(1, h(title))
        page.add(f'<p>{msg("year_lead", count=len(entries), all_years=href(path, TIMELINE_INDEX))}</p>\n')
        for month, group in _by_month(chunk, year, msg):
            page.heading(2, h(month))
            page.add(entry_list(group, path, msg))
        page.add(pager(paths, number, path, msg))
        pages[path] = front_matter(title=title, description=msg("year_description", year=year)[:-1] + suffix + ".",
                                   scd_kind="year", hide=["navigation"]) + page.html()
    return pages


def _by_month(entries: list, year: str, msg: Messages) -> list:
    groups = []
    for entry in entries:
        month = msg.date(entry.date[:7]) if entry.precision != "year" else msg("month_unknown", year=year)
        if not groups or groups[-1][0] != month:
            groups.append((month, []))
        groups[-1][1].append(entry)
    return groups


def render_timeline_index(timeline: Timeline, msg: Messages | None = None) -> str:
    msg = msg or messages()
    path = TIMELINE_INDEX
    page = Article()
    page.heading(1, h(msg("timeline")))
    page.add("<p>" + msg("timeline_lead", count=len(timeline.entries),
                         first=timeline.years[-1] if timeline.years else "—",
                         last=timeline.years[0] if timeline.years else "—",
                         rss=href(path, feed_file("")), atom=href(path, feed_file("", "atom.xml")),
                         json=href(path, feed_file("", "feed.json"))) + "</p>\n")
    if timeline.entries:
        page.heading(2, h(msg("entries_per_year")))
        page.add(render_charts.entries_per_year_chart(timeline, href(path, "data/entries.csv")).html())
        page.heading(2, h(msg("years")))
    rows = []
    for year in timeline.years:
        newest = timeline.by_year[year][0]
        rows.append([f'<a href="{href(path, year_page(year))}">{year}</a>', str(len(timeline.by_year[year])),
                     f'{status_badge(newest.status)} <a href="{href(path, entry_page(newest))}">{h(newest.title)}</a>'])
    page.add(_table([msg("year"), msg("column_entries"), msg("column_latest_event")], rows, msg("years"), msg,
                    right={1}))
    return front_matter(title=msg("timeline"), description=msg("timeline_description"),
                        scd_kind="timeline") + page.html()


def render_hub_pages(kind: str, term_id: str, timeline: Timeline, msg: Messages | None = None,
                     site_title: str = "Social Credit Digest") -> dict:
    msg = msg or messages()
    term = timeline.vocab.get(kind, term_id)
    entries = timeline.by_term[(kind, term_id)]
    chunks = paginate(entries)
    paths = [hub_page(kind, term_id, n) for n in range(1, len(chunks) + 1)]
    first, last = entries[-1].date, entries[0].date
    chart = render_charts.mini_timeline(entries, f"scd-hub-{term_id}")   # once per hub, not per page
    feed = feed_file(feed_folder(kind, term_id))
    pages = {}
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        suffix = _suffix(number, len(chunks), msg)
        title = msg("hub_title", name=term.name, kind=msg.pick("kind", kind)) + suffix
        page = Article()
        page.add(breadcrumb(path, [(msg.pick("kinds", kind), hub_index(kind))], msg))
        page.heading(1, h(term.name) + h(suffix))
        page.add(f'<p class="scd-zh" lang="zh-Hans">{h(term.name_zh)} <span class="scd-pinyin">'
                 f"{h(term.pinyin)}</span></p>\n")
        page.add(f"<p>{h(term.description)}</p>\n")
        if term.aliases:
            page.add(f"<p>{h(msg('also_known_as', aliases=', '.join(term.aliases)))}</p>\n")
        page.add("<p>" + msg("hub_lead", count=len(entries), first=msg.date(first), last=msg.date(last),
                             feed=href(path, feed), kind=msg.pick("kind", kind), index=href(path, hub_index(kind)),
                             kinds=msg.pick("kinds", kind).lower()) + "</p>\n")
        page.add(chart)
        page.add(entry_list(chunk, path, msg))
        page.add(pager(paths, number, path, msg))
        pages[path] = front_matter(title=title, description=term.description + suffix, scd_kind="hub",
                                   hide=["navigation"], scd_feed_href=href(path, feed),
                                   scd_feed_title=msg("hub_feed_title", name=term.name, site=site_title)) + page.html()
    return pages


def render_hub_index(kind: str, timeline: Timeline, msg: Messages | None = None) -> str:
    msg = msg or messages()
    title = msg.pick("kinds", kind)
    path = hub_index(kind)
    page = Article()
    page.heading(1, h(title))
    if kind == "places" and timeline.used_terms("places"):
        page.add(render_charts.places_map(timeline, href(path, "data/entries.csv")).html())
    rows = []
    for term in timeline.used_terms(kind):
        entries = timeline.by_term[(kind, term.id)]
        rows.append([f'<a href="{href(path, hub_page(kind, term.id))}">{h(term.name)}</a>', h(term.name_zh),
                     str(len(entries)), msg.date(entries[0].date)])
    page.add(_table([msg.pick("kind_column", kind), msg("column_zh"), msg("column_entries"), msg("column_latest")],
                    rows, title, msg, right={2}))
    return front_matter(title=title, description=msg("hub_index_description", kind=msg.pick("kind", kind)),
                        scd_kind="hub-index") + page.html()


def render_latest(timeline: Timeline, here: str, limit: int = 10, msg: Messages | None = None) -> str:
    """The 'latest additions' block for the home page."""
    return entry_list(timeline.latest_added(limit), here, msg)


def render_figures(timeline: Timeline, measures: str, here: str, msg: Messages | None = None) -> str:
    """A chart of the ledger's figures for a page's marker `<!-- digest:figures MEASURE [MEASURE ...] -->`."""
    msg = msg or messages()
    ledger = timeline.ledger
    series = []
    for measure_id in measures.split():
        measure = ledger.measures.get(measure_id)
        if measure is None:
            continue
        for unit, rows in ledger.series(measure_id).items():
            series.append((f"{measure.name} ({unit})", rows))
    if not series:
        return ""

    def source_link(figure) -> str:
        entry = timeline.by_id[figure.entry]
        source = entry.sources[figure.source - 1]
        publisher = timeline.vocab.sources.publishers[source.publisher].name
        return (f"{md(publisher)}, {msg.date(source.date)}, via "
                f"[{md(entry.title)}]({href(here, entry_page(entry))})")
    title = msg("figures_title", names="; ".join(ledger.measures[m].name for m in measures.split()
                                                  if m in ledger.measures))
    return render_charts.figures_chart(series, title, source_link, md, href(here, "data.md") + "#figures",
                                      href(here, "data/figures.csv"),
                                      "scd-figures-" + "-".join(measures.split())).html()


def render_measures(timeline: Timeline, msg: Messages | None = None) -> str:
    """The ledger's measures with their definitions and latest figure, for the data page's marker."""
    from .figures import KIND_LABELS
    msg = msg or messages()
    ledger = timeline.ledger
    rows = []
    for measure in ledger.measures.values():
        figures = [f for f in ledger.figures if f.measure == measure.id]
        latest = max(figures, key=lambda f: (f.as_of, f.value), default=None)
        shown = (msg("measure_latest", value=f"{latest.value:,}", unit=h(latest.unit), date=msg.date(latest.as_of))
                 if latest else msg("measure_none"))
        rows.append([f"{h(measure.name)} (<code>{measure.id}</code>)", KIND_LABELS[measure.kind],
                     h(measure.definition), str(len(figures)), shown])
    return _table(msg("measures_columns"), rows, msg("measures"), msg, right={3})


# ---------------------------------------------------------------- corrections

def all_corrections(timeline: Timeline) -> list:
    """[(correction, entry, index in entry.corrections)], newest first; same day: by entry id, later first."""
    found = [(fix, entry, index) for entry in timeline.entries for index, fix in enumerate(entry.corrections)]
    found.sort(key=lambda item: (item[1].id, -item[2]))
    found.sort(key=lambda item: item[0].date, reverse=True)        # stable: keeps the order above per day
    return found


def render_corrections(timeline: Timeline, msg: Messages | None = None,
                       site_title: str = "Social Credit Digest") -> dict:
    msg = msg or messages()
    corrections = all_corrections(timeline)
    chunks = paginate(corrections)
    paths = [corrections_page(n) for n in range(1, len(chunks) + 1)]
    pages = {}
    count = len({entry.id for _, entry, _ in corrections})
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        suffix = _suffix(number, len(chunks), msg)
        page = Article()
        page.heading(1, h(msg("corrections") + suffix))
        page.add("<p>" + (msg("corrections_lead", count=len(corrections), entries=count,
                                  feed=href(path, CORRECTIONS_FEED)) if corrections else msg("corrections_none"))
                 + "</p>\n")
        if chunk:
            page.add('<ul class="scd-list">' + "".join(
                f'<li><strong>{msg.date(fix.date)}</strong> {status_badge(entry.status)} '
                f'<a href="{href(path, entry_page(entry))}#corrections">{h(entry.title)}</a><br>{h(fix.note)} '
                f'<em>{msg("why")}</em> {h(fix.reason)}</li>'
                for fix, entry, _ in chunk) + "</ul>\n")
        page.add(pager(paths, number, path, msg))
        pages[path] = front_matter(title=msg("corrections") + suffix,
                                   description=msg("corrections_description")[:-1] + suffix + ".",
                                   scd_kind="corrections", scd_feed_href=href(path, CORRECTIONS_FEED),
                                   scd_feed_title=msg("corrections_feed_title", site=site_title)) + page.html()
    return pages


class Pages(Mapping):
    """Generated pages, {path: fields and article}. Entry pages are rendered each time they are read,
    not stored: at 10,000 entries holding them all is a few hundred MB."""

    def __init__(self, timeline: Timeline, site_url: str, site_title: str, msg: Messages, memo=None):
        render = functools.partial(render_entry, timeline=timeline, site_url=site_url, site_title=site_title,
                                   msg=msg)
        # memo (digest.pipeline.Memo): a live server renders only the entries an edit changed.
        self._render = render if memo is None else \
            (lambda entry: memo.get_or(("entry page", entry, site_url, msg.language), lambda: render(entry)))
        self._entries = {entry_page(entry): entry for entry in timeline.entries}
        self._text = {}

    def __getitem__(self, path: str) -> str:
        entry = self._entries.get(path)
        return self._text[path] if entry is None else self._render(entry)

    def __iter__(self):
        return iter([*self._entries, *self._text])

    def __len__(self) -> int:
        return len(self._entries) + len(self._text)

    def update(self, pages: dict) -> None:
        self._text.update(pages)

    def __setitem__(self, path: str, text: str) -> None:
        self._text[path] = text

    def has_contents(self, path: str) -> bool:
        """Whether the page has second-level headings (a table of contents); entry pages always do."""
        return path in self._entries or "<h2" in self._text[path]

    def fields(self, path: str) -> dict:
        """A page's fields, without rendering an entry page."""
        entry = self._entries.get(path)
        return entry_fields(entry) if entry is not None else split_front_matter(self._text[path])[0]


def render_pages(timeline: Timeline, site_url: str = "", site_title: str = "", language: str = "en",
                 memo=None) -> Pages:
    """Every generated page, in the given language. Cost is linear in entries (paginated listings)."""
    msg = messages(language)
    site_url = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    pages = Pages(timeline, site_url, site_title, msg, memo)
    site_title = site_title or "Social Credit Digest"

    def kept(key, render):
        """A listing depends on its entries only: a live server renders it again when one changed."""
        return render() if memo is None else memo.get_or(key + (msg.language,), render)
    pages.update(render_corrections(timeline, msg, site_title))
    for year in timeline.years:
        pages.update(kept(("year", year, tuple(timeline.by_year[year])),
                          lambda year=year: render_year_pages(year, timeline, msg)))
    pages[TIMELINE_INDEX] = render_timeline_index(timeline, msg)
    for kind in KINDS:
        for term in timeline.used_terms(kind):
            pages.update(kept(("hub", kind, term.id, tuple(timeline.by_term[(kind, term.id)])),
                              lambda kind=kind, term=term: render_hub_pages(kind, term.id, timeline, msg, site_title)))
        pages[hub_index(kind)] = render_hub_index(kind, timeline, msg)
    return pages
