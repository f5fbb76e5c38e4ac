"""`make check SINCE=<git ref>`: check only what changed since a ref; report only what the change broke.

As This Week in Rust's `tools/inspect_links.py --since` does, each changed file is checked twice, as it is
now and as it was at the ref, and only problems that were not there before are reported: a pull request
is judged on what it introduced, not on old debt. Messages are compared without line numbers, because
an edit above a problem moves it. Duplicate slugs involve two files, so they count whenever either one
changed. Under GitHub Actions (GITHUB_ACTIONS=true) every problem is also printed as an `::error`
workflow command, which GitHub shows on the pull request's diff.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .load import ENTRY_NAME, Problem, RawEntry, find_entry_files, load_entry
from .pipeline import Paths, format_problems, sort_problems
from .validate import check_duplicate_slugs, validate
from .vocab import load_vocabulary

ENTRY_PATH = re.compile(r"^timeline/\d{4}/[^/]+\.md$")
VOCAB_PATH = re.compile(r"^timeline/vocab/[^/]+\.yaml$")


class GitError(Exception):
    """git could not answer (not a repository, unknown ref); the message is git's own."""


@dataclass
class ChangeReport:
    ref: str
    base: str                                   # commit the working tree is compared with
    changed: dict = field(default_factory=dict)  # path now -> path at base (None when added)
    problems: list = field(default_factory=list)
    old_count: int = 0                           # problems in changed files that were already there

    @property
    def entry_count(self) -> int:
        return sum(1 for path in self.changed if ENTRY_PATH.match(path))


# ---------------------------------------------------------------- git

def git(root: Path, *args: str, text: bool = True):
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=text)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if result.returncode != 0:
        stderr = result.stderr if text else result.stderr.decode("utf-8", "replace")
        raise GitError(stderr.strip().splitlines()[0] if stderr.strip() else f"git {args[0]} failed")
    return result.stdout


def merge_base(root: Path, ref: str) -> str:
    """The commit the branch started from, so changes made on the ref side since are not counted."""
    git(root, "rev-parse", "--git-dir")       # "not a git repository" comes from here
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(f"{ref!r} is not a commit in this repository; fetch it first "
                       "(for example: git fetch origin main)") from None
    try:
        return git(root, "merge-base", ref, "HEAD").strip()
    except GitError:                           # unrelated histories or no HEAD yet: compare with ref
        return git(root, "rev-parse", f"{ref}^{{commit}}").strip()


def changed_files(root: Path, base: str) -> dict:
    """{path now: path at base or None} for timeline files added, modified or renamed since base."""
    fields = git(root, "diff", "--name-status", "-z", "-M", "--relative", base, "--", "timeline").split("\0")
    changed, index = {}, 0
    while index < len(fields) - 1:
        status = fields[index]
        if status[:1] in ("R", "C"):
            changed[fields[index + 2]] = fields[index + 1]
            index += 3
            continue
        if status[:1] != "D":
            changed[fields[index + 1]] = None if status[:1] == "A" else fields[index + 1]
        index += 2
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", "timeline")
    changed.update((path, None) for path in untracked.split("\0") if path)
    return {path: old for path, old in changed.items() if ENTRY_PATH.match(path) or VOCAB_PATH.match(path)}


def files_at(root: Path, base: str, under: str) -> list:
    return [path for path in git(root, "ls-tree", "-r", "--name-only", "-z", base, "--", under).split("\0")
            if path]


def copy_at(root: Path, base: str, path: str, target: Path) -> Path:
    """Write the file as it was at base under target, at the same relative path."""
    out = target / path
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(git(root, "show", f"{base}:./{path}", text=False))
    return out


# ---------------------------------------------------------------- comparing

def only_new(now: list, before: list) -> tuple[list, int]:
    """Problems in now whose message was not there before (counting repeats); and how many were."""
    allowance = Counter(problem.message for problem in before)
    new, old = [], 0
    for problem in now:
        if allowance[problem.message] > 0:
            allowance[problem.message] -= 1
            old += 1
        else:
            new.append(problem)
    return new, old


def by_path(problems: list) -> dict:
    grouped = defaultdict(list)
    for problem in problems:
        grouped[problem.path].append(problem)
    return grouped


