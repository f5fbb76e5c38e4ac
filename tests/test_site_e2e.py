"""Builds the fixture timeline into a real MkDocs site and checks what a reader gets."""
import re

import feedparser

from conftest import build, make_site_source


def read(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_entry_year_hub_and_index_pages_exist(fixture_site):
    for path in ["index.html", "timeline/index.html", "timeline/2019/index.html",
                 "timeline/2019/sensetime-listed/index.html", "topics/index.html",
                 "topics/international/index.html", "places/xinjiang/index.html",
                 "entities/sensetime/index.html", "search/index.html"]:
        assert (fixture_site / path).is_file(), path


def test_entry_page_content(fixture_site):
    html = read(fixture_site, "timeline/2019/sensetime-listed/index.html")
    assert "<h1" in html and "SenseTime added to a US export list" in html
    assert 'class="scd-status scd-status--reported">Reported<' in html
    assert 'href="../../../entities/sensetime/"' in html
    assert "Fixture entry about SenseTime &amp; co. &lt;not html&gt;" in html


def test_home_lists_latest_additions(fixture_site):
    html = read(fixture_site, "index.html")
    assert html.index("sensetime-listed") < html.index("eu-proposal") < html.index("court-list-goes-online")


def test_feeds_parse_without_bozo(fixture_site):
    feeds = sorted(fixture_site.rglob("feed.xml")) + sorted(fixture_site.rglob("atom.xml"))
    assert len(feeds) >= 2 * 11
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries


def test_autodiscovery_on_every_page(fixture_site):
    for page in fixture_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'rel="alternate" type="application/rss+xml"' in html, page
    hub = read(fixture_site, "topics/surveillance/index.html")
    assert 'title="Surveillance technology industry — Social Credit Digest" href="feed.xml"' in hub


def test_no_third_party_requests_in_markup(fixture_site):
    """Nothing the browser fetches by itself points off-site (the browser test checks live traffic)."""
    fetching = re.compile(r'<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc="(?:https?:)?//'
                          r'|<link\b[^>]*rel="(?:stylesheet|icon|preload|modulepreload|manifest)"[^>]*'
                          r'href="(?:https?:)?//', re.I)
    for page in fixture_site.rglob("*.html"):
        match = fetching.search(page.read_text(encoding="utf-8"))
        assert match is None, (page, match and match.group(0))
    for css in fixture_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css.read_text("utf-8")), css
    assert "fonts.googleapis" not in "".join(p.read_text("utf-8") for p in fixture_site.rglob("*.html"))


def test_search_index_built(fixture_site):
    assert (fixture_site / "pagefind" / "pagefind-ui.js").is_file()
    assert list((fixture_site / "pagefind").glob("pagefind-entry.json"))


def test_builds_are_byte_identical(tmp_path):
    source = make_site_source(tmp_path / "src")
    for name in ("a", "b"):
        result = build(source, tmp_path / name)
        assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


# Pagefind writes its filter and metadata indexes in hash-map order, so their bytes (and the hashed
# names pointing at them) vary between runs; upstream: github.com/Pagefind/pagefind/issues/638.
# Everything else, including Pagefind's fragments and word index, must be byte-identical.
UNSTABLE = re.compile(r"^pagefind/(filter/|pagefind\.[^/]*\.pf_meta$|pagefind-entry\.json$)")


def snapshot(site):
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not UNSTABLE.match(str(p.relative_to(site)))}


def test_invalid_entry_stops_the_build(tmp_path):
    source = make_site_source(tmp_path / "src")
    bad = source / "timeline" / "2013" / "2013-10-24-court-list-goes-online.md"
    bad.write_text(bad.read_text().replace("status: documented", "status: maybe"))
    result = build(source, tmp_path / "site")
    assert result.returncode != 0
    assert "2013-10-24-court-list-goes-online.md:9: field 'status' is 'maybe'" in result.stdout + result.stderr
