import re
import datetime as dt

from conftest import FIXTURES
from digest import render_pages as rp
from digest.pipeline import check


def pages():
    timeline = check(FIXTURES / "site", today=dt.date(2026, 11, 28)).timeline
    return timeline, rp.render_pages(timeline, "https://digest.example", "Fixture Digest")


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


def code_blocks(markdown: str) -> list:
    blocks, current = [], []
    for line in markdown.split("\n") + [""]:
        if line.startswith("    "):
            current.append(line[4:])
        elif current and line == "":
            blocks.append("\n".join(current) + "\n")
            current = []
    return blocks


def test_every_entry_page_has_a_citation_whose_bibtex_parses():
    timeline, rendered = pages()
    for entry in timeline.entries:
        text = rendered[rp.entry_page(entry)]
        cite = text[text.index("## Cite this entry"):]
        plain, bib = code_blocks(cite)
        kind, key, fields = parse_bibtex(bib)
        assert (kind, key) == ("misc", f"scd-{entry.id}")
        assert {"title", "author", "howpublished", "url", "note", "year", "month", "urldate"} <= set(fields)
        assert fields["url"] == f"https://digest.example/timeline/{entry.year}/{entry.id}/"
        assert fields["url"] in plain and "(accessed YYYY-MM-DD)" in plain


def test_citation_exact_text():
    _, rendered = pages()
    cite = rendered["timeline/2019/sensetime-listed.md"].split("## Cite this entry\n\n")[1]
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
    assert text.index('!!! warning "Corrected 20 February 2026"') < text.index('class="scd-summary"')
    assert "- **20 February 2026**: Fixture correction of the year, with \\{braces\\} &amp; 100% more." in text


def test_corrections_page_lists_newest_first():
    _, rendered = pages()
    text = rendered["corrections/index.md"]
    assert "scd_feed: corrections/feed.xml" in text
    assert "2 corrections to 2 entries, newest first." in text
    lines = [line for line in text.splitlines() if line.startswith("- **")]
    assert lines == [
        '- **1 March 2026** <span class="scd-status scd-status--reported">Reported</span> '
        "[SenseTime added to a US export list](../timeline/2019/sensetime-listed.md#corrections)  ",
        '- **20 February 2026** <span class="scd-status scd-status--disputed">Disputed</span> '
        "[EU proposes a ban on social scoring](../timeline/2021/eu-proposal.md#corrections)  "]


def test_status_badge_in_every_listing():
    timeline, rendered = pages()
    listings = [path for path in rendered if not path.startswith("timeline/20") or path.endswith("index.md")]
    for path in listings:
        if path.endswith("index.md") and path.split("/")[0] in ("topics", "places", "entities"):
            continue                                  # indexes of terms list terms, not entries
        text = rendered[path]
        linked = re.findall(r"\]\((?:[^)]*/)?([a-z0-9-]+)\.md(?:#corrections)?\)", text)
        entries = [slug for slug in linked if slug in timeline.by_id]
        assert entries, path
        assert text.count('class="scd-status scd-status--') >= len(entries), path
    home = rp.render_latest(timeline, "index.md")
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