def duplicate_slugs(paths: list, involved: set) -> set:
    """Duplicate-slug problems among paths, only for slugs that one of the involved paths uses."""
    groups = defaultdict(list)
    for path in sorted(filter(ENTRY_PATH.match, paths)):
        match = ENTRY_NAME.match(Path(path).name)
        if match:
            groups[match["slug"]].append(RawEntry(path=path))
    return {problem for group in groups.values() if involved & {entry.path for entry in group}
            for problem in check_duplicate_slugs(group)}


# ---------------------------------------------------------------- the check

def entry_problems(root: Path, shown: list, vocab, today) -> list:
    entries = [load_entry(root / path, path) for path in shown]
    # Slugs shared between files are judged by duplicate_slugs, against the whole timeline.
    shared = set(check_duplicate_slugs(entries))
    return [problem for problem in validate(entries, vocab, today) if problem not in shared]


def vocab_problems(vocab_root: Path, wanted: set) -> list:
    _, problems = load_vocabulary(Paths(vocab_root).vocab, vocab_root)
    return [problem for problem in problems if problem.path in wanted]


def base_vocab_root(root: Path, base: str, scratch: Path) -> Path:
    for path in files_at(root, base, "timeline/vocab"):
        if VOCAB_PATH.match(path):
            copy_at(root, base, path, scratch)
    return scratch


def compare(root: Path, base: str, changed: dict, today: dt.date, scratch: Path) -> tuple[list, int]:
    vocab, _ = load_vocabulary(Paths(root).vocab, root)
    entries = [path for path in changed if ENTRY_PATH.match(path)]
    vocabs = {path for path in changed if VOCAB_PATH.match(path)}
    now = by_path(entry_problems(root, entries, vocab, today) + vocab_problems(root, vocabs))
    olds = [old for path, old in changed.items() if old and ENTRY_PATH.match(path)]
    for old in olds:
        copy_at(root, base, old, scratch / "entries")
    before = by_path(entry_problems(scratch / "entries", olds, vocab, today))
    before.update(by_path(vocab_problems(base_vocab_root(root, base, scratch / "vocab"), vocabs)))
    new, old_count = [], 0
    for path, problems in now.items():
        fresh, seen = only_new(problems, before.get(changed.get(path) or path, []))
        new += fresh
        old_count += seen
    current = [Path(p).relative_to(root).as_posix() for p in find_entry_files(Paths(root).timeline)]
    new += sorted(duplicate_slugs(current, set(entries))
                  - duplicate_slugs(files_at(root, base, "timeline"), set(olds)),
                  key=lambda p: (p.path, p.message))
    return new, old_count


def check_since(root: Path, ref: str, today: dt.date | None = None) -> ChangeReport:
    today = today or dt.date.today()
    base = merge_base(root, ref)
    report = ChangeReport(ref=ref, base=base, changed=changed_files(root, base))
    with tempfile.TemporaryDirectory(prefix="digest-since-") as scratch:
        problems, report.old_count = compare(root, base, report.changed, today, Path(scratch))
    report.problems = sort_problems(problems)
    return report


# ---------------------------------------------------------------- output

def escape_data(text: str) -> str:
    """Workflow-command message escaping (GitHub's @actions/core escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Workflow-command property escaping (escapeProperty): also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    return f"::error file={escape_property(problem.path)},line={problem.line}::{escape_data(problem.message)}"


def summary(report: ChangeReport) -> str:
    entries = report.entry_count
    text = (f"{entries} changed entr{'y' if entries == 1 else 'ies'} checked since {report.ref} "
            f"({report.base[:12]}), no new problems")
    if report.old_count:
        text += f"; {report.old_count} older problem{'s' if report.old_count != 1 else ''} not shown"
    return text


def main(root: Path, ref: str, out, err, env=os.environ) -> int:
    try:
        report = check_since(root, ref)
    except GitError as error:
        print(f"make check SINCE={ref}: git says: {error}", file=err)
        return 2
    if not report.problems:
        print(summary(report), file=out)
        return 0
    if env.get("GITHUB_ACTIONS") == "true":
        print("\n".join(annotation(problem) for problem in report.problems), file=out)
    print(format_problems(report.problems), file=err)
    return 1


__all__ = ["check_since", "annotation", "escape_data", "escape_property", "main", "GitError"]
