import datetime as dt
import posixpath
import re

import pytest

from conftest import FIXTURES
from digest import paths
from digest import render_pages as rp
from digest.pipeline import check


def pages():
    timeline = check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline
    rendered = rp.render_pages(timeline, "https://digest.example", "Fixture Digest")
    return timeline, dict(rendered.items())


def test_headings_get_the_ids_and_permalinks_a_markdown_converter_gives_them():
    page = rp.Article()
    page.heading(1, rp.h('SPC & "Sesame" Credit'))
    page.markdown("## Sources\n\nText *em*.\n")
    page.heading(2, "Sources")
    assert page.html() == (
        '<h1 id="spc-sesame-credit">SPC &amp; &quot;Sesame&quot; Credit<a class="headerlink" '
        'href="#spc-sesame-credit" title="Permanent link">&para;</a></h1>\n'
        '<h2 id="sources">Sources<a class="headerlink" href="#sources" title="Permanent link">&para;</a></h2>\n'
        "<p>Text <em>em</em>.</p>\n\n"
        '<h2 id="sources_1">Sources<a class="headerlink" href="#sources_1" title="Permanent link">&para;</a></h2>\n')


def test_page_paths():
    _, rendered = pages()
    assert sorted(rendered) == sorted([
        "timeline/2013/court-list-goes-online.md", "timeline/2019/sensetime-listed.md",
        "timeline/2021/eu-proposal.md", "timeline/2013/index.md", "timeline/2019/index.md", "corrections/index.md",
        "timeline/2021/index.md", "timeline/index.md",
        "topics/debtor-list.md", "topics/international.md", "topics/surveillance.md", "topics/index.md",
        "places/china.md", "places/european-union.md", "places/united-states.md", "places/xinjiang.md",
        "places/index.md", "entities/sensetime.md", "entities/supreme-peoples-court.md",
        "entities/us-commerce-department.md", "entities/index.md"])


def test_plain_text_is_escaped():
    assert rp.md("a <b> & [c]*") == "a &lt;b&gt; &amp; \\[c\\]\\*"


def test_relative_links():
    # Pages are served at folder URLs (timeline/2019/x/), and links are URLs, not .md paths.
    assert rp.link("timeline/2019/x.md", "topics/a.md") == "../../../topics/a/"
    assert rp.link("index.md", "timeline/index.md") == "timeline/"
    assert rp.link("timeline/index.md", "data/entries.csv") == "../data/entries.csv"


def test_pagination_splits_long_listings():
    assert [len(chunk) for chunk in rp.paginate(list(range(250)), 100)] == [100, 100, 50]
    assert [len(chunk) for chunk in rp.paginate(list(range(130)))] == [rp.PER_PAGE, rp.PER_PAGE, 130 - 2 * rp.PER_PAGE]
    assert rp.paginate([]) == [[]]
    nav = (rp.pager(["t/a.md", "t/a/page-2.md"], 2, "t/a/page-2.md"))
    assert '<a href="../">1</a>' in nav and '<strong aria-current="page">2</strong>' in nav


def test_pager_links_the_ends_and_the_neighbourhood_of_the_current_page():
    paths = ["t/a.md"] + [f"t/a/page-{n}.md" for n in range(2, 31)]
    nav = (rp.pager(paths, 15, "t/a/page-15.md"))
    shown = re.findall(r">(\d+)</(?:a|strong)>", nav)
    assert shown == ["1", "13", "14", "15", "16", "17", "30"]
    assert nav.count("…") == 2 and '<a href="../page-30/">30</a>' in nav
    assert re.findall(r">(\d+)</(?:a|strong)>", (rp.pager(paths[:4], 1, "t/a.md"))) == \
        ["1", "2", "3", "4"]


def test_html_links_follow_directory_urls():
    assert paths.href("timeline/2019/x.md", "topics/a.md") == "../../../topics/a/"
    assert paths.href("timeline/2019/x.md", "timeline/2019/index.md") == "../"
    assert paths.href("index.md", "timeline/2019/x.md") == "timeline/2019/x/"
    assert paths.href("topics/a.md", "topics/a/page-2.md") == "page-2/"
    assert paths.href("topics/a.md", "topics/a/feed.xml") == "feed.xml"


@pytest.mark.parametrize("target", ["", ".", "a", "a/b", "a/b/", "a/c/d", "x/y/z/", "a/b/c/d"])
@pytest.mark.parametrize("start", [".", "a", "a/", "a/b", "a/b/c", "x", "a/c"])
def test_relative_path_is_relpath_without_the_file_system(target, start):
    assert paths.relative_path(target or ".", start) == posixpath.relpath(target or ".", start)


