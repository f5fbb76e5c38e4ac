"""Command line: `python -m digest check|stats|new` (run with PYTHONPATH=scripts, as the Makefile does)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import changes, new_entry
from .pipeline import check, format_problems
from .stats import format_stats

ROOT = Path(__file__).resolve().parents[2]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="digest", description=__doc__)
    parser.add_argument("command", choices=["check", "stats", "new"])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this one)")
    parser.add_argument("--since", metavar="REF", help="check: only what changed since this git ref")
    parser.add_argument("--title", help="new: the event's headline")
    parser.add_argument("--date", help="new: the event's date, YYYY-MM-DD, YYYY-MM or YYYY")
    parser.add_argument("--url", help="new: address of the first source (optional)")
    args = parser.parse_args(argv)
    if args.command == "new":
        return new_entry.main(args.root.resolve(), args.title, args.date, args.url or None, sys.stdout, sys.stderr)
    if args.command == "check" and args.since:
        return changes.main(args.root.resolve(), args.since, sys.stdout, sys.stderr)
    result = check(args.root.resolve())
    if result.problems:
        print(format_problems(result.problems), file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"{result.entry_count} entries checked, no problems")
    else:
        print(format_stats(result.timeline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
