"""Drafts (timeline/_drafts/*.md) checked by `digest check --drafts`.

A draft is checked as if it had already been moved to where it will be published,
timeline/YYYY/name.md, so the entry rules hold unchanged (file name, date, folder, unique slug);
messages still name the draft's own path.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .load import ENTRY_NAME, Problem, RawEntry, display_path, load_entry

DRAFTS_DIR = "_drafts"


def load_drafts(timeline_dir: Path, root: Path) -> tuple[list[RawEntry], dict]:
    """(drafts with their promoted paths, {promoted path: draft path})."""
    entries, back = [], {}
    for path in sorted((timeline_dir / DRAFTS_DIR).glob("*.md")):
        entry = load_entry(path, display_path(path, root))
        match = ENTRY_NAME.match(path.name)
        target = timeline_dir / match["date"][:4] / path.name if match else None
        # An entry already at the target keeps its own messages; the clash shows as a duplicate slug.
        if target is not None and not target.exists():
            promoted = display_path(target, root)
            back[promoted] = entry.path
            entry.path = promoted
        entries.append(entry)
    return entries, back


def restore_paths(problems: list[Problem], back: dict) -> list[Problem]:
    return [replace(problem, path=back.get(problem.path, problem.path)) for problem in problems]
