import datetime as dt

from conftest import FIXTURES
from digest.pipeline import check
from digest.validate import field_label, find_personal_data, is_credit_code, is_resident_id

TODAY = dt.date(2026, 11, 28)
BROKEN = "timeline/2019/2019-02-30-broken-entry.md"
RULE = ("never publish personal identifiers of private individuals; describe the case without them "
        "(see the About page)")

EXPECTED_BROKEN_ENTRY = [
    (1, "missing required field 'reviewed'; expected YYYY-MM-DD"),
    (2, "field 'title' is 126 characters long; expected a text of 1 to 120 characters"),
    (4, "field 'date' is '2019-02-30', which is not a real date; expected a calendar date as "
        "YYYY-MM-DD, YYYY-MM or YYYY"),
    (5, "field 'added' is '2019-13-01', which is not a real date; expected a calendar date as "
        "YYYY-MM-DD, YYYY-MM or YYYY"),
    (6, "field 'topics' has unknown id 'debtor-lists'; did you mean 'debtor-list'?"),
    (7, "field 'places' is 'rongcheng'; expected a list of place ids, e.g. [rongcheng]"),
    (8, "field 'entities' has unknown id 'spc'; did you mean 'supreme-peoples-court'?"),
    (9, "field 'status' is 'confirmed'; expected one of documented, reported, disputed, debunked"),
    (10, "unknown field 'tags'; allowed fields are: added, corrections, date, entities, places, reviewed, "
         "sources, status, summary, title, topics, updated"),
    (14, "field 'sources[1].url' is 'ftp://example.org/file'; expected an http:// or https:// URL"),
    (16, "field 'sources[1].language' is 'English'; expected a BCP 47 language tag such as en or zh-Hans"),
    (17, "field 'sources[1].primary' is 'yes'; expected true or false"),
    (18, "missing required field 'publisher' in sources[2]; expected a publisher id from "
         "timeline/vocab/publishers.yaml, e.g. supreme-peoples-court"),
    (24, "link target 'javascript:alert(1' uses a forbidden scheme; expected an http(s) URL"),
    (24, "raw HTML '</b>' in the body; expected Markdown only (use **bold**, [links](https://...), "
         "lists and tables)"),
    (24, "raw HTML '<b>' in the body; expected Markdown only (use **bold**, [links](https://...), "
         "lists and tables)"),
    (26, f"the body contains a mainland mobile phone number; {RULE}"),
]


def broken_problems():
    return check(FIXTURES / "broken", today=TODAY).problems


def test_broken_entry_reports_exactly_these_problems():
    found = [(p.line, p.message) for p in broken_problems() if p.path == BROKEN]
    assert found == EXPECTED_BROKEN_ENTRY


BAD_SOURCES = "timeline/2021/2021-03-01-bad-sources.md"
EXPECTED_BAD_SOURCES = [
    (10, "field 'sources[1].publisher' has unknown publisher 'fixture-publsher'; did you mean 'fixture-publisher'?"),
    (14, "field 'sources[1].url' carries tracking parameters (utm_source); expected the address without them: "
         "https://example.org/a"),
    (17, "field 'sources[2].title' is '[Court notice] (headline not shown in stored copy)', which describes how "
         "the page was seen; expected the page's own headline, or where it truly has none a short [description]"),
    (20, "field 'sources[2].url' is on 'elsewhere.example', which is not a domain of publisher 'fixture-journal' "
         "(journal.example); if this is a copy, put it in `via`; if the publisher owns the host, add it to its domains "
         "in timeline/vocab/publishers.yaml"),
    (21, "field 'sources[2].primary' is true, but 'fixture-journal' is a news media publisher, which does not "
         "issue primary documents; expected false (only governments, courts, procuratorates, legislatures, party "
         "bodies and companies about themselves are primary)"),
    (26, "field 'sources[3].url' is on 'www.mirror.example', which only holds copies (mirror of pages published "
         "elsewhere); put the copy you read in `via` and give `url` only if you know the original's own address"),
    (27, "field 'sources[3].via' is on 'farm.example', a blocked host (content farm); cite the original or "
         "another reliable source, or drop the claim"),
    (29, "source sources[4] has neither `url` nor `via`; expected the original's address as url, or the address "
         "of the copy you read as via"),
    (38, "field 'sources[5].url' has host 'example.org.', which ends in a dot; expected a host such as "
         "www.court.gov.cn"),
    (39, "field 'sources[5].via' has host 'example.org.', which ends in a dot; expected a host such as "
         "www.court.gov.cn"),
    (39, "field 'sources[5].via' repeats `url`; expected via only when the copy read is another address"),
    (42, "field 'sources[6].title' still holds template text \"TODO the page's own title\"; expected your own "
         "text in place of every TODO and {{...}} field"),
    (48, "the body still holds template text (TODO); expected your own text in place of every TODO"),
    (50, "link target '../../2024/2024-06-civil-enforcement-law-review-terminated.m' points at an entry's file; "
         "entry pages are named by slug: expected ../2024/civil-enforcement-law-review-terminated.md"),
]


