"""Stage 4a: render the model into Markdown pages (entries, years, hubs, indexes).

Pages are returned as {site-relative .md path: text}; an adapter hands them to a site generator.
Links between pages are relative .md links so the generator can check them and the site works
under any base path.
"""
from __future__ import annotations

import posixpath
import re

import yaml

from .model import STATUS_LABELS, Entry, Timeline, display_date
from .vocab import KINDS

PER_PAGE = 100                      # listing pages are paginated so no page grows with the timeline
KIND_LABELS = {"topics": ("Topics", "topic"), "places": ("Places", "place"),
               "entities": ("Entities", "entity")}
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "zh-Hans": "Chinese (simplified)",
                  "zh-Hant": "Chinese (traditional)", "de": "German", "fr": "French", "ja": "Japanese"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|{}])")


def md(text: str) -> str:
    """Escape plain text (titles, summaries) so Markdown and HTML show it literally."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def link(from_page: str, to_page: str) -> str:
    """Relative link from one .md page to another."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def front_matter(**fields) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=True, width=1000) + "---\n\n"


def entry_page(entry: Entry) -> str:
    return f"timeline/{entry.year}/{entry.id}.md"


def hub_page(kind: str, term_id: str, page: int = 1) -> str:
    return f"{kind}/{term_id}.md" if page == 1 else f"{kind}/{term_id}/page-{page}.md"


def year_page(year: str, page: int = 1) -> str:
    return f"timeline/{year}/index.md" if page == 1 else f"timeline/{year}/page-{page}.md"


def status_badge(status: str) -> str:
    return f'<span class="scd-status scd-status--{status}">{STATUS_LABELS[status]}</span>'


# ---------------------------------------------------------------- entry pages

def render_entry(entry: Entry, timeline: Timeline) -> str:
    here = entry_page(entry)
    parts = [front_matter(title=entry.title, description=entry.summary, scd_kind="entry",
                          scd_entry=entry.id),
             f"# {md(entry.title)}\n\n",
             _search_meta(entry, timeline),
             f'<p class="scd-meta">{status_badge(entry.status)} '
             f'<span class="scd-date">{display_date(entry.date)}</span></p>\n\n']
    if entry.corrections:
        latest = entry.corrections[-1]
        parts.append(f'!!! warning "Corrected {display_date(latest.date)}"\n    {md(latest.note)} '
                     f"See [corrections](#corrections).\n\n")
    parts.append(f'<p class="scd-summary" markdown>{md(entry.summary)}</p>\n\n')
    parts.append(entry.body + "\n")
    parts.append(_sources(entry))
    parts.append(_filed_under(entry, timeline, here))
    parts.append(_dates(entry))
    if entry.corrections:
        parts.append("## Corrections\n\n" + "".join(
            f"- **{display_date(fix.date)}**: {md(fix.note)}\n" for fix in entry.corrections) + "\n")
    return "".join(parts)


def _search_meta(entry: Entry, timeline: Timeline) -> str:
    """Hidden Pagefind filters and sort keys (the page shows the same facts visibly)."""
    spans = [f'<span data-pagefind-filter="year">{entry.year}</span>',
             f'<span data-pagefind-filter="status">{STATUS_LABELS[entry.status]}</span>',
             f'<span data-pagefind-sort="date">{entry.sort_key[0]}</span>',
             f'<span data-pagefind-meta="date">{display_date(entry.date)}</span>']
    for kind in KINDS:
        label = KIND_LABELS[kind][1]
        for term_id in entry.terms(kind):
            term = timeline.vocab.get(kind, term_id)
            spans.append(f'<span data-pagefind-filter="{label}">{attr(term.name)}</span>')
    return '<div hidden data-pagefind-ignore>' + "".join(spans) + "</div>\n\n"


def _sources(entry: Entry) -> str:
    lines = ["## Sources\n\n"]
    for source in entry.sources:
        language = LANGUAGE_NAMES.get(source.language, source.language)
        badge = ' <span class="scd-primary">Primary source</span>' if source.primary else ""
        archive = f" ([archived copy](<{source.archive_url}>))" if source.archive_url else ""
        lines.append(f"1. {md(source.publisher)}: [{md(source.title)}](<{source.url}>), "
                     f"{display_date(source.published)}, {language}.{badge}{archive}\n")
    return "".join(lines) + "\n"


def _filed_under(entry: Entry, timeline: Timeline, here: str) -> str:
    rows = []
    for kind in KINDS:
        links = [f"[{md(timeline.vocab.get(kind, term_id).name)}]({link(here, hub_page(kind, term_id))})"
                 for term_id in entry.terms(kind)]
        if links:
            rows.append(f"- **{KIND_LABELS[kind][0]}:** " + ", ".join(links) + "\n")
    rows.append(f"- **Year:** [{entry.year}]({link(here, year_page(entry.year))})\n")
    return "## Filed under\n\n" + "".join(rows) + "\n"


def _dates(entry: Entry) -> str:
    text = f"Added {display_date(entry.added)}"
    if entry.updated:
        text += f", updated {display_date(entry.updated)}"
    return f'<p class="scd-added">{text}.</p>\n\n'


# ---------------------------------------------------------------- listings

def entry_line(entry: Entry, here: str) -> str:
    return (f"- **{display_date(entry.date)}** {status_badge(entry.status)} "
            f"[{md(entry.title)}]({link(here, entry_page(entry))})  \n"
            f"  {md(entry.summary)}\n")


def paginate(items: list, per_page: int = PER_PAGE) -> list:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


