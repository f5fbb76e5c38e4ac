"""Stage 4a: render the model into Markdown pages (entries, years, hubs, indexes).

Pages are returned as {site-relative .md path: text}; an adapter hands them to a site generator,
which serves page `a/b.md` at the directory URL `a/b/`. Only what people write (entry bodies, the
home page, explainers) needs a Markdown parser: the generated parts (listings, sources, metadata,
citations) are emitted as HTML blocks with relative links, which the parser passes through at
almost no cost. That keeps the build close to plain Markdown speed at 10,000 entries; the test
suite's link checker verifies every generated link.
"""
from __future__ import annotations

import base64
import functools
import html
import json
import re
from collections.abc import Mapping

from . import render_charts
from .citations import source_html
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
    year_page,
)
from .vocab import KINDS

PER_PAGE = 100                      # listing pages are paginated so no page grows with the timeline
KIND_LABELS = {"topics": ("Topics", "topic"), "places": ("Places", "place"),
               "entities": ("Entities", "entity")}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|{}])")


def md(text: str) -> str:
    """Escape plain text (titles, summaries) so Markdown and HTML show it literally."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def h(text: str) -> str:
    return html.escape(text, quote=True)


HTML_BLOCK = re.compile(r"<!--scd-html:([A-Za-z0-9+/=]*)-->")


def html_block(markup: str) -> str:
    """Generated HTML, carried through the Markdown parser as one opaque comment (the parser neither
    parses nor alters it: parsing the tags of every listing line was most of the build's cost);
    expand_html_blocks() puts it back into the converted page."""
    return "<!--scd-html:" + base64.b64encode(markup.encode("utf-8")).decode("ascii") + "-->\n\n"


def expand_html_blocks(page_html: str) -> str:
    return HTML_BLOCK.sub(lambda match: base64.b64decode(match.group(1)).decode("utf-8"), page_html)


def link(from_page: str, to_page: str) -> str:
    """Relative URL from one generated page to another page (.md) or file, for Markdown links: the
    pages are converted by the site's own renderer, which does not resolve .md links."""
    return href(from_page, to_page)


def front_matter(**fields) -> str:
    if "description" in fields:     # the theme writes it into <meta content="..."> without escaping
        fields["description"] = attr(fields["description"])
    # JSON values are valid YAML and json.dumps is far cheaper than the YAML emitter (one call per page).
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in sorted(fields.items()))
    return "---\n" + lines + "---\n\n"