def test_source_rules_report_exactly_these_problems():
    found = [(p.line, p.message) for p in broken_problems() if p.path == BAD_SOURCES]
    assert found == EXPECTED_BAD_SOURCES


def test_every_broken_file_is_reported_in_one_run():
    by_file = {(p.path, p.line, p.message) for p in broken_problems() if p.path not in (BROKEN, BAD_SOURCES)}
    assert by_file == {
        ("timeline/2019/2019-05-01-wrong-date.md", 4,
         "field 'date' is '2019-05-02' but the file name starts with '2019-05-01'; expected them to be equal"),
        ("timeline/2020/2020-01-01-broken-entry.md", 1,
         "slug 'broken-entry' is already used by timeline/2019/2019-02-30-broken-entry.md; "
         "expected a slug unique across the whole timeline"),
        ("timeline/2020/2020-02-01-bad-yaml.md", 3,
         "front matter is not valid YAML (while parsing a flow sequence: did not find expected ',' or ']'); "
         "check indentation, and quote values that contain ': ' or start with [ { * & ! % @ '"),
        ("timeline/2020/2020-03-01-latin1.md", 2,
         "file is not valid UTF-8 (byte 0xe9 at offset 14); save it as UTF-8"),
        ("timeline/2020/2020-04-01-no-front-matter.md", 1,
         "no front matter: the file must start with a line '---', the YAML fields, and a closing line '---'"),
    }


