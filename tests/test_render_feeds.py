import datetime as dt
import json

import feedparser

from conftest import FIXTURES
from digest.pipeline import check
from digest.render_feeds import FEED_LIMIT, entry_guid, render_feeds


def feeds():
    timeline = check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline
    return timeline, render_feeds(timeline, "https://digest.example", "Digest")


def test_every_hub_has_three_feeds():
    _, files = feeds()
    assert {"feed.xml", "atom.xml", "feed.json"} <= set(files)
    for hub in ["topics/international", "places/xinjiang", "entities/sensetime"]:
        assert {f"{hub}/feed.xml", f"{hub}/atom.xml", f"{hub}/feed.json"} <= set(files)


def test_rss_parses_in_added_order_with_stable_guids():
    timeline, files = feeds()
    parsed = feedparser.parse(files["feed.xml"])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [item.id for item in parsed.entries] == [entry_guid(timeline.by_id[i]) for i in
                                                    ("sensetime-listed", "eu-proposal", "court-list-goes-online")]
    assert parsed.entries[0].link == "https://digest.example/timeline/2019/sensetime-listed/"
    assert parsed.entries[0].published == "Sun, 15 Feb 2026 00:00:00 GMT"
    assert parsed.feed.updated == "Sun, 01 Mar 2026 00:00:00 GMT"   # lastBuildDate from data
    assert b'<atom:link href="https://digest.example/feed.xml" rel="self"' in files["feed.xml"]


def test_guid_depends_on_id_only():
    timeline, _ = feeds()
    entry = timeline.by_id["eu-proposal"]
    from dataclasses import replace
    assert entry_guid(replace(entry, title="Changed")) == entry_guid(entry)


def test_atom_carries_updated_date():
    _, files = feeds()
    parsed = feedparser.parse(files["atom.xml"])
    assert not parsed.bozo
    first = parsed.entries[0]
    assert first.updated == "2026-03-01T00:00:00Z" and first.published == "2026-02-15T00:00:00Z"


def test_json_feed_and_escaping():
    _, files = feeds()
    feed = json.loads(files["feed.json"])
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://digest.example/feed.json"
    assert feed["items"][0]["_social_credit_digest"] == {"event_date": "2019-10", "status": "reported"}
    # Text with markup characters is escaped by the XML library.
    assert b"&amp; co. &lt;not html&gt;" in files["feed.xml"]


def test_feeds_keep_only_the_latest_fifty_by_added_date():
    from dataclasses import replace

    from digest.render_feeds import FeedInfo, render_feed_set
    timeline, _ = feeds()
    base = timeline.by_id["eu-proposal"]
    many = [replace(base, id=f"e{n:03d}", added=f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}") for n in range(60)]
    info = FeedInfo(title="T", description="D", page="", directory="", site_url="https://digest.example/")
    parsed = feedparser.parse(render_feed_set(many, timeline, info)["feed.xml"])
    assert len(parsed.entries) == FEED_LIMIT == 50
    assert parsed.entries[0].link.endswith("/e059/") and parsed.entries[-1].link.endswith("/e010/")