def split_front_matter(text: str) -> tuple[dict, str]:
    """(fields, Markdown) of a page written by front_matter(): one `key: <JSON>` line per field.
    Lets an adapter hand the fields to the site generator directly instead of having it parse YAML."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 3)
    fields = {}
    for line in text[4:end].split("\n"):
        key, value = line.split(": ", 1)
        fields[key] = json.loads(value)
    return fields, text[end + 5:].lstrip("\n")


def breadcrumb(here: str, trail: list) -> str:
    """A way up at the top of a page: [(label, page path), ...], outermost first."""
    links = " › ".join(f'<a href="{href(here, path)}">{h(label)}</a>' for label, path in trail)
    return f'<nav class="scd-breadcrumb" aria-label="Breadcrumb">{links}</nav>'


def status_badge(status: str) -> str:
    return f'<span class="scd-status scd-status--{status}">{STATUS_LABELS[status]}</span>'


# ---------------------------------------------------------------- entry pages

def _entry_front(entry: Entry) -> dict:
    return {"description": entry.summary, "scd_entry": entry.id, "scd_kind": "entry", "title": entry.title,
            "hide": ["navigation"]}


def entry_fields(entry: Entry) -> dict:
    """The front-matter fields of an entry page, as split_front_matter() reads them back."""
    return {**_entry_front(entry), "description": attr(entry.summary)}


def render_entry(entry: Entry, timeline: Timeline, site_url: str = "", site_title: str = "") -> str:
    here = entry_page(entry)
    parts = [front_matter(**_entry_front(entry)),
             html_block(breadcrumb(here, [("Timeline", TIMELINE_INDEX), (entry.year, year_page(entry.year))])),
             f"# {md(entry.title)}\n\n",
             html_block(_search_meta(entry, timeline)
                        + f'<p class="scd-meta">{status_badge(entry.status)} '
                          f'<span class="scd-date">{display_date(entry.date)}</span></p>')]
    if entry.corrections:
        latest = entry.corrections[-1]
        parts.append(f'!!! warning "Corrected {display_date(latest.date)}"\n    {md(latest.note)} '
                     f"See [corrections](#corrections).\n\n")
    parts.append(html_block(f'<p class="scd-summary">{h(entry.summary)}</p>'))
    parts.append(entry.body + "\n")
    parts.append(_sources(entry, timeline))
    parts.append(_filed_under(entry, timeline, here))
    parts.append(_dates(entry))
    if entry.corrections:
        parts.append("## Corrections\n\n" + "".join(
            f"- **{display_date(fix.date)}**: {md(fix.note)} *Why:* {md(fix.reason)}\n"
            for fix in entry.corrections) + "\n")
    parts.append(_cite(entry, site_url + entry.url, site_title or "Social Credit Digest"))
    return "".join(parts)


def search_sort_value(entry: Entry) -> str:
    """The entry's date sort key for search. The id breaks ties between same-day events, so the
    order is the same every build."""
    return f"{entry.sort_key[0]} {entry.id}"


def _search_meta(entry: Entry, timeline: Timeline) -> str:
    """Hidden Pagefind filters and sort keys (the page shows the same facts visibly)."""
    spans = [f'<span data-pagefind-filter="year">{entry.year}</span>',
             f'<span data-pagefind-filter="status">{STATUS_LABELS[entry.status]}</span>',
             f'<span data-pagefind-sort="date">{search_sort_value(entry)}</span>',
             f'<span data-pagefind-meta="date">{display_date(entry.date)}</span>']
    for kind in KINDS:
        label = KIND_LABELS[kind][1]
        for term_id in entry.terms(kind):
            term = timeline.vocab.get(kind, term_id)
            spans.append(f'<span data-pagefind-filter="{label}">{attr(term.name)}</span>')
    return '<div hidden data-pagefind-ignore="index">' + "".join(spans) + "</div>"


def _sources(entry: Entry, timeline: Timeline) -> str:
    items = "".join(f"<li>{source_html(source, timeline.vocab.sources)}</li>" for source in entry.sources)
    return '## Sources\n\n' + html_block('<ol class="scd-sources">' + items + "</ol>")


def _filed_under(entry: Entry, timeline: Timeline, here: str) -> str:
    rows = []
    for kind in KINDS:
        links = [f'<a href="{href(here, hub_page(kind, term_id))}">{h(timeline.vocab.get(kind, term_id).name)}</a>'
                 for term_id in entry.terms(kind)]
        if links:
            rows.append(f"<li><strong>{KIND_LABELS[kind][0]}:</strong> " + ", ".join(links) + "</li>")
    rows.append(f'<li><strong>Year:</strong> <a href="{href(here, year_page(entry.year))}">{entry.year}</a></li>')
    return '## Filed under\n\n' + html_block('<ul class="scd-filed">' + "".join(rows) + "</ul>")


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


def _cite(entry: Entry, url: str, site_title: str) -> str:
    return '## Cite this entry\n\n' + html_block(
        '<div class="scd-cite" data-pagefind-ignore="all">' + _code_block(citation_text(entry, url, site_title))
        + "<p>BibTeX:</p>" + _code_block(bibtex(entry, url, site_title))
        + "<p>Replace YYYY-MM-DD with the day you read the page.</p></div>")


def _dates(entry: Entry) -> str:
    text = f"Added {display_date(entry.added)}"
    if entry.updated:
        text += f", updated {display_date(entry.updated)}"
    text += f". Last checked against its sources {display_date(entry.reviewed)}"
    return html_block(f'<p class="scd-added">{text}.</p>')


# ---------------------------------------------------------------- listings

def entry_line(entry: Entry, here: str) -> str:
    return (f'<li><strong>{display_date(entry.date)}</strong> {status_badge(entry.status)} '
            f'<a href="{href(here, entry_page(entry))}">{h(entry.title)}</a><br>{h(entry.summary)}</li>')


def entry_list(entries, here: str) -> str:
    """A listing as one HTML block (no blank line inside, so Markdown passes it through). Search
    leaves listings out: each entry is found on its own page, not again on every hub and year
    page that lists it (and Pagefind's memory grows with the text it indexes)."""
    return html_block('<ul class="scd-list" data-pagefind-ignore>'
                      + "".join(entry_line(entry, here) for entry in entries) + "</ul>")


def paginate(items: list, per_page: int = PER_PAGE) -> list:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


PAGER_AROUND = 2      # pages linked on either side of the current one, besides the first and last


def pager(page_paths: list, current: int, here: str) -> str:
    """Links to the first and last page and to those near the current one, so a listing of any
    length costs a few links per page, not one per page of the listing."""
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
    return html_block('<nav class="scd-pager" aria-label="Pages">Pages: ' + " · ".join(links) + "</nav>")


def render_year_pages(year: str, timeline: Timeline) -> dict:
    entries = timeline.by_year[year]
    chunks = paginate(entries)
    paths = [year_page(year, n) for n in range(1, len(chunks) + 1)]
    pages = {}
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        text = [front_matter(title=f"{year}{suffix}", description=f"Timeline entries for {year}{suffix}.",
                             scd_kind="year", hide=["navigation"]),
                html_block(breadcrumb(path, [("Timeline", TIMELINE_INDEX)])),
                f"# {year}{suffix}\n\n{len(entries)} entries, newest first. "
                f"[All years]({link(path, TIMELINE_INDEX)})\n\n"]
        for heading, group in _by_month(chunk, year):
            text.append(f"## {heading}\n\n" + entry_list(group, path))
        text.append(pager(paths, number, path))
        pages[path] = "".join(text)
    return pages


def _by_month(entries: list, year: str) -> list:
    groups = []
    for entry in entries:
        heading = display_date(entry.date[:7]) if entry.precision != "year" else f"{year} (month unknown)"
        if not groups or groups[-1][0] != heading:
            groups.append((heading, []))
        groups[-1][1].append(entry)
    return groups


def render_timeline_index(timeline: Timeline) -> str:
    path = TIMELINE_INDEX
    text = [front_matter(title="Timeline", description="Every event in the digest, by year.",
                         scd_kind="timeline"),
            "# Timeline\n\n",
            f"{len(timeline.entries)} entries from {timeline.years[-1] if timeline.years else '—'} "
            f"to {timeline.years[0] if timeline.years else '—'}, one page per year, newest first. "
            f"Subscribe to new entries by [RSS]({link(path, feed_file(''))}), "
            f"[Atom]({link(path, feed_file('', 'atom.xml'))}) or [JSON Feed]({link(path, feed_file('', 'feed.json'))}).\n\n"]
    if timeline.entries:
        text.append("## Entries per year\n\n" + render_charts.entries_per_year_chart(timeline, link(path, "data/entries.csv")).markdown()
                    + "## Years\n\n")
    text.append("| Year | Entries | Latest event |\n|---|---:|---|\n")
    for year in timeline.years:
        newest = timeline.by_year[year][0]
        text.append(f"| [{year}]({link(path, year_page(year))}) | {len(timeline.by_year[year])} | "
                    f"{status_badge(newest.status)} [{md(newest.title)}]({link(path, entry_page(newest))}) |\n")
    return "".join(text)


def render_hub_pages(kind: str, term_id: str, timeline: Timeline) -> dict:
    term = timeline.vocab.get(kind, term_id)
    entries = timeline.by_term[(kind, term_id)]
    chunks = paginate(entries)
    paths = [hub_page(kind, term_id, n) for n in range(1, len(chunks) + 1)]
    first, last = entries[-1].date, entries[0].date
    aliases = ", ".join(md(alias) for alias in term.aliases)
    chart = render_charts.mini_timeline(entries, f"scd-hub-{term_id}")   # once per hub, not per page
    pages = {}
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        feed = link(path, feed_file(feed_folder(kind, term_id)))
        text = [front_matter(title=f"{term.name} ({KIND_LABELS[kind][1]}){suffix}", description=term.description + suffix,
                             scd_kind="hub", hide=["navigation"], scd_feed_href=href(path, feed_file(feed_folder(kind, term_id))),
                             scd_feed_title=f"{term.name} — Social Credit Digest"),
                html_block(breadcrumb(path, [(KIND_LABELS[kind][0], hub_index(kind))])),
                f"# {md(term.name)}{suffix}\n\n",
                f'<p class="scd-zh" lang="zh-Hans">{md(term.name_zh)} <span class="scd-pinyin">'
                f"{md(term.pinyin)}</span></p>\n\n",
                f"{md(term.description)}\n\n"]
        if aliases:
            text.append(f"Also known as: {aliases}.\n\n")
        text.append(f"**{len(entries)} entries**, {display_date(first)} to {display_date(last)}. "
                    f"[RSS feed for this {KIND_LABELS[kind][1]}]({feed}). "
                    f"[All {KIND_LABELS[kind][0].lower()}]({link(path, hub_index(kind))})\n\n")
        text.append(chart)
        text.append(entry_list(chunk, path))
        text.append(pager(paths, number, path))
        pages[path] = "".join(text)
    return pages


def render_hub_index(kind: str, timeline: Timeline) -> str:
    title, _ = KIND_LABELS[kind]
    path = hub_index(kind)
    text = [front_matter(title=title, description=f"Timeline entries grouped by {KIND_LABELS[kind][1]}.",
                         scd_kind="hub-index"),
            f"# {title}\n\n"]
    if kind == "places" and timeline.used_terms("places"):
        text.append(render_charts.places_map(timeline, link(path, "data/entries.csv")).markdown())
    text.append(f"| {title[:-1] if kind != 'entities' else 'Entity'} | 中文 | Entries | Latest |\n"
                "|---|---|---:|---|\n")
    for term in timeline.used_terms(kind):
        entries = timeline.by_term[(kind, term.id)]
        text.append(f"| [{md(term.name)}]({link(path, hub_page(kind, term.id))}) | {md(term.name_zh)} | "
                    f"{len(entries)} | {display_date(entries[0].date)} |\n")
    return "".join(text)


def render_latest(timeline: Timeline, here: str, limit: int = 10) -> str:
    """The 'latest additions' block for the home page."""
    return entry_list(timeline.latest_added(limit), here)


def render_figures(timeline: Timeline, measures: str, here: str) -> str:
    """A chart of the ledger's figures for a page's marker `<!-- digest:figures MEASURE [MEASURE ...] -->`."""
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
        return (f"{md(publisher)}, {display_date(source.date)}, via "
                f"[{md(entry.title)}]({link(here, entry_page(entry))})")
    title = "Published figures: " + "; ".join(ledger.measures[m].name for m in measures.split() if m in ledger.measures)
    return render_charts.figures_chart(series, title, source_link, md, link(here, "data.md") + "#figures",
                                      link(here, "data/figures.csv"),
                                      "scd-figures-" + "-".join(measures.split())).markdown()


def render_measures(timeline: Timeline) -> str:
    """The ledger's measures with their definitions and latest figure, for the data page's marker."""
    from .figures import KIND_LABELS
    ledger = timeline.ledger
    rows = ["| Measure | Kind | Definition | Figures | Latest |", "|---|---|---|--:|---|"]
    for measure in ledger.measures.values():
        figures = [f for f in ledger.figures if f.measure == measure.id]
        latest = max(figures, key=lambda f: (f.as_of, f.value), default=None)
        shown = f"{latest.value:,} {md(latest.unit)}, as of {display_date(latest.as_of)}" if latest else "none yet"
        rows.append(f"| {md(measure.name)} (`{measure.id}`) | {KIND_LABELS[measure.kind]} | {md(measure.definition)} "
                    f"| {len(figures)} | {shown} |")
    return "\n".join(rows) + "\n"


# ---------------------------------------------------------------- corrections

def all_corrections(timeline: Timeline) -> list:
    """[(correction, entry, index in entry.corrections)], newest first; same day: by entry id, later first."""
    found = [(fix, entry, index) for entry in timeline.entries for index, fix in enumerate(entry.corrections)]
    found.sort(key=lambda item: (item[1].id, -item[2]))
    found.sort(key=lambda item: item[0].date, reverse=True)        # stable: keeps the order above per day
    return found


def render_corrections(timeline: Timeline) -> dict:
    corrections = all_corrections(timeline)
    chunks = paginate(corrections)
    paths = [corrections_page(n) for n in range(1, len(chunks) + 1)]
    pages = {}
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        count = len({entry.id for _, entry, _ in corrections})
        text = [front_matter(title=f"Corrections{suffix}", description=f"Every correction, newest first{suffix}.",
                             scd_kind="corrections", scd_feed_href=href(path, CORRECTIONS_FEED),
                             scd_feed_title="Corrections — Social Credit Digest"),
                f"# Corrections{suffix}\n\n",
                f"{len(corrections)} corrections to {count} entries, newest first. A corrected entry shows "
                f"a notice at the top and lists its corrections. Subscribe by "
                f"[RSS]({link(path, CORRECTIONS_FEED)}).\n\n" if corrections else
                "No entry has been corrected yet.\n\n"]
        if chunk:
            text.append(html_block('<ul class="scd-list">' + "".join(
                f'<li><strong>{display_date(fix.date)}</strong> {status_badge(entry.status)} '
                f'<a href="{href(path, entry_page(entry))}#corrections">{h(entry.title)}</a><br>{h(fix.note)} '
                f'<em>Why:</em> {h(fix.reason)}</li>'
                for fix, entry, _ in chunk) + "</ul>"))
        text.append(pager(paths, number, path))
        pages[path] = "".join(text)
    return pages


class Pages(Mapping):
    """Generated pages, {path: Markdown}. Entry pages are rendered each time they are read, not
    stored: a site generator converting them in worker processes never holds all of them at once
    (at 10,000 entries that is a few hundred MB). `deferred` gives their front-matter fields."""

    def __init__(self, timeline: Timeline, site_url: str, site_title: str):
        self._render = functools.partial(render_entry, timeline=timeline, site_url=site_url, site_title=site_title)
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

    def deferred(self) -> dict:
        """{path: front-matter fields} of the pages rendered when read."""
        return {path: entry_fields(entry) for path, entry in self._entries.items()}


def render_pages(timeline: Timeline, site_url: str = "", site_title: str = "") -> Pages:
    """Every generated page: {path: markdown}. Cost is linear in entries (paginated listings)."""
    site_url = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    pages = Pages(timeline, site_url, site_title)
    pages.update(render_corrections(timeline))
    for year in timeline.years:
        pages.update(render_year_pages(year, timeline))
    pages[TIMELINE_INDEX] = render_timeline_index(timeline)
    for kind in KINDS:
        for term in timeline.used_terms(kind):
            pages.update(render_hub_pages(kind, term.id, timeline))
        pages[hub_index(kind)] = render_hub_index(kind, timeline)
    return pages
