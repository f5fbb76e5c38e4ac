import datetime as dt
import io
import shutil

import pytest

from conftest import FIXTURES, ROOT
from digest.new_entry import NewEntryError, create_entry, main, slugify, source_fields, suggest_ids
from digest.pipeline import check
from digest.vocab import load_vocabulary

TODAY = dt.date(2026, 11, 28)
TITLE = "Supreme People's Court starts publishing its list of dishonest judgment debtors"
PATH = "timeline/2013/2013-10-24-supreme-peoples-court-starts-publishing-its-list.md"


@pytest.fixture
def root(tmp_path):
    """The fixture timeline (stable vocabulary) with the real template."""
    shutil.copytree(FIXTURES / "site" / "timeline", tmp_path / "timeline")
    shutil.copy(ROOT / "timeline" / "TEMPLATE.md", tmp_path / "timeline" / "TEMPLATE.md")
    return tmp_path


@pytest.fixture
def vocab(root):
    return load_vocabulary(root / "timeline" / "vocab", root)[0]


def run(root, title, date, url=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(root, title, date, url, out, err)
    return code, out.getvalue(), err.getvalue()


def test_new_entry_is_refused_by_check_until_every_todo_is_replaced(root):
    """An entry left as `make new` wrote it must not be published: each TODO is reported with its line."""
    first = create_entry(root, TITLE, "2013-10-24", today=TODAY)
    second = create_entry(root, "Court list goes online again", "2015-06", "https://www.example.org/x:",
                          today=TODAY)
    problems = [(p.path, p.line, p.message.split(";")[0]) for p in check(root, today=TODAY).problems]
    summary = "field 'summary' still holds template text 'TODO: one or two plain sentences, at most 300 characters:...'"
    assert problems == [
        (first.shown, 3, summary),
        (first.shown, 13, "field 'sources[1].publisher' has unknown publisher 'TODO: a publisher id from "
                          "timeline/vocab/publishers.yaml'"),
        (first.shown, 13, "field 'sources[1].publisher' still holds template text 'TODO: a publisher id from "
                          "timeline/vocab/publishers.yaml'"),
        (first.shown, 14, "field 'sources[1].title' still holds template text 'TODO: the title of a page you read'"),
        (first.shown, 18, "field 'sources[1].url' still holds template text "
                          "'https://example.org/TODO-the-address-of-the-page'"),
        (first.shown, 26, "the body still holds template text (TODO)"),
        (second.shown, 3, summary),
        (second.shown, 14, "field 'sources[1].title' still holds template text \"TODO: the page's own title\""),
        (second.shown, 26, "the body still holds template text (TODO)"),
    ]


def test_new_prints_path_suggestions_and_next_steps(root):
    code, out, err = run(root, TITLE, "2013-10-24")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"created {PATH}",
        "suggested from the title and URL: topics: debtor-list; entities: supreme-peoples-court",
        "next steps:",
        f"  1. open {PATH} and replace every TODO (summary, source, body)",
        "  2. check topics, places, entities and status (see CONTRIBUTING.md)",
        "  3. make check        # or: make serve, to preview the page",
        f"  4. git add {PATH} && git commit, then open a pull request",
    ]


def test_front_matter_is_filled_from_the_arguments(root):
    entry = create_entry(root, TITLE, "2013-10-24", "https://www.example.org/zixun-xiangqing-5852.html",
                         today=TODAY)
    fields = [line.split("  #")[0] for line in entry.path.read_text(encoding="utf-8").splitlines()
              if line and not line.lstrip().startswith("#")]
    assert fields[:18] == [
        "---",
        f'title: "{TITLE}"',
        'summary: "TODO: one or two plain sentences, at most 300 characters: what happened and why it matters."',
        "date: 2013-10-24",
        "added: 2026-11-28",
        "reviewed: 2026-11-28",
        "topics: [debtor-list]",
        "places: []",
        "entities: [supreme-peoples-court]",
        "status: reported",
        "sources:",
        '  - publisher: "fixture-publisher"',
        '    title: "TODO: the page\'s own title"',
        "    date: 2013-10-24",
        "    language: en",
        '    url: "https://www.example.org/zixun-xiangqing-5852.html"',
        "    primary: true",
        "---",
    ]


