"""Command line: `python -m digest check|stats` (run with PYTHONPATH=scripts, as the Makefile does)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .pipeline import check, format_problems
from .stats import format_stats

ROOT = Path(__file__).resolve().parents[2]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="digest", description=__doc__)
    parser.add_argument("command", choices=["check", "stats"])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this one)")
    args = parser.parse_args(argv)
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
