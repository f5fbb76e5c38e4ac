import datetime as dt
import io
import os
import shutil
import subprocess

import pytest

from conftest import FIXTURES
from digest.changes import annotation, check_since, escape_data, escape_property, main
from digest.load import Problem

TODAY = dt.date(2026, 11, 28)
OLD = "timeline/2019/2019-05-01-old-debt.md"
NEW = "timeline/2020/2020-01-02-new-entry.md"
COPY = "timeline/2022/2022-01-01-court-list-goes-online.md"
FRONT = """---
title: {title}
summary: A fixture entry.
date: {date}
added: 2026-01-10{extra}
reviewed: 2026-01-10
topics: [{topic}]
places: [china]
entities: [{entity}]
status: {status}
sources:
  - title: Fixture source
    publisher: Fixture Publisher
    url: https://example.org/one
    date: {date}
    language: en
    primary: true
---
Body text.
"""


def entry(date, topic="debtor-list", entity="supreme-peoples-court", status="documented", extra=""):
    return FRONT.format(title=f"Entry of {date}", date=date, topic=topic, entity=entity, status=status,
                        extra=extra)


def git(repo, *args):
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
                    "-c", "init.defaultBranch=main", *args], check=True, capture_output=True, env=env)


def write(repo, path, text):
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """A git repository whose base commit already has one entry with a problem (old debt)."""
    shutil.copytree(FIXTURES / "site" / "timeline", tmp_path / "timeline")
    write(tmp_path, OLD, entry("2019-05-01", topic="debtor-lists"))
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "add", "timeline")
    git(tmp_path, "commit", "--quiet", "-m", "base")
    git(tmp_path, "tag", "base")
    return tmp_path


def found(report):
    return [(p.path, p.line, p.message) for p in report.problems]


def test_nothing_changed_reports_nothing_even_with_old_problems(repo):
    report = check_since(repo, "base", today=TODAY)
    assert (found(report), report.changed, report.old_count) == ([], {}, 0)


def test_only_problems_the_change_introduced_are_reported(repo):
    # The edit moves the old problem down a line and adds a new one: only the new one counts.
    write(repo, OLD, entry("2019-05-01", topic="debtor-lists", entity="spc", extra="\nupdated: 2026-02-01"))
    git(repo, "commit", "--quiet", "-am", "edit")
    write(repo, NEW, entry("2020-01-02", status="confirmed"))          # untracked files count too
    report = check_since(repo, "base", today=TODAY)
    assert found(report) == [
        (OLD, 10, "field 'entities' has unknown id 'spc'; did you mean 'supreme-peoples-court'?"),
        (NEW, 10, "field 'status' is 'confirmed'; expected one of documented, reported, disputed, debunked"),
    ]
    assert report.old_count == 1 and report.entry_count == 2


def test_fixing_a_problem_reports_nothing(repo):
    write(repo, OLD, entry("2019-05-01"))
    assert found(check_since(repo, "base", today=TODAY)) == []


def test_duplicate_slug_with_an_unchanged_file_counts(repo):
    write(repo, COPY, entry("2022-01-01"))
    assert found(check_since(repo, "base", today=TODAY)) == [
        (COPY, 1, "slug 'court-list-goes-online' is already used by "
                  "timeline/2013/2013-10-24-court-list-goes-online.md; expected a slug unique across the "
                  "whole timeline")]


def test_renamed_file_is_compared_with_its_old_self(repo):
    git(repo, "mv", OLD, "timeline/2019/2019-05-01-old-debt-renamed.md")
    report = check_since(repo, "base", today=TODAY)
    assert (found(report), report.old_count) == ([], 1)
    assert report.changed == {"timeline/2019/2019-05-01-old-debt-renamed.md": OLD}


def test_changes_on_the_base_branch_after_the_fork_are_not_counted(repo):
    git(repo, "checkout", "--quiet", "-b", "topic")
    git(repo, "checkout", "--quiet", "main")
    write(repo, NEW, entry("2020-01-02", status="confirmed"))
    git(repo, "add", NEW)
    git(repo, "commit", "--quiet", "-m", "main moves on")
    git(repo, "checkout", "--quiet", "topic")
    assert found(check_since(repo, "main", today=TODAY)) == []


def run_main(repo, ref, env):
    out, err = io.StringIO(), io.StringIO()
    return main(repo, ref, out, err, env=env), out.getvalue(), err.getvalue()


def test_command_prints_annotations_only_in_github_actions(repo):
    write(repo, NEW, entry("2020-01-02", status="confirmed"))
    message = "field 'status' is 'confirmed'; expected one of documented, reported, disputed, debunked"
    code, out, err = run_main(repo, "base", {"GITHUB_ACTIONS": "true"})
    assert code == 1
    assert out == f"::error file={NEW},line=10::{message}\n"
    assert err == f"{NEW}:10: {message}\n1 problem in 1 file\n"
    assert run_main(repo, "base", {})[1] == ""


def test_command_summary_when_clean(repo):
    write(repo, OLD, entry("2019-05-01", topic="debtor-lists", extra="\nupdated: 2026-02-01"))
    code, out, err = run_main(repo, "base", {})
    base = subprocess.run(["git", "-C", str(repo), "rev-parse", "base"], capture_output=True, text=True)
    assert (code, err) == (0, "")
    assert out == f"1 changed entry checked since base ({base.stdout[:12]}), no new problems; " \
                  "1 older problem not shown\n"


def test_unknown_ref_is_explained_without_a_traceback(repo, tmp_path_factory):
    assert run_main(repo, "no-such-branch", {}) == (
        2, "", "make check SINCE=no-such-branch: git says: 'no-such-branch' is not a commit in this "
               "repository; fetch it first (for example: git fetch origin main)\n")
    code, _, err = run_main(tmp_path_factory.mktemp("plain"), "main", {})
    assert code == 2 and "not a git repository" in err


def test_annotation_escapes_workflow_command_characters():
    problem = Problem("timeline/2020/a,b:c%\n.md", 3, "50% of lines: ok")
    assert annotation(problem) == "::error file=timeline/2020/a%2Cb%3Ac%25%0A.md,line=3::50%25 of lines: ok"
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("x:y,z") == "x%3Ay%2Cz"


def test_a_broken_vocabulary_term_added_by_the_change_is_reported(repo):
    topics = repo / "timeline" / "vocab" / "topics.yaml"
    lines = len(topics.read_text(encoding="utf-8").splitlines())
    with topics.open("a", encoding="utf-8") as out:
        out.write("- id: new-topic\n  name: New topic\n")
    report = check_since(repo, "base", today=TODAY)
    assert [(p.line, p.message) for p in report.problems] == [
        (lines + 1, "term 'new-topic': missing field 'description'"),
        (lines + 1, "term 'new-topic': missing field 'name_zh'"),
        (lines + 1, "term 'new-topic': missing field 'pinyin'")]
    assert {p.path for p in report.problems} == {"timeline/vocab/topics.yaml"}
