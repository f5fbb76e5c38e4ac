"""`digest ingest` against fixture feeds served on 127.0.0.1, in a throwaway repository root."""
from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from digest import ingest
from digest.__main__ import main
from digest.ingest import Options, format_report, run

FEEDS = FIXTURES / "feeds"
TODAY = dt.date(2026, 11, 28)
ETAG = '"conditional-v1"'
LAST_MODIFIED = "Mon, 02 Nov 2026 12:00:00 GMT"


class FeedServer(BaseHTTPRequestHandler):
    """Fixture feeds plus the misbehaviours a real feed host can show."""
    requests: list = []

    def do_GET(self):
        self.requests.append((self.path, dict(self.headers)))
        name = self.path.lstrip("/")
        if name == "slow.xml":
            time.sleep(1.5)
        if name in ("loop-a", "loop-b"):
            return self._answer(302, b"", {"Location": "/loop-b" if name == "loop-a" else "/loop-a"})
        if name == "moved":
            return self._answer(301, b"", {"Location": "/rss1.xml"})
        if name == "conditional.xml" and self.headers.get("If-None-Match") == ETAG:
            return self._answer(304, b"")
        if name == "atom.xml" and self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return self._answer(304, b"")
        path = FEEDS / name
        if not name or not path.is_file():
            return self._answer(404, b"not here")
        headers = {"Content-Type": "application/rss+xml; charset=utf-8",
                   "ETag": ETAG if name == "conditional.xml" else None,
                   "Last-Modified": LAST_MODIFIED if name == "atom.xml" else None}
        self._answer(200, path.read_bytes(), headers)

    def _answer(self, code, body, headers=None):
        self.send_response(code)
        for key, value in (headers or {}).items():
            if value:
                self.send_header(key, value)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass   # the client gave up on purpose: the size cap or the timeout

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


FEED_LIST = [("rss2", "rss2.xml", "en"), ("atom", "atom.xml", "en"), ("rss1", "moved", "en"),
             ("中文", "zh.xml", "zh-Hans"), ("malformed", "malformed.xml", "en"),
             ("huge", "huge.xml", "en"), ("slow", "slow.xml", "en"), ("gone", "missing.xml", "en"),
             ("loop", "loop-a", "en"), ("conditional", "conditional.xml", "en")]

EXISTING_ENTRY = """---
title: Hebei court launches a deadbeat map
summary: A WeChat mini-program showed listed debtors nearby.
date: 2019-01-14
added: 2026-11-28
reviewed: 2026-11-28
topics: [naming-and-shaming]
status: reported
sources:
  - title: Deadbeat map
    publisher: Example Org
    url: https://www.example.org/cited/deadbeat-map
    via: https://archive.example.net/web/2019/deadbeat
    date: 2019-01-15
    language: en
    primary: false
---
Body.
"""

EXISTING_DRAFT = """---
title: An old social credit story
summary: Drafted by an earlier run.
date: 2026-09-01
added: 2026-11-01
reviewed: 2026-11-01
topics: [policy]
status: reported
sources:
  - title: An old social credit story
    publisher: Example News
    url: https://news.example.com/2026/09/old-story
    date: 2026-09-01
    language: en
    primary: false
---
Excerpt.
"""


def write_feed_list(path: Path, base: str, feeds=FEED_LIST) -> Path:
    lines = [f"- name: {name}\n  url: {base}/{route}\n  language: {lang}\n  publisher: Pub {name}\n"
             for name, route, lang in feeds]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path, server) -> Path:
    """A repository root with the real vocabularies and keyword rules, one entry and one draft."""
    shutil.copytree(ROOT / "timeline" / "vocab", tmp_path / "timeline" / "vocab")
    # The feeds' items live on example.* hosts, which the real list blocks as template placeholders.
    (tmp_path / "timeline" / "vocab" / "blocked-hosts.yaml").write_text("[]\n", encoding="utf-8")
    aliases = ", ".join(f"Pub {name}" for name, _, _ in FEED_LIST)
    (tmp_path / "timeline" / "vocab" / "publishers.yaml").write_text(
        "- id: example-news\n  name: Example News\n  kind: media\n  domains: [example.com, example.org]\n"
        f"  language: en\n  aliases: [Example Org, {aliases}]\n", encoding="utf-8")
    (tmp_path / "timeline" / "intake").mkdir()
    shutil.copy(ROOT / "timeline" / "intake" / "keywords.yaml", tmp_path / "timeline" / "intake")
    write_feed_list(tmp_path / "timeline" / "intake" / "feeds.yaml", server)
    (tmp_path / "timeline" / "2019").mkdir()
    (tmp_path / "timeline" / "2019" / "2019-01-14-deadbeat-map.md").write_text(EXISTING_ENTRY, encoding="utf-8")
    (tmp_path / "timeline" / "_drafts").mkdir()
    (tmp_path / "timeline" / "_drafts" / "2026-09-01-old-story.md").write_text(EXISTING_DRAFT, encoding="utf-8")
    return tmp_path


def options(root: Path, **changes) -> Options:
    return Options(root=root, timeout=0.5, max_bytes=8192, today=TODAY, **changes)