def test_overwriting_is_refused(root):
    assert run(root, TITLE, "2013-10-24")[0] == 0
    target = root / PATH
    target.write_text("my edits", encoding="utf-8")
    assert run(root, TITLE, "2013-10-24") == (1, "", f"make new: {PATH} already exists; not overwritten. "
                                                     "Edit that file, or choose a different TITLE\n")
    assert target.read_text(encoding="utf-8") == "my edits"


def test_slug_used_on_another_date_gets_a_number(root):
    entry = create_entry(root, "Court list goes online", "2014-01-02", today=TODAY)
    assert entry.shown == "timeline/2014/2014-01-02-court-list-goes-online-2.md"


def test_slug_is_ascii_with_pinyin_for_known_chinese_names(vocab):
    assert slugify("信用中国 goes online", vocab) == "xinyong-zhongguo-goes-online"
    assert slugify("Crédit « social » à Rongcheng: 100 points", vocab) == "credit-social-a-rongcheng-100-points"
    assert slugify("失信黑名单", vocab) == "entry"                        # unknown hanzi are dropped
    assert len(slugify("word " * 40, vocab)) <= 60


def test_ids_are_suggested_from_english_and_chinese_names(vocab):
    found = suggest_ids("最高法 and the NDRC on Sesame score; spc is lowercase", vocab)
    assert found["entities"] == ["supreme-peoples-court", "ndrc", "sesame-credit"]


def test_no_topic_found_uses_a_placeholder_and_says_so(root):
    code, out, _ = run(root, "Something else entirely", "2020")
    assert code == 0
    assert out.splitlines()[1:3] == [
        "no vocabulary ids found in the title",
        "topics: set to 'policy' as a placeholder; choose the right ids in timeline/vocab/topics.yaml"]


@pytest.mark.parametrize("title, date, url, message", [
    ("", "2020", None, 'TITLE is empty; expected make new TITLE="What happened" DATE=YYYY-MM-DD'),
    ("x" * 121, "2020", None, "TITLE is 121 characters long; expected at most 120"),
    ("A title", "2020-02-30", None, "DATE is '2020-02-30'; expected a real date as YYYY-MM-DD, YYYY-MM or YYYY"),
    ("A title", "24/10/2013", None, "DATE is '24/10/2013'; expected a real date as YYYY-MM-DD, YYYY-MM or YYYY"),
    ("A title", "2027-01-01", None, "DATE is '2027-01-01', in the future; the timeline records events that "
                                    "have happened"),
    ("A title", "2020", "ftp://example.org/x", "URL is 'ftp://example.org/x'; expected an http:// or https:// "
                                               "address"),
])
def test_bad_arguments_are_refused_with_a_reason(root, title, date, url, message):
    with pytest.raises(NewEntryError) as raised:
        create_entry(root, title, date, url, today=TODAY)
    assert str(raised.value) == message
    assert not list(root.glob("timeline/20[23]*/*A-title*"))


def test_publisher_comes_from_the_host(vocab):
    """The longest matching domain in timeline/vocab/publishers.yaml names the publisher."""
    assert source_fields("https://news.example.org/a", "2020", vocab)["publisher"] == "fixture-publisher"
    assert source_fields("https://news.example.org/a", "2020", vocab)["primary"] == "true"
    unknown = source_fields("https://unknown.example/a", "2020", vocab)
    assert (unknown["publisher"], unknown["primary"]) == ("TODO: the publisher id for unknown.example", "false")


def test_make_new_and_make_ingest_name_one_title_alike(vocab):
    """One slug function: an entry started by hand and a draft from a feed get the same slug."""
    from digest.slug import slugify as shared
    title = "Rongcheng's points scheme, ten years on"
    assert slugify(title, vocab) == shared(title) == "rongchengs-points-scheme-ten-years-on"
    assert shared("word " * 40).endswith("word") and len(shared("word " * 40)) <= 60
    cut = shared("The court publishes the list of " * 3)        # cut at 60, then not on "of" or "the"
    assert cut == "the-court-publishes-the-list-of-the-court-publishes-the-list" and len(cut) <= 60
