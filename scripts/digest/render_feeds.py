"""Stage 4b: render RSS 2.0, Atom 1.0 and JSON Feed 1.1 files for the site and for every hub.

Built with xml.etree (never string templates) so every text is escaped by the XML library.
Dates come from the entries ('added', 'updated'), never from the clock, so feeds are reproducible.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

import nh3

from .citations import source_html
from .model import STATUS_LABELS, Entry, Timeline, display_date
from .paths import entry_page, feed_file, feed_folder, hub_page, page_url
from .render_body import page_of_link, render_markdown
from .sanitize import sanitize_html
from .vocab import KINDS

FEED_LIMIT = 50
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ET.register_namespace("atom", ATOM)
ET.register_namespace("content", CONTENT)
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/social-credit-digest")


@dataclass(frozen=True)
class FeedInfo:
    title: str
    description: str
    page: str        # site-relative URL of the HTML page the feed belongs to
    directory: str   # site-relative folder of the feed files ('' for the site)
    site_url: str    # absolute, ends with '/'
    language: str = "en"

    def absolute(self, relative: str) -> str:
        return self.site_url + relative

    def file(self, name: str) -> str:
        return feed_file(self.directory, name)


def entry_guid(entry: Entry) -> str:
    """Stable across title changes and moves: derived from the entry id only."""
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, 'entry/' + entry.id)}"


def day(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=dt.UTC)


def rfc822(text: str) -> str:
    return email.utils.format_datetime(day(text), usegmt=True)


def rfc3339(text: str) -> str:
    return day(text).strftime("%Y-%m-%dT%H:%M:%SZ")


HEADERLINK = re.compile(r'<a class="headerlink" href="#[^"]*" title="Permanent link">&para;</a>')


@lru_cache(maxsize=16384)
def _body_html(page: str, body: str, site_url: str) -> str:
    """An entry's body as its page shows it (the one renderer and sanitiser), links made absolute and
    without the headings' permalink signs."""
    def absolute(link: str) -> str:
        return site_url + page_url(page_of_link(page, link))
    html = sanitize_html(render_markdown(body, resolve=absolute).html)
    return HEADERLINK.sub("", html)


def entry_html(entry: Entry, timeline: Timeline, info: FeedInfo) -> str:
    """Feed content: status, event date, summary, body, sources; the same facts as the page."""
    sources = "".join(f"<li>{source_html(s, timeline.vocab.sources)}</li>" for s in entry.sources)
    return (f"<p><strong>{STATUS_LABELS[entry.status]}</strong> · {display_date(entry.date)}</p>"
            f"<p>{nh3.clean_text(entry.summary)}</p>{_body_html(entry_page(entry), entry.body, info.site_url)}"
            f"<h2>Sources</h2><ul>{sources}</ul>")


def _categories(entry: Entry, timeline: Timeline) -> list:
    return [timeline.vocab.get(kind, term_id).name for kind in KINDS for term_id in entry.terms(kind)]


def _sub(parent, tag, text=None, **attrib):
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def render_rss(entries: list, timeline: Timeline, info: FeedInfo) -> bytes:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", info.title)
    _sub(channel, "link", info.absolute(info.page))
    _sub(channel, "description", info.description)
    _sub(channel, "language", info.language)
    _sub(channel, f"{{{ATOM}}}link", href=info.absolute(info.file("feed.xml")), rel="self",
         type="application/rss+xml")
    if entries:
        _sub(channel, "lastBuildDate", rfc822(max(e.last_changed for e in entries)))
    _sub(channel, "docs", "https://www.rssboard.org/rss-specification")
    for entry in entries:
        item = _sub(channel, "item")
        _sub(item, "title", entry.title)
        _sub(item, "link", info.absolute(entry.url))
        _sub(item, "description", entry.summary)
        _sub(item, f"{{{CONTENT}}}encoded", entry_html(entry, timeline, info))
        _sub(item, "guid", entry_guid(entry), isPermaLink="false")
        _sub(item, "pubDate", rfc822(entry.added))
        for category in _categories(entry, timeline):
            _sub(item, "category", category)
    return _xml(rss)


