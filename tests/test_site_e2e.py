"""Builds the fixture timeline into a real site (scripts/build_site.py) and checks what a reader gets."""
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
    assert (fixture_site / "pagefind" / "pagefind.js").is_file()
    assert (fixture_site / "pagefind" / "pagefind-worker.js").is_file()
    assert not (fixture_site / "pagefind" / "pagefind-ui.js").exists()     # the search page has its own
    assert list((fixture_site / "pagefind").glob("pagefind-entry.json"))


def test_builds_are_byte_identical(tmp_path):
    source = make_site_source(tmp_path / "src")
    for name in ("a", "b"):
        result = build(source, tmp_path / name)
        assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


# Everything, Pagefind's bundle included (scripts/sitegen/search.py makes its filter order canonical).
def snapshot(site):
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def test_invalid_entry_stops_the_build(tmp_path):
    source = make_site_source(tmp_path / "src")
    bad = source / "timeline" / "2013" / "2013-10-24-court-list-goes-online.md"
    bad.write_text(bad.read_text().replace("status: documented", "status: maybe"))
    result = build(source, tmp_path / "site")
    assert result.returncode != 0
    assert "2013-10-24-court-list-goes-online.md:10: field 'status' is 'maybe'" in result.stdout + result.stderr


# ---------------------------------------------------------------- reader features (issue 8)

def test_data_downloads_match_the_engine(fixture_site):
    import csv
    import datetime as dt
    import io
    import json

    from conftest import FIXTURES
    from digest.pipeline import check
    from digest.render_data import render_data
    timeline = check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline
    expected = render_data(timeline, "https://digest.example/", "Social Credit Digest")
    for path, data in expected.items():
        assert (fixture_site / path).read_bytes() == data, path
    entries = json.loads(read(fixture_site, "data/entries.json"))["entries"]
    rows = list(csv.DictReader(io.StringIO(read(fixture_site, "data/entries.csv"), newline="")))
    assert [e["id"] for e in entries] == [r["id"] for r in rows] == [e.id for e in timeline.entries]


