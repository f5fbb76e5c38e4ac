"""Link previews, schema.org JSON-LD, sitemap and robots.txt of the built fixture site."""
import json
import re
import xml.etree.ElementTree as ET

from conftest import FIXTURES, ROOT

OG = re.compile(r'<meta (?:property|name)="([a-z:_]+)" content="([^"]*)">')
LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
REQUIRED = {
    "NewsArticle": ["headline", "description", "datePublished", "dateModified", "inLanguage", "author",
                    "publisher", "about", "citation", "url", "image"],
    # what search engines document for fact-check markup
    "ClaimReview": ["claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed"],
    "CollectionPage": ["name", "url", "mainEntity"],
    "WebSite": ["name", "url", "potentialAction"],
    "Dataset": ["name", "description", "license", "temporalCoverage", "creator", "distribution"],
}


def pages(site):
    return sorted(path for path in site.rglob("*.html") if "pagefind" not in path.parts and path.name != "404.html")


def tags(html):
    found = {}
    for name, value in OG.findall(html):
        found.setdefault(name, value)
    return found


def jsonld(html):
    return [json.loads(block) for block in LD.findall(html)]


def test_every_page_has_a_link_preview(fixture_site):
    for path in pages(fixture_site):
        html = path.read_text(encoding="utf-8")
        found = tags(html)
        for name in ("og:title", "og:description", "og:url", "og:type", "og:site_name", "og:locale",
                     "og:image", "og:image:width", "og:image:height", "og:image:alt", "twitter:card"):
            assert found.get(name), (path, name)
        assert found["og:url"] == CANONICAL.search(html).group(1), path
        assert (found["og:image:width"], found["og:image:height"]) == ("1200", "630")
        assert found["og:image"].endswith("/assets/social-card.png")


def test_entry_preview_is_an_article_with_dates_and_section(fixture_site):
    html = (fixture_site / "timeline/2019/sensetime-listed/index.html").read_text(encoding="utf-8")
    found = tags(html)
    assert found["og:type"] == "article"
    assert found["article:published_time"] == "2026-02-15"            # added
    assert found["article:modified_time"] == "2026-03-01"             # corrected
    assert found["article:section"] == "Surveillance technology industry"     # first topic
    assert found["og:description"] == "Fixture entry about SenseTime &amp; co. &lt;not html&gt; in a summary is escaped."


def test_json_ld_parses_and_has_each_types_required_properties(fixture_site):
    seen = set()
    for path in pages(fixture_site):
        for block in jsonld(path.read_text(encoding="utf-8")):
            kind = block["@type"]
            seen.add(kind)
            assert block["@context"] == "https://schema.org"
            for name in REQUIRED[kind]:
                assert block.get(name) not in (None, "", []), (path, kind, name)
    assert seen == set(REQUIRED)


def test_entry_json_ld_carries_topics_names_and_citations(fixture_site):
    html = (fixture_site / "timeline/2019/sensetime-listed/index.html").read_text(encoding="utf-8")
    (article,) = jsonld(html)
    assert [t["name"] for t in article["about"]] == ["Surveillance technology industry", "International responses"]
    assert all(t["alternateName"] for t in article["about"] + article["mentions"])
    assert {m["@type"] for m in article["mentions"]} == {"Place", "Organization"}
    assert article["citation"] == [{"@type": "CreativeWork", "name": "Fixture source two", "inLanguage": "en",
                                    "datePublished": "2019-10",
                                    "publisher": {"@type": "Organization", "name": "Fixture Journal"},
                                    "url": "https://journal.example/two?a=1&b=2"}]
    assert (article["datePublished"], article["dateModified"]) == ("2026-02-15", "2026-03-01")


