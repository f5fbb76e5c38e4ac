"""Command line: `python -m digest check|stats|ingest|new` (run with PYTHONPATH=scripts, as the Makefile does)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import changes, new_entry
from .pipeline import check, format_problems
from .stats import format_stats

ROOT = Path(__file__).resolve().parents[2]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="digest", description=__doc__)
    parser.add_argument("command", choices=["check", "stats", "ingest", "new"])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this one)")
    parser.add_argument("--drafts", action="store_true", help="check: also validate timeline/_drafts/*.md")
    parser.add_argument("--feeds", type=Path, help="ingest: feed list (default: timeline/intake/feeds.yaml)")
    parser.add_argument("--dry-run", action="store_true", help="ingest: only report; write no draft, no state")
    parser.add_argument("--since", metavar="REF", help="check: only what changed since this git ref")
    parser.add_argument("--title", help="new: the event's headline")
    parser.add_argument("--date", help="new: the event's date, YYYY-MM-DD, YYYY-MM or YYYY")
    parser.add_argument("--url", help="new: address of the first source (optional)")
    args = parser.parse_args(argv)
    if args.command == "ingest":
        return run_ingest(args)
    if args.command == "new":
        return new_entry.main(args.root.resolve(), args.title, args.date, args.url or None, sys.stdout, sys.stderr)
    if args.command == "check" and args.since:
        return changes.main(args.root.resolve(), args.since, sys.stdout, sys.stderr)
    root = args.root.resolve()
    # `make check` keeps each entry's problems by its content (.state/check.json): after an edit only
    # the changed entries are checked again. DIGEST_CHECK_CACHE=0 checks everything.
    stored = root / ".state" / "check.json" if args.command == "check" and not args.drafts \
        and os.environ.get("DIGEST_CHECK_CACHE") != "0" else None
    result = check(root, drafts=args.drafts, model=args.command == "stats", stored=stored)
    if result.problems:
        print(format_problems(result.problems), file=sys.stderr)
        return 1
    if args.command == "check":
        drafts = f" and {result.draft_count} drafts" if args.drafts else ""
        print(f"{result.entry_count} entries{drafts} checked, no problems")
    else:
        print(format_stats(result.timeline))
    return 0


def run_ingest(args) -> int:
    from .ingest import Options, format_report, run  # feedparser is only needed here
    report, problems = run(Options(root=args.root.resolve(), feeds=args.feeds, dry_run=args.dry_run))
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    print(format_report(report))
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