def test_corrections_on_the_page_the_list_and_the_feed(fixture_site):
    page = read(fixture_site, "timeline/2021/eu-proposal/index.html")
    assert page.index("Corrected 20 February 2026") < page.index("Sources disagree in this fixture.")
    listing = read(fixture_site, "corrections/index.html")
    assert listing.index("sensetime-listed/#corrections") < listing.index("eu-proposal/#corrections")
    assert 'title="Corrections — Social Credit Digest" href="feed.xml"' in listing
    feed = feedparser.parse((fixture_site / "corrections" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert [(item.title, item.link, item.published[:16]) for item in feed.entries] == [
        ("Correction: SenseTime added to a US export list",
         "https://digest.example/timeline/2019/sensetime-listed/#corrections", "Sun, 01 Mar 2026"),
        ("Correction: EU proposes a ban on social scoring",
         "https://digest.example/timeline/2021/eu-proposal/#corrections", "Fri, 20 Feb 2026")]
    assert feed.entries[1].summary == "Fixture correction of the year, with {braces} & 100% more. Why: Fixture reason <b>escaped</b>."
    assert len({item.id for item in feed.entries}) == 2 and all(i.id.startswith("urn:uuid:") for i in feed.entries)


def test_correction_date_reaches_atom_and_json_feeds(fixture_site):
    import json
    atom = feedparser.parse((fixture_site / "atom.xml").read_bytes())
    updated = {item.link: item.updated for item in atom.entries}
    assert updated["https://digest.example/timeline/2021/eu-proposal/"] == "2026-02-20T00:00:00Z"
    items = {item["url"]: item for item in json.loads(read(fixture_site, "feed.json"))["items"]}
    assert items["https://digest.example/timeline/2021/eu-proposal/"]["date_modified"] == "2026-02-20T00:00:00Z"
    assert items["https://digest.example/timeline/2021/eu-proposal/"]["date_published"] == "2026-02-01T00:00:00Z"


def test_pictures_in_the_built_site_are_well_formed_svg(fixture_site):
    import xml.etree.ElementTree as ET
    pages = {"timeline/index.html": "Timeline entries per year, by topic",
             "places/index.html": "Places with timeline entries",
             "debtor-list/index.html": "Published figures: Names added since the list opened; Names currently listed",
             "data/index.html": "Published figures: Names added since the list opened; Names currently listed",
             "topics/international/index.html": "Entries per year, 2019 to 2021"}
    for path, title in pages.items():
        svgs = re.findall(r'<svg\b[^>]*class="scd-chart__svg.*?</svg>', read(fixture_site, path), re.S)
        assert len(svgs) == 1, path
        root = ET.fromstring(svgs[0])
        assert root.find("{http://www.w3.org/2000/svg}title").text == title, path


def test_entry_page_cite_block_is_plain_code(fixture_site):
    html = read(fixture_site, "timeline/2013/court-list-goes-online/index.html")
    assert 'id="cite-this-entry"' in html
    assert "<pre><code>@misc{scd-court-list-goes-online," in html
    assert "url          = {https://digest.example/timeline/2013/court-list-goes-online/}," in html


def test_pages_filled_into_frames_equal_pages_the_generator_draws(tmp_path, monkeypatch):
    """Entry, year and hub pages filled into one frame per page shape (scripts/sitegen/frames.py)
    equal the pages MkDocs draws one by one (--no-frames); the fixture's entries have quotes,
    ampersands and Chinese. Frames escape a quotation mark in a title, which Material leaves as is."""
    source = make_site_source(tmp_path / "src")
    monkeypatch.setenv("DIGEST_SKIP_SEARCH", "1")
    assert build(source, tmp_path / "drawn", "1700000000", "mkdocs", "--no-frames").returncode == 0
    result = build(source, tmp_path / "framed")
    assert result.returncode == 0, result.stderr
    drawn, framed = snapshot(tmp_path / "drawn"), snapshot(tmp_path / "framed")
    entries = [path for path in framed if re.fullmatch(r"timeline/\d{4}/[^/]+/index\.html", path)]
    assert len(entries) == len(list((source / "timeline").glob("[0-9]*/*.md")))
    assert set(drawn) == set(framed)
    differ = [path for path in framed if framed[path] != drawn[path]
              and not (path.endswith(".html") and framed[path].replace(b"&quot;", b'"') == drawn[path])]
    assert differ == []


GENERATED = re.compile(r"(timeline|topics|places|entities|corrections)/.*|index\.html|data/.*|.*\.(xml|json)")


def test_three_generators_build_the_same_site(tmp_path, monkeypatch):
    """MkDocs, ProperDocs and Zensical, from the same mkdocs.yml: the same pages, feeds and data files,
    each page saying which generator drew it, every entry page with its article and sources."""
    source = make_site_source(tmp_path / "src")
    monkeypatch.setenv("DIGEST_SKIP_SEARCH", "1")
    urls, generator = {}, {}
    for ssg in ("mkdocs", "properdocs", "zensical"):
        result = build(source, tmp_path / ssg, "1700000000", ssg)
        assert result.returncode == 0, result.stdout + result.stderr
        site = tmp_path / ssg
        urls[ssg] = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()
                     and not str(p.relative_to(site)).startswith("assets/")}
        page = read(site, "timeline/2013/court-list-goes-online/index.html")
        generator[ssg] = re.search(r'<meta name="generator" content="([^"]+)"', page)[1]
        assert "<h1 id=" in page and "Court list of dishonest debtors goes online" in page
        assert 'id="sources"' in page and 'class="scd-sources"' in page
        assert 'href="#sources"' in page              # in the table of contents
        assert "scdslot0" not in page and "scdf0" not in page and "scdframe" not in page
        assert not [p for p in site.rglob("*") if "scdframe" in str(p)]
    assert urls["properdocs"] == urls["mkdocs"]
    assert urls["zensical"] == urls["mkdocs"]
    assert {name for name in urls["mkdocs"] if GENERATED.fullmatch(name)} >= {
        "timeline/index.html", "timeline/2013/index.html", "corrections/index.html", "feed.xml",
        "data/entries.json", "sitemap.xml"}
    assert generator["mkdocs"].startswith("mkdocs-1.") and "ProperDocs" in generator["properdocs"]
    assert generator["zensical"].startswith("zensical-")