def test_only_disputed_and_debunked_entries_are_claim_reviews(fixture_site):
    reviews = {path.parent.name: [b["@type"] for b in jsonld(path.read_text(encoding="utf-8"))]
               for path in (fixture_site / "timeline").glob("*/*/index.html")}
    assert reviews == {"court-list-goes-online": ["NewsArticle"], "sensetime-listed": ["NewsArticle"],
                       "eu-proposal": ["NewsArticle", "ClaimReview"]}
    review = jsonld((fixture_site / "timeline/2021/eu-proposal/index.html").read_text(encoding="utf-8"))[1]
    assert review["reviewRating"]["alternateName"] == "Disputed"
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["itemReviewed"]["firstAppearance"]["url"] == "http://journal.example/three"


def test_hub_home_and_data_markup(fixture_site):
    hub = jsonld((fixture_site / "topics/international/index.html").read_text(encoding="utf-8"))[0]
    items = hub["mainEntity"]["itemListElement"]
    assert [item["url"] for item in items] == ["https://digest.example/timeline/2021/eu-proposal/",
                                              "https://digest.example/timeline/2019/sensetime-listed/"]
    home = jsonld((fixture_site / "index.html").read_text(encoding="utf-8"))[0]
    assert home["potentialAction"]["target"]["urlTemplate"] == "https://digest.example/search/?q={search_term_string}"
    data = jsonld((fixture_site / "data/index.html").read_text(encoding="utf-8"))[0]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["temporalCoverage"] == "2013/2021"
    for download in data["distribution"]:
        assert download["encodingFormat"]
        relative = download["contentUrl"].removeprefix("https://digest.example/")
        # the schema is a written file of the real site; the rest the build generates
        assert (fixture_site / relative).is_file() or (ROOT / "docs" / relative).is_file(), relative


def test_sitemap_lists_every_page_with_content_dates(fixture_site):
    root = ET.fromstring((fixture_site / "sitemap.xml").read_bytes())
    rows = {url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text for url in root}
    expected = {"https://digest.example/" + str(path.relative_to(fixture_site).parent).replace(".", "").strip("/")
                for path in pages(fixture_site)}
    expected = {url if url.endswith("/") else url + "/" for url in expected} - {"https://digest.example/search/"}
    assert set(rows) == expected
    assert rows["https://digest.example/timeline/2013/court-list-goes-online/"] == "2026-01-10"
    assert rows["https://digest.example/timeline/2021/eu-proposal/"] == "2026-02-20"       # its correction
    assert rows["https://digest.example/topics/debtor-list/"] == "2026-01-10"              # its newest entry
    robots = (fixture_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://digest.example/sitemap.xml" in robots


def test_search_page_stays_out_of_the_sitemap_but_crawlable(fixture_site):
    robots = (fixture_site / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /pagefind/" in robots and "/search/" not in robots
    assert "/search/" not in (fixture_site / "sitemap.xml").read_text(encoding="utf-8")


def test_fixture_has_a_disputed_entry():
    assert "status: disputed" in (FIXTURES / "site/timeline/2021/2021-eu-proposal.md").read_text(encoding="utf-8")


def test_reviewed_claims_on_a_written_page_become_claim_reviews():
    from digest.render_meta import Site, myth_reviews
    text = ('### 1. "Everyone has one score" (Pence, 2018)\n\nText.\n\n**Verdict:** false. See more.\n\n'
            '### 2. "A bad score keeps children out of school"\n\n**Verdict:** partly true, in that narrow form.\n\n'
            '### 3. "No verdict here"\n\nText.\n')
    reviews = myth_reviews(text, "https://d.example/myths/", Site("https://d.example/", "D"), "2026-12-01", "2026-12-01")
    assert [(r["claimReviewed"], r["reviewRating"]["alternateName"], r["url"]) for r in reviews] == [
        ("Everyone has one score", "False", "https://d.example/myths/#1-everyone-has-one-score-pence-2018"),
        ("A bad score keeps children out of school", "Partly true",
         "https://d.example/myths/#2-a-bad-score-keeps-children-out-of-school")]
    assert reviews[0]["itemReviewed"] == {"@type": "Claim", "name": "Everyone has one score",
                                          "appearance": {"@type": "CreativeWork", "name": "Pence, 2018"}}
