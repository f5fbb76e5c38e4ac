"""Step 2, generate: stage what the generator builds, and plan what is filled in after it.

The generator reads docs_dir (mkdocs.yml), a staged copy of docs/ in which
- each `<!-- digest:… -->` marker (latest additions, ledger charts and measures) is a slot paragraph,
  filled with its HTML once the generator has drawn the page (frames.py);
- a link to a generated page that is not staged (an entry, a year, a hub) is a link to its URL;
- each generated page in the navigation (timeline, hub and correction indexes) is a slot page: its
  title and fields, an empty article, filled after the generator;
- every other generated page (entries, year and hub listings: the thousands) is drawn once per page
  shape, as a frame page whose values are tokens; frames.py fills one copy of the frame per page.

So the generator draws a few dozen pages whatever the size of the timeline, with its own templates,
navigation and theme, and nothing of it is patched. Files are written only when their text changed,
so a live server can tell whether the generator needs to run again.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from digest.paths import href, page_url
from digest.render_pages import h, md, render_figures, render_latest, render_measures

BODY_SLOT = "scdslot0body0"           # the article of a slot or frame page
TOC_SLOT = "scdslot0toc0"             # its table of contents: one heading the generator lists
FRAMES_DIR = "scdframe"               # frame pages are staged as …/scdframe-KEY/ (and never published)
MARKER = re.compile(r"<!-- digest:(latest|measures|figures [a-z0-9 -]+?) -->")
MD_LINK = re.compile(r"(\]\()([^)\s#]+\.md)((?:#[^)\s]*)?\))")


def field_token(name: str) -> str:
    return f"scdf0{name}0"


def slot_token(number: int) -> str:
    return f"scdslot0m{number}0"


@dataclass
class Plan:
    """What frames.py fills once the generator has run."""
    frames: dict = field(default_factory=dict)     # frame key -> staged .md path of its frame page
    framed: dict = field(default_factory=dict)     # generated page -> frame key
    slot_pages: list = field(default_factory=list)  # generated pages staged as slot pages
    markers: dict = field(default_factory=dict)    # written page -> {slot token: its HTML}
    written: list = field(default_factory=list)    # written pages (.md), staged from docs/
    changed: bool = False                           # did any staged file change


def stage(source_docs: Path, docs_dir: Path, timeline, pages, nav_pages: frozenset, files=(),
          frames: bool = True) -> Plan:
    """Write docs_dir from docs/ and the generated pages; returns the plan of what to fill.
    files: the generated feeds and data files, staged empty so that the generator finds the files
    the written pages link to (their content is written after it, and so never makes it run again).
    frames=False stages every generated page whole (slot pages), for comparing with frames."""
    plan = Plan()
    wanted = {path: "" for path in files}                  # staged relative path -> text or source file
    generated = set(pages)
    for path in sorted(_files(source_docs)):
        source = source_docs / path
        if not path.endswith(".md"):
            wanted[path] = source
            continue
        text = source.read_text(encoding="utf-8")
        text, slots = _fill_markers(text, path, timeline)
        wanted[path] = _link_generated(text, path, generated)
        plan.written.append(path)
        if slots:
            plan.markers[path] = slots
    for path in pages:
        fields = pages.fields(path)
        listed = pages.has_contents(path)
        if path in nav_pages or not frames:
            wanted[path] = _slot_page(fields, listed)
            plan.slot_pages.append(path)
            continue
        key = frame_key(path, fields, nav_pages, listed)
        plan.framed[path] = key
        if key not in plan.frames:
            plan.frames[key] = frame_path(key, path)
            wanted[plan.frames[key]] = _frame_page(fields, listed)
    plan.changed = _write_tree(docs_dir, wanted)
    return plan


def frame_key(path: str, fields: dict, nav_pages: frozenset, listed: bool) -> str:
    """Pages of one shape share a frame: the same links to the root and to each page of the
    navigation (a generator writes them relative to the page), the same text fields and other
    values, and a table of contents or none (`listed`: the page has second-level headings)."""
    links = _links_from(posixpath.dirname(page_url(path).rstrip("/")), nav_pages)
    names = sorted(name for name, value in fields.items() if isinstance(value, str))
    fixed = {name: value for name, value in fields.items() if not isinstance(value, str)}
    shape = json.dumps([links, names, fixed, listed], sort_keys=True)
    kind = re.sub(r"[^a-z-]", "", str(fields.get("scd_kind", "page")))
    return f"{kind}-{hashlib.sha256(shape.encode()).hexdigest()[:10]}"


@functools.lru_cache(maxsize=4096)
def _links_from(folder: str, nav_pages: frozenset) -> tuple:
    """Relative links from a page in `folder` (a page URL's parent) to the root and each page of the
    navigation; pages in one folder share them (the page's own name is its last segment)."""
    here = posixpath.join(folder, "x")
    return tuple(posixpath.relpath(page_url(target) or ".", here) for target in sorted(nav_pages | {"index.md"}))


def frame_path(key: str, path: str) -> str:
    """The frame page sits beside the first page it frames (same folder, so the same relative links)."""
    folder = posixpath.dirname(page_url(path).rstrip("/"))
    return posixpath.join(folder, f"{FRAMES_DIR}-{key}", "index.md")


def _front(fields: dict) -> str:
    # JSON values are valid YAML: every generator reads them as the page's fields.
    return "---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n"
                             for key, value in sorted(fields.items())) + "---\n\n"


def _slot_page(fields: dict, listed: bool) -> str:
    # The generator writes the description into an attribute as it is: escaped here.
    fields = {**fields, "description": h(fields["description"])} if "description" in fields else fields
    return _front(fields) + _article(md(fields.get("title", "")), listed)


def _frame_page(fields: dict, listed: bool) -> str:
    tokens = {name: field_token(name) if isinstance(value, str) else value for name, value in fields.items()}
    return _front(tokens) + _article(field_token("title"), listed)


def _article(title: str, listed: bool) -> str:
    return f"# {title}\n\n{BODY_SLOT}\n" + (f"\n## {TOC_SLOT}\n" if listed else "")


def _fill_markers(text: str, path: str, timeline) -> tuple:
    slots = {}

    def slot(match):
        marker = match.group(1)
        if marker == "latest":
            markup = render_latest(timeline, path)
        elif marker == "measures":
            markup = render_measures(timeline)
        else:
            markup = render_figures(timeline, marker.split(" ", 1)[1], path)
        token = slot_token(len(slots))
        slots[token] = markup
        return f"\n\n{token}\n\n"
    return MARKER.sub(slot, text), slots


def _link_generated(text: str, path: str, generated: set) -> str:
    """`[…](../timeline/2019/x.md)` to a generated page the generator does not see becomes a link to
    its URL; links to staged pages stay for the generator to check and resolve."""
    here = posixpath.dirname(path)

    def relink(match):
        target = posixpath.normpath(posixpath.join(here, match.group(2)))
        if target not in generated:
            return match.group(0)
        return match.group(1) + href(path, target) + match.group(3)
    return MD_LINK.sub(relink, text)


def _files(folder: Path):
    for directory, _, names in os.walk(folder, followlinks=True):
        for name in names:
            if not name.startswith("."):
                yield str((Path(directory) / name).relative_to(folder)).replace(os.sep, "/")


def _write_tree(target: Path, wanted: dict) -> bool:
    """Make target hold exactly `wanted` ({path: text or source file}); True if anything changed."""
    changed = False
    existing = set(_files(target)) if target.is_dir() else set()
    for path in existing - set(wanted):
        (target / path).unlink()
        changed = True
    for path, content in wanted.items():
        destination = target / path
        if isinstance(content, Path):
            stat = content.stat()
            if path in existing:
                mine = destination.stat()
                if mine.st_size == stat.st_size and mine.st_mtime_ns == stat.st_mtime_ns:
                    continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(content, destination)
            changed = True
            continue
        data = content.encode("utf-8")
        if path in existing and destination.read_bytes() == data:
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
        changed = True
    for directory, subdirectories, names in os.walk(target, topdown=False):
        if not names and not subdirectories and Path(directory) != target:
            Path(directory).rmdir()
    return changed