def test_entry_page_shows_every_fact():
    _, rendered = pages()
    text = rendered["timeline/2019/sensetime-listed.md"]
    for needle in ['<h1 id="sensetime-added-to-a-us-export-list">SenseTime added to a US export list<a class="headerlink"',
                   "October 2019", "scd-status--reported",
                   '<span class="scd-publisher">Fixture Journal</span>: <cite><a href="https://journal.example/two?a=1&amp;b=2">'
                   'Fixture source two</a></cite>, October 2019, English.',
                   'Read via <a href="https://mirror.example/two">mirror.example</a>.',
                   "Added 15 February 2026, updated 1 March 2026. Last checked against its sources 15 February 2026.",
                   "<em>Why:</em> Fixture reason, with a source.",
                   '<h2 id="corrections">Corrections<a class="headerlink"', '<a href="../../../entities/sensetime/">SenseTime</a>',
                   '<a href="../">2019</a>',
                   'data-pagefind-filter="topic">International responses', 'data-pagefind-sort="date">2019-10-99 sensetime-listed']:
        assert needle in text, needle


def test_hub_page_has_count_range_and_feed():
    _, rendered = pages()
    text = rendered["topics/international.md"]
    assert "<strong>2 entries</strong>, October 2019 to 2021" in text
    assert 'scd_feed_href: "feed.xml"' in text
    assert text.index("eu-proposal") < text.index("sensetime-listed")
    assert '<ul class="scd-list" data-pagefind-ignore>' in text      # entries are found on their own pages


# ---------------------------------------------------------------- citation

BIB_FIELD = re.compile(r"\s*([a-z]+)\s*=\s*")


def braced(text: str, start: int) -> int:
    """Index just past the brace group opening at text[start]; fails on unbalanced or escaped braces."""
    assert text[start] == "{"
    depth, i = 0, start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            return i
    raise AssertionError("unbalanced braces")


def parse_bibtex(text: str) -> tuple:
    """A strict parser for one @type{key, field = {value} | word | digits, ...} record."""
    head = re.match(r"@([a-z]+)\{([A-Za-z0-9:_-]+),\n", text)
    assert head, text
    end = braced(text, text.index("{"))
    assert text[end:] == "\n", "nothing may follow the record"
    body, fields, i = text[head.end():end - 1], {}, 0
    while i < len(body) and body[i:].strip():
        match = BIB_FIELD.match(body, i)
        assert match, body[i:]
        i = match.end()
        if body[i] == "{":
            close = braced(body, i)
            value, i = body[i + 1:close - 1], close
        else:
            word = re.match(r"[a-z]+|[0-9]+", body[i:])
            value, i = word.group(0), i + word.end()
        assert match.group(1) not in fields, "duplicate field"
        fields[match.group(1)] = value
        rest = re.match(r",?\s*", body[i:])
        i += rest.end()
    return head.group(1), head.group(2), fields


def code_blocks(text: str) -> list:
    """The text of each <pre><code> block, unescaped, with a final newline."""
    import html
    return [html.unescape(block) + "\n" for block in re.findall(r"<pre><code>(.*?)</code></pre>", text, re.S)]


def test_every_entry_page_has_a_citation_whose_bibtex_parses():
    timeline, rendered = pages()
    for entry in timeline.entries:
        text = rendered[paths.entry_page(entry)]
        cite = text[text.index('<h2 id="cite-this-entry">'):]
        plain, bib = code_blocks(cite)
        kind, key, fields = parse_bibtex(bib)
        assert (kind, key) == ("misc", f"scd-{entry.id}")
        assert {"title", "author", "howpublished", "url", "note", "year", "month", "urldate"} <= set(fields)
        assert fields["url"] == f"https://digest.example/timeline/{entry.year}/{entry.id}/"
        assert fields["url"] in plain and "(accessed YYYY-MM-DD)" in plain


def test_citation_exact_text():
    _, rendered = pages()
    cite = rendered["timeline/2019/sensetime-listed.md"].split('<h2 id="cite-this-entry">')[1]
    plain, bib = code_blocks(cite)
    assert plain == ('Fixture Digest, "SenseTime added to a US export list", event of October 2019, updated '
                     "1 March 2026. https://digest.example/timeline/2019/sensetime-listed/ (accessed YYYY-MM-DD).\n")
    assert bib == """@misc{scd-sensetime-listed,
  title        = {{SenseTime added to a US export list}},
  author       = {{Fixture Digest contributors}},
  howpublished = {Fixture Digest},
  url          = {https://digest.example/timeline/2019/sensetime-listed/},
  note         = {Event date: October 2019; updated 1 March 2026; accessed YYYY-MM-DD},
  year         = {2026},
  month        = mar,
  urldate      = {YYYY-MM-DD}
}
"""
    assert 'data-pagefind-ignore' in cite