def pager(page_paths: list, current: int, here: str) -> str:
    if len(page_paths) < 2:
        return ""
    links = [f"**{n}**" if n == current else f"[{n}]({link(here, path)})"
             for n, path in enumerate(page_paths, start=1)]
    return "\n<nav class=\"scd-pager\" markdown>Pages: " + " · ".join(links) + "</nav>\n"


def render_year_pages(year: str, timeline: Timeline) -> dict:
    entries = timeline.by_year[year]
    chunks = paginate(entries)
    paths = [year_page(year, n) for n in range(1, len(chunks) + 1)]
    pages = {}
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        text = [front_matter(title=f"{year}{suffix}", description=f"Timeline entries for {year}.",
                             scd_kind="year"),
                f"# {year}{suffix}\n\n{len(entries)} entries, newest first. "
                f"[All years]({link(path, 'timeline/index.md')})\n\n"]
        month = None
        for entry in chunk:
            heading = display_date(entry.date[:7]) if entry.precision != "year" else f"{year} (month unknown)"
            if heading != month:
                month = heading
                text.append(f"\n## {heading}\n\n")
            text.append(entry_line(entry, path))
        text.append(pager(paths, number, path))
        pages[path] = "".join(text)
    return pages


def render_timeline_index(timeline: Timeline) -> str:
    path = "timeline/index.md"
    text = [front_matter(title="Timeline", description="Every event in the digest, by year.",
                         scd_kind="timeline"),
            "# Timeline\n\n",
            f"{len(timeline.entries)} entries from {timeline.years[-1] if timeline.years else '—'} "
            f"to {timeline.years[0] if timeline.years else '—'}, one page per year, newest first. "
            "Subscribe to new entries by [RSS](../feed.xml), [Atom](../atom.xml) or "
            "[JSON Feed](../feed.json).\n\n"]
    text.append("| Year | Entries | Latest event |\n|---|---:|---|\n")
    for year in timeline.years:
        newest = timeline.by_year[year][0]
        text.append(f"| [{year}]({link(path, year_page(year))}) | {len(timeline.by_year[year])} | "
                    f"[{md(newest.title)}]({link(path, entry_page(newest))}) |\n")
    return "".join(text)


def render_hub_pages(kind: str, term_id: str, timeline: Timeline) -> dict:
    term = timeline.vocab.get(kind, term_id)
    entries = timeline.by_term[(kind, term_id)]
    chunks = paginate(entries)
    paths = [hub_page(kind, term_id, n) for n in range(1, len(chunks) + 1)]
    first, last = entries[-1].date, entries[0].date
    aliases = ", ".join(md(alias) for alias in term.aliases)
    pages = {}
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        suffix = f" (page {number} of {len(chunks)})" if len(chunks) > 1 else ""
        feed = link(path, f"{kind}/{term_id}/feed.xml")
        text = [front_matter(title=f"{term.name}{suffix}", description=term.description,
                             scd_kind="hub", scd_feed=f"{kind}/{term_id}/feed.xml",
                             scd_feed_title=f"{term.name} — Social Credit Digest"),
                f"# {md(term.name)}{suffix}\n\n",
                f'<p class="scd-zh" lang="zh-Hans">{md(term.name_zh)} <span class="scd-pinyin">'
                f"{md(term.pinyin)}</span></p>\n\n",
                f"{md(term.description)}\n\n"]
        if aliases:
            text.append(f"Also known as: {aliases}.\n\n")
        text.append(f"**{len(entries)} entries**, {display_date(first)} to {display_date(last)}. "
                    f"[RSS feed for this {KIND_LABELS[kind][1]}]({feed}). "
                    f"[All {KIND_LABELS[kind][0].lower()}]({link(path, f'{kind}/index.md')})\n\n")
        text.extend(entry_line(entry, path) for entry in chunk)
        text.append(pager(paths, number, path))
        pages[path] = "".join(text)
    return pages


def render_hub_index(kind: str, timeline: Timeline) -> str:
    title, _ = KIND_LABELS[kind]
    path = f"{kind}/index.md"
    text = [front_matter(title=title, description=f"Timeline entries grouped by {KIND_LABELS[kind][1]}.",
                         scd_kind="hub-index"),
            f"# {title}\n\n| {title[:-1] if kind != 'entities' else 'Entity'} | 中文 | Entries | Latest |\n"
            "|---|---|---:|---|\n"]
    for term in timeline.used_terms(kind):
        entries = timeline.by_term[(kind, term.id)]
        text.append(f"| [{md(term.name)}]({link(path, hub_page(kind, term.id))}) | {md(term.name_zh)} | "
                    f"{len(entries)} | {display_date(entries[0].date)} |\n")
    return "".join(text)


def render_latest(timeline: Timeline, here: str, limit: int = 10) -> str:
    """The 'latest additions' block for the home page."""
    return "".join(entry_line(entry, here) for entry in timeline.latest_added(limit))


def render_pages(timeline: Timeline) -> dict:
    """Every generated page: {path: markdown}. Cost is linear in entries (paginated listings)."""
    pages = {entry_page(entry): render_entry(entry, timeline) for entry in timeline.entries}
    for year in timeline.years:
        pages.update(render_year_pages(year, timeline))
    pages["timeline/index.md"] = render_timeline_index(timeline)
    for kind in KINDS:
        for term in timeline.used_terms(kind):
            pages.update(render_hub_pages(kind, term.id, timeline))
        pages[f"{kind}/index.md"] = render_hub_index(kind, timeline)
    return pages
