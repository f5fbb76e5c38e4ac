"""Stage 4c: the corrections feed, /corrections/feed.xml (RSS 2.0), one item per correction.

Built with xml.etree through render_feeds' helpers so escaping and dates match the other feeds. GUIDs
derive from the entry id, the correction date and its rank among that entry's corrections of the same
day, so they survive title changes and rebuilds.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from .model import Timeline
from .paths import CORRECTIONS_FEED, CORRECTIONS_INDEX, page_url
from .render_feeds import ATOM, FEED_LIMIT, GUID_NAMESPACE, _sub, _xml, rfc822
from .render_pages import all_corrections


def correction_guids(timeline: Timeline) -> dict:
    """{(entry id, index in entry.corrections): guid}."""
    guids, seen = {}, {}
    for entry in timeline.entries:
        for index, fix in enumerate(entry.corrections):
            rank = seen[(entry.id, fix.date)] = seen.get((entry.id, fix.date), 0) + 1
            key = f"correction/{entry.id}/{fix.date}" + (f"/{rank}" if rank > 1 else "")
            guids[(entry.id, index)] = f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, key)}"
    return guids


def render_corrections_feed(timeline: Timeline, site_url: str, site_title: str) -> dict:
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    guids = correction_guids(timeline)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", f"Corrections — {site_title}")
    _sub(channel, "link", site_url + page_url(CORRECTIONS_INDEX))
    _sub(channel, "description", f"Corrections to entries in the {site_title} timeline, newest first.")
    _sub(channel, "language", "en")
    _sub(channel, f"{{{ATOM}}}link", href=site_url + CORRECTIONS_FEED, rel="self",
         type="application/rss+xml")
    corrections = all_corrections(timeline)[:FEED_LIMIT]
    if corrections:
        _sub(channel, "lastBuildDate", rfc822(corrections[0][0].date))
    for fix, entry, index in corrections:
        item = _sub(channel, "item")
        _sub(item, "title", f"Correction: {entry.title}")
        _sub(item, "link", site_url + entry.url + "#corrections")
        _sub(item, "description", f"{fix.note} Why: {fix.reason}")
        _sub(item, "guid", guids[(entry.id, index)], isPermaLink="false")
        _sub(item, "pubDate", rfc822(fix.date))
    return {CORRECTIONS_FEED: _xml(rss)}