def render_atom(entries: list, timeline: Timeline, info: FeedInfo) -> bytes:
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": info.language})
    _sub(feed, f"{{{ATOM}}}title", info.title)
    _sub(feed, f"{{{ATOM}}}subtitle", info.description)
    _sub(feed, f"{{{ATOM}}}id", info.absolute(info.file("atom.xml")))
    _sub(feed, f"{{{ATOM}}}link", href=info.absolute(info.file("atom.xml")), rel="self",
         type="application/atom+xml")
    _sub(feed, f"{{{ATOM}}}link", href=info.absolute(info.page), rel="alternate", type="text/html")
    _sub(feed, f"{{{ATOM}}}updated", rfc3339(max((e.last_changed for e in entries), default="1970-01-01")))
    author = _sub(feed, f"{{{ATOM}}}author")
    _sub(author, f"{{{ATOM}}}name", "Social Credit Digest")
    for entry in entries:
        item = _sub(feed, f"{{{ATOM}}}entry")
        _sub(item, f"{{{ATOM}}}title", entry.title)
        _sub(item, f"{{{ATOM}}}id", entry_guid(entry))
        _sub(item, f"{{{ATOM}}}link", href=info.absolute(entry.url), rel="alternate", type="text/html")
        _sub(item, f"{{{ATOM}}}published", rfc3339(entry.added))
        _sub(item, f"{{{ATOM}}}updated", rfc3339(entry.last_changed))
        _sub(item, f"{{{ATOM}}}summary", entry.summary)
        _sub(item, f"{{{ATOM}}}content", entry_html(entry, timeline, info), type="html")
        for category in _categories(entry, timeline):
            _sub(item, f"{{{ATOM}}}category", term=category)
    return _xml(feed)


def render_json_feed(entries: list, timeline: Timeline, info: FeedInfo) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": info.absolute(info.page),
        "feed_url": info.absolute(info.file("feed.json")),
        "description": info.description,
        "language": info.language,
        "authors": [{"name": "Social Credit Digest"}],
        "items": [{
            "id": entry_guid(entry),
            "url": info.absolute(entry.url),
            "title": entry.title,
            "summary": entry.summary,
            "content_html": entry_html(entry, timeline, info),
            "date_published": rfc3339(entry.added),
            "date_modified": rfc3339(entry.last_changed),
            "tags": _categories(entry, timeline),
            "_social_credit_digest": {"event_date": entry.date, "status": entry.status},
        } for entry in entries],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def _xml(root) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render_feed_set(entries: list, timeline: Timeline, info: FeedInfo, memo=None) -> dict:
    latest = sorted(entries, key=lambda e: (e.added, e.sort_key), reverse=True)[:FEED_LIMIT]

    def render() -> dict:
        return {info.file("feed.xml"): render_rss(latest, timeline, info),
                info.file("atom.xml"): render_atom(latest, timeline, info),
                info.file("feed.json"): render_json_feed(latest, timeline, info)}
    # memo (digest.pipeline.Memo): a feed set is rendered again only when one of its entries changed.
    return render() if memo is None else memo.get_or(("feed set", info, tuple(latest)), render)


def render_feeds(timeline: Timeline, site_url: str, site_title: str, memo=None) -> dict:
    """All feed files: {site-relative path: bytes}."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    files = dict(render_feed_set(timeline.entries, timeline, FeedInfo(
        title=site_title, description="New entries in the Social Credit Digest timeline.",
        page="", directory="", site_url=site_url), memo))
    for kind in KINDS:
        for term in timeline.used_terms(kind):
            files.update(render_feed_set(timeline.by_term[(kind, term.id)], timeline, FeedInfo(
                title=f"{term.name} — {site_title}", description=term.description,
                page=page_url(hub_page(kind, term.id)), directory=feed_folder(kind, term.id), site_url=site_url),
                memo))
    return files