def test_bibtex_escapes_special_characters():
    assert rp.bibtex_escape("A & B {c} 100% $5 #1 a_b ~ ^ \\") == \
        r"A \& B \{c\} 100\% \$5 \#1 a\_b \textasciitilde{} \textasciicircum{} \textbackslash{}"
    braced("{" + rp.bibtex_escape("x { y") + "}", 0)


# ---------------------------------------------------------------- corrections and status

def test_corrected_entry_shows_notice_at_the_top():
    _, rendered = pages()
    text = rendered["timeline/2021/eu-proposal.md"]
    assert text.index('<p class="admonition-title">Corrected 20 February 2026</p>') < text.index('class="scd-summary"')
    assert "<li><strong>20 February 2026</strong>: Fixture correction of the year, with {braces} &amp; 100% more." in text


def test_corrections_page_lists_newest_first():
    _, rendered = pages()
    text = rendered["corrections/index.md"]
    assert 'scd_feed_href: "feed.xml"' in text
    assert "2 corrections to 2 entries, newest first." in text
    items = re.findall(r"<li>(.*?)<br>", text)
    assert items == [
        '<strong>1 March 2026</strong> <span class="scd-status scd-status--reported">Reported</span> '
        '<a href="../timeline/2019/sensetime-listed/#corrections">SenseTime added to a US export list</a>',
        '<strong>20 February 2026</strong> <span class="scd-status scd-status--disputed">Disputed</span> '
        '<a href="../timeline/2021/eu-proposal/#corrections">EU proposes a ban on social scoring</a>']


def test_status_badge_in_every_listing():
    timeline, rendered = pages()
    listings = [path for path in rendered if not path.startswith("timeline/20") or path.endswith("index.md")]
    for path in listings:
        if path.endswith("index.md") and path.split("/")[0] in ("topics", "places", "entities"):
            continue                                  # indexes of terms list terms, not entries
        text = rendered[path]
        linked = re.findall(r'href="(?:[^"]*/)?([a-z0-9-]+)/(?:#corrections)?"', text)
        entries = [slug for slug in linked if slug in timeline.by_id]
        assert entries, path
        assert text.count('class="scd-status scd-status--') >= len(entries), path
    home = (rp.render_latest(timeline, "index.md"))
    assert home.count("scd-status--") == 3


def test_hub_page_has_mini_timeline():
    _, rendered = pages()
    text = rendered["topics/international.md"]
    assert '<figure class="scd-chart scd-chart--mini" data-pagefind-ignore>' in text
    assert "Entries per year: 2019: 1 · 2021: 1" in text


def test_timeline_index_has_chart_and_places_index_has_map():
    _, rendered = pages()
    assert "<title id=\"scd-years-title\">Timeline entries per year, by topic</title>" in rendered["timeline/index.md"]
    assert "<title id=\"scd-map-title\">Places with timeline entries</title>" in rendered["places/index.md"]


def test_front_matter_is_yaml_that_round_trips():
    import yaml
    text = rp.front_matter(title='He said "no": 失信 #1', description="a <b> & 'c'", scd_kind="entry")
    assert yaml.safe_load(text.split("---\n")[1]) == {
        "title": 'He said "no": 失信 #1', "description": "a <b> & 'c'", "scd_kind": "entry"}


def test_split_front_matter_inverts_front_matter():
    text = rp.front_matter(title='A "quoted": title', scd_kind="hub", scd_feed="topics/x/feed.xml") + "# Body\n"
    assert rp.split_front_matter(text) == (
        {"title": 'A "quoted": title', "scd_kind": "hub", "scd_feed": "topics/x/feed.xml"}, "# Body\n")
    assert rp.split_front_matter("# No fields\n") == ({}, "# No fields\n")


def test_entry_pages_rendered_when_read_declare_the_fields_their_text_has():
    timeline = check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline
    rendered = rp.render_pages(timeline, "https://digest.example", "Fixture Digest")
    entries = {paths.entry_page(entry) for entry in timeline.entries}
    for path in rendered:
        assert rp.split_front_matter(rendered[path])[0] == rendered.fields(path)
        assert rendered.has_contents(path) == ("<h2" in rendered[path])
    assert entries <= set(rendered) and len(rendered) == len(list(rendered))