def test_command_line_prints_paths_and_count_and_fails(capsys):
    from digest.__main__ import main
    assert main(["check", "--root", str(FIXTURES / "broken")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(BROKEN + ":1: missing required field 'reviewed'")
    assert err[-1] == "36 problems in 7 files"


def test_valid_fixture_has_no_problems():
    result = check(FIXTURES / "site", today=TODAY)
    assert result.problems == [] and result.entry_count == 3


def test_future_dates_are_refused():
    result = check(FIXTURES / "site", today=dt.date(2019, 1, 1))
    messages = {p.message for p in result.problems}
    assert "field 'date' is '2019-10', in the future; the timeline records events that have happened" in messages


def test_field_label_counts_from_one():
    assert field_label(("sources", 0, "url")) == "sources[1].url"
    assert field_label(()) == "front matter"


def test_resident_id_checksum_and_birth_date():
    assert is_resident_id("11010519491231002X")          # the standard's published example
    assert not is_resident_id("110105194912310021")       # wrong check character
    assert not is_resident_id("110105194913310029")       # month 13


def test_personal_data_guard_true_and_false_positives():
    text = "ID 11010519491231002X, mobile +86 138-1234-5678, mail someone@example.com"
    assert [what for _, what in find_personal_data(text)] == [
        "a PRC resident ID number", "a mainland mobile phone number", "an e-mail address"]
    # A company's unified social credit code and ordinary figures are not personal data.
    assert list(find_personal_data("USCC 91110000802100433B; 14,500,000 people; 2019-10-02")) == []


def kinds(text):
    return [what for _, what in find_personal_data(text)]


def test_credit_code_checksum():
    assert is_credit_code("914403001922038216") and is_credit_code("9144030071526726XG")
    assert not is_credit_code("914403001922038217")       # wrong check character
    assert not is_credit_code("91440300192203821I")       # I is not in the code's alphabet


def test_personal_data_true_positives():
    assert kinds("born 11010519491231002x.") == ["a PRC resident ID number"]          # lowercase x
    assert kinds("13812345678 / 139 1234 5678 / 0086? no: +86 150-1234-5678 / 8613912345678") == [
        "a mainland mobile phone number"] * 4
    assert kinds("write to zhang.san@qq.com or [mail](mailto:li_si+x@163.com)") == ["an e-mail address"] * 2
    # An all-digit string valid under both checksums is an ID unless labelled as a company's code.
    assert kinds("number 121101199001010878") == ["a PRC resident ID number"]


def test_personal_data_false_positives():
    assert kinds("统一社会信用代码：121101199001010878; credit code 914403001922038216") == []
    assert kinds("Tencent 9144030071526726XG, Huawei 914403001922038216") == []
    assert kinds("15000000000 yuan; 1.3812345678 billion; 13,812,345,678; 12345678901; 2019-10-02") == []
    assert kinds("1949, 2014-06-14, 14.5 million, 110105194912310021 (bad checksum)") == []
    assert kinds("[report](https://www.scmp.com/news/article/13812345678/x) and https://medium.com/@a.b/c") == []
    assert kinds("press@sensetime.com, info@creditchina.gov.cn, @SPC_China on Weibo") == []


def test_parallel_check_matches_sequential(monkeypatch):
    """Large timelines are checked on every core; the result must not depend on it."""
    from digest import pipeline
    sequential = check(FIXTURES / "hostile", today=TODAY).problems
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 1)
    monkeypatch.setattr(pipeline, "CHUNK", 7)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    assert check(FIXTURES / "hostile", today=TODAY).problems == sequential
    assert len(sequential) > 30


def test_check_cache_reuses_unchanged_files_and_sees_edits(tmp_path):
    import shutil
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    cache = {}
    assert check(tmp_path / "site", today=TODAY, cache=cache).problems == []
    keys = set(cache)
    assert check(tmp_path / "site", today=TODAY, cache=cache).problems == []
    assert set(cache) == keys                          # nothing parsed again
    entry = tmp_path / "site" / "timeline" / "2013" / "2013-10-24-court-list-goes-online.md"
    entry.write_text(entry.read_text().replace("status: documented", "status: maybe"))
    [problem] = check(tmp_path / "site", today=TODAY, cache=cache).problems
    assert problem.path.endswith("2013-10-24-court-list-goes-online.md") and "'maybe'" in problem.message


def test_an_unfilled_template_copy_is_refused(tmp_path):
    """TEMPLATE.md copied by hand with its {{fields}} left: every leftover is reported, never published."""
    import shutil

    from conftest import ROOT
    shutil.copytree(FIXTURES / "site" / "timeline", tmp_path / "timeline")
    text = (ROOT / "timeline" / "TEMPLATE.md").read_text(encoding="utf-8")
    import re
    text = re.sub(r": \{\{(\w+)\}\}", r': "{{\1}}"', text)       # the YAML fields, quoted; the body as it is
    target = tmp_path / "timeline" / "2020" / "2020-01-01-copied-template.md"
    target.parent.mkdir(exist_ok=True)
    target.write_text(text, encoding="utf-8")
    problems = [p for p in check(tmp_path, today=TODAY).problems if p.path.endswith("copied-template.md")]
    leftovers = [p for p in problems if "template text" in p.message]
    assert problems and len(leftovers) >= 3
    assert any(p.message.startswith("field 'title' still holds template text '{{title}}'") for p in leftovers)
    assert any("the body still holds template text" in p.message for p in leftovers)


def test_a_root_without_a_timeline_is_one_problem_not_a_traceback(tmp_path, capsys):
    from digest.__main__ import main
    assert main(["check", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "timeline:1: folder is missing; expected timeline/YYYY/*.md entries and timeline/vocab/", "1 problem in 1 file"]


def test_make_check_keeps_each_entrys_problems_by_its_content(tmp_path):
    """`make check` checks again only the entries whose text changed; the problems of the others are
    the stored ones, and a vocabulary change checks everything again."""
    import shutil
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    root, stored = tmp_path / "site", tmp_path / "site" / ".state" / "check.json"
    first = check(root, today=TODAY, model=False, stored=stored)
    assert first.problems == [] and first.entry_count == 3 and stored.is_file()
    entry = root / "timeline" / "2013" / "2013-10-24-court-list-goes-online.md"
    good = entry.read_text()
    entry.write_text(good.replace("status: documented", "status: maybe"))
    [problem] = check(root, today=TODAY, model=False, stored=stored).problems
    assert problem.path.endswith("2013-10-24-court-list-goes-online.md") and "'maybe'" in problem.message
    assert check(root, today=TODAY, model=False, stored=stored).problems == [problem]     # from the file
    topics = root / "timeline" / "vocab" / "topics.yaml"
    topics.write_text(topics.read_text().replace("id: international", "id: international-responses"))
    after = {p.message for p in check(root, today=TODAY, model=False, stored=stored).problems}
    assert any("international" in message for message in after)          # every entry checked again
    entry.write_text(good)
    topics.write_text(topics.read_text().replace("id: international-responses", "id: international"))
    assert check(root, today=TODAY, model=False, stored=stored).problems == []
    assert check(root, today=TODAY, model=False).problems == []           # the same without the file
