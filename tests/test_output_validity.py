"""The built fixture site is valid HTML, its feeds follow the profiles, its links all resolve."""
import pytest

from sitecheck import broken_links, json_feed_problems, rss_problems, vnu_errors

SITE_URL = "https://digest.example/"


@pytest.mark.nu
def test_every_page_passes_the_nu_html_checker(fixture_site):
    assert vnu_errors(fixture_site) == []


def test_rss_feeds_follow_the_best_practices_profile(fixture_site):
    feeds = sorted(fixture_site.rglob("feed.xml"))
    assert feeds
    assert [p for feed in feeds for p in rss_problems(feed, SITE_URL, fixture_site)] == []


def test_json_feeds_validate_against_json_feed_1_1(fixture_site):
    feeds = sorted(fixture_site.rglob("feed.json"))
    assert feeds
    assert [p for feed in feeds for p in json_feed_problems(feed)] == []


def test_internal_links_and_anchors_resolve(fixture_site):
    assert broken_links(fixture_site) == []


def test_link_checker_finds_a_broken_link(fixture_site, tmp_path):
    import shutil
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    page = copy / "timeline" / "index.html"
    page.write_text(page.read_text().replace("</article>", '<a href="../nowhere/">x</a><a href="#missing">y</a></article>'))
    assert broken_links(copy) == ["timeline/index.html: ../nowhere/ (no such file)",
                                  "timeline/index.html: #missing (no such anchor)"]


def test_every_page_carries_the_content_security_policy(fixture_site):
    for page in fixture_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'' in html, page