def drafts(root: Path) -> list[str]:
    return sorted(path.name for path in (root / "timeline" / "_drafts").glob("*.md"))


NEW_DRAFTS = [
    "2026-09-20-rongchengs-points-scheme-ten-years-on.md",
    "2026-10-05-court-adds-2-million-names-to-dishonest-debtor-list.md",
    "2026-10-06-sensetime-opens-a-research-lab-in-shanghai.md",
    "2026-11-01-laolai-0fbf9161.md",
    "2026-11-01-sesame-credit-changes-how-scores-are-shown.md",
    "2026-11-02-eu-regulators-publish-guidance-on-the-social-scoring-ban.md",
    "2026-11-02-sensetime-model.md",
    "2026-11-03-baihang-credit-reporting-expands.md",
]


def test_first_run_writes_one_draft_per_new_matching_item(repo, server):
    report, problems = run(options(repo))
    assert problems == []
    assert drafts(repo) == sorted(NEW_DRAFTS + ["2026-09-01-old-story.md"])
    skipped = {feed.feed.name: feed.skipped for feed in report.feeds if feed.skipped}
    assert skipped == {
        "rss2": [("https://www.example.org/cited/deadbeat-map",
                  "already cited by timeline/2019/2019-01-14-deadbeat-map.md"),
                 ("http://archive.example.net/web/2019/deadbeat",
                  "already cited by timeline/2019/2019-01-14-deadbeat-map.md")],
        "atom": [("https://news.example.com/2026/10/debtors", "already cited by timeline/_drafts/"
                  "2026-10-05-court-adds-2-million-names-to-dishonest-debtor-list.md")],
        "rss1": [("https://news.example.com/2026/09/old-story",
                  "already cited by timeline/_drafts/2026-09-01-old-story.md")],
    }
    assert report.exit_code == 0


def test_summary_table_reports_every_feed(repo, server):
    report, _ = run(options(repo))
    table = format_report(report).split("\n\n")[1]
    assert table == (
        "feed         result   items  matched  new drafts  reason\n"
        "rss2         fetched      5        4           2\n"
        "atom         fetched      3        3           2\n"
        "rss1         fetched      2        2           1\n"
        "中文         fetched      3        2           2\n"
        "malformed    failed       -        -           -  malformed XML at line 6: not well-formed (invalid token)\n"
        "huge         failed       -        -           -  feed is 21,257 bytes, over the 8,192-byte cap\n"
        "slow         failed       -        -           -  no answer within 0.5 s\n"
        "gone         failed       -        -           -  HTTP 404 Not Found\n"
        f"loop         failed       -        -           -  redirect loop: {server}/loop-a -> "
        f"{server}/loop-b -> {server}/loop-a\n"
        "conditional  fetched      1        1           1\n"
        "10 feeds: 5 fetched, 0 not modified, 5 failed; 8 new draft(s) in timeline/_drafts/")


def test_second_run_writes_nothing_new_and_uses_conditional_requests(repo, server):
    run(options(repo))
    before = {name: (repo / "timeline" / "_drafts" / name).read_bytes() for name in drafts(repo)}
    FeedServer.requests.clear()
    report, _ = run(options(repo))
    after = {name: (repo / "timeline" / "_drafts" / name).read_bytes() for name in drafts(repo)}
    assert after == before
    results = {feed.feed.name: (feed.result, len(feed.drafts)) for feed in report.feeds}
    assert results["conditional"] == ("not modified", 0)
    assert results["atom"] == ("not modified", 0)
    assert results["rss2"] == ("fetched", 0)
    sent = {path: headers for path, headers in FeedServer.requests}
    assert sent["/conditional.xml"]["If-None-Match"] == ETAG
    assert sent["/atom.xml"]["If-Modified-Since"] == LAST_MODIFIED
    assert format_report(report).endswith("10 feeds: 3 fetched, 2 not modified, 5 failed; "
                                          "0 new draft(s) in timeline/_drafts/")


def test_draft_content_is_prefilled_and_free_of_html(repo, server):
    run(options(repo))
    text = (repo / "timeline" / "_drafts" / NEW_DRAFTS[1]).read_text(encoding="utf-8")
    assert text == """---
title: Court adds 2 million names to dishonest debtor list
# summary: one or two plain sentences in your own words, at most 300 characters
date: 2026-10-05
added: 2026-11-28
reviewed: 2026-11-28
topics: [debtor-list]
status: reported
sources:
  - title: Court adds 2 million names to dishonest debtor list
    publisher: Pub rss2
    url: https://news.example.com/2026/10/debtors
    date: 2026-10-05
    language: en
    primary: false
---
Excerpt from the feed item, to be rewritten in your own words:

> The Supreme People's Court said the list grew & shrank. Second paragraph with \\*stars\\* and \\[brackets\\].

Draft from the feed 'rss2', matched on: dishonest debtor.
"""


