import datetime as dt

from conftest import FIXTURES
from digest import render_pages as rp
from digest.pipeline import check


def pages():
    timeline = check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline
    return timeline, rp.render_pages(timeline)


def test_page_paths():
    _, rendered = pages()
    assert sorted(rendered) == sorted([
        "timeline/2013/court-list-goes-online.md", "timeline/2019/sensetime-listed.md",
        "timeline/2021/eu-proposal.md", "timeline/2013/index.md", "timeline/2019/index.md",
        "timeline/2021/index.md", "timeline/index.md",
        "topics/debtor-list.md", "topics/international.md", "topics/surveillance.md", "topics/index.md",
        "places/china.md", "places/european-union.md", "places/united-states.md", "places/xinjiang.md",
        "places/index.md", "entities/sensetime.md", "entities/supreme-peoples-court.md",
        "entities/us-commerce-department.md", "entities/index.md"])


def test_plain_text_is_escaped():
    assert rp.md("a <b> & [c]*") == "a &lt;b&gt; &amp; \\[c\\]\\*"


def test_relative_links():
    assert rp.link("timeline/2019/x.md", "topics/a.md") == "../../topics/a.md"
    assert rp.link("index.md", "timeline/index.md") == "timeline/index.md"


def test_pagination_splits_long_listings():
    assert [len(chunk) for chunk in rp.paginate(list(range(250)))] == [100, 100, 50]
    assert rp.paginate([]) == [[]]
    nav = rp.pager(["t/a.md", "t/a/page-2.md"], 2, "t/a/page-2.md")
    assert "[1](../a.md)" in nav and "**2**" in nav


def test_entry_page_shows_every_fact():
    _, rendered = pages()
    text = rendered["timeline/2019/sensetime-listed.md"]
    for needle in ["# SenseTime added to a US export list", "October 2019", "scd-status--reported",
                   "Fixture News: [Fixture source two](<https://example.org/two?a=1&b=2>)",
                   "[archived copy](<https://example.org/archive/two>)", "Added 15 February 2026, updated 1 March 2026",
                   "## Corrections", "[SenseTime](../../entities/sensetime.md)", "[2019](index.md)",
                   'data-pagefind-filter="topic">International responses', 'data-pagefind-sort="date">2019-10-99']:
        assert needle in text, needle


def test_hub_page_has_count_range_and_feed():
    _, rendered = pages()
    text = rendered["topics/international.md"]
    assert "**2 entries**, October 2019 to 2021" in text
    assert "scd_feed: topics/international/feed.xml" in text
    assert text.index("eu-proposal") < text.index("sensetime-listed")