def test_chinese_draft_keeps_chinese_text_and_guesses_topics(repo, server):
    run(options(repo))
    text = (repo / "timeline" / "_drafts" / "2026-11-01-laolai-0fbf9161.md").read_text(encoding="utf-8")
    assert "title: 最高法：失信被执行人名单一年减少百万\n" in text
    assert "topics: [debtor-list]\n" in text
    assert "url: https://zh.example.com/news/2026/1101/laolai.html\n" in text
    assert "language: zh-Hans\n" in text
    assert "> “老赖”人数下降，详见。\n" in text
    assert "matched on: 失信被执行人, 失信被执行人名单, 老赖." in text


def test_dry_run_writes_no_draft_and_no_state(repo, server):
    report, _ = run(options(repo, dry_run=True))
    assert drafts(repo) == ["2026-09-01-old-story.md"]
    assert not (repo / ".state").exists() and not (repo / ".cache").exists()
    text = format_report(report)
    assert "rss2: would write timeline/_drafts/2026-10-06-sensetime-opens-a-research-lab-in-shanghai.md" in text
    assert text.endswith("dry run: 8 draft(s) would be written, nothing was written")


def test_exit_code_is_non_zero_only_when_every_feed_failed(repo, server, capsys):
    feeds = repo / "bad-feeds.yaml"
    write_feed_list(feeds, server, [("gone", "missing.xml", "en"), ("loop", "loop-a", "en")])
    assert main(["ingest", "--root", str(repo), "--feeds", str(feeds)]) == 1
    assert "2 feeds: 0 fetched, 0 not modified, 2 failed" in capsys.readouterr().out
    write_feed_list(feeds, server, [("gone", "missing.xml", "en"), ("conditional", "conditional.xml", "en")])
    assert main(["ingest", "--root", str(repo), "--feeds", str(feeds)]) == 0


def test_unreachable_host_is_reported(repo):
    feeds = write_feed_list(repo / "f.yaml", "http://127.0.0.1:9", [("closed", "x.xml", "en")])
    report, _ = run(options(repo, feeds=feeds))
    assert report.feeds[0].reason.startswith("cannot connect: ")


def test_bad_feed_list_is_reported_with_lines(repo, capsys):
    feeds = repo / "broken.yaml"
    feeds.write_text("- name: a\n  url: ftp://x/feed\n  language: en\n  publisher: P\n"
                     "- name: b\n  url: https://x/feed\n  language: English\n  publisher: P\n"
                     "- name: c\n  url: https://x/feed\n  language: en\n", encoding="utf-8")
    assert main(["ingest", "--root", str(repo), "--feeds", str(feeds)]) == 1
    assert capsys.readouterr().err == (
        "broken.yaml:1: feed 'a': url 'ftp://x/feed' is not an http:// or https:// URL\n"
        "broken.yaml:5: feed 'b': language 'English' is not a BCP 47 tag such as en or zh-Hans\n"
        "broken.yaml:9: feed 'c': missing field 'publisher'\n"
        "3 problems in 1 file\n")


def test_unknown_topic_in_keyword_rules_is_reported(repo):
    (repo / "timeline" / "intake" / "keywords.yaml").write_text("- topic: nope\n  terms: [x]\n")
    _, problems = run(options(repo))
    assert [str(p) for p in problems] == [
        "timeline/intake/keywords.yaml:1: unknown topic id 'nope'; expected an id from timeline/vocab/topics.yaml"]


def test_drafts_are_checked_on_request_as_if_promoted(repo, server, capsys):
    run(options(repo))
    for name in ("places", "entities"):
        assert (repo / "timeline" / "vocab" / f"{name}.yaml").exists()
    assert main(["check", "--root", str(repo)]) == 0
    assert main(["check", "--root", str(repo), "--drafts"]) == 1
    err = capsys.readouterr().err.splitlines()
    # A fresh draft lacks only the summary an editor writes; the folder rule does not fire.
    assert err[0] == ("timeline/_drafts/2026-09-20-rongchengs-points-scheme-ten-years-on.md:1: "
                      "missing required field 'summary'; expected plain text of 1 to 300 characters")
    assert len(err) == 9 and err[-1] == "8 problems in 8 files"
    assert all("missing required field 'summary'" in line for line in err[:-1])
    assert not any("folder" in line for line in err)


def test_matching_rules():
    rules, problems = ingest.load_rules(ROOT / "timeline" / "intake" / "keywords.yaml", ROOT)
    assert problems == []
    assert ingest.match_topics("China's Social-Credit System explained", rules) == (["policy"], ["social credit", "social credit system"])
    assert ingest.match_topics("Officials said the plan was fine", rules) == ([], [])
    assert ingest.match_topics("芝麻信用与百行征信", rules) == (["private-scores"], ["芝麻信用", "百行征信"])


def test_remembered_feed_state_lives_outside_zensicals_cache(repo, server):
    """Zensical's `build --clean` empties .cache/: the feeds' remembered state is in .state/, and a
    state file an earlier version kept in .cache/ is moved there."""
    old = repo / ".cache" / "ingest" / "state.json"
    old.parent.mkdir(parents=True)
    old.write_text("{}", encoding="utf-8")
    run(options(repo))
    assert not old.exists() and (repo / ".state" / "ingest" / "state.json").is_file()
