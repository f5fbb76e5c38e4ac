"""Runs the stages in order: load -> validate -> model -> render. The one entry point for
adapters (the MkDocs hook, the command line, the benchmark)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .drafts import load_drafts, restore_paths
from .figures import load_ledger
from .load import ENTRY_NAME, Problem, RawEntry, display_path, find_entry_files, load_timeline
from .model import Timeline, build_timeline
from .render_corrections import render_corrections_feed
from .render_data import render_data
from .render_feeds import render_feeds
from .render_meta import Site, render_robots
from .render_pages import render_pages
from .validate import check_duplicate_slugs, validate_each
from .vocab import load_vocabulary

SITE_TITLE = "Social Credit Digest"


@dataclass
class Paths:
    root: Path

    @property
    def timeline(self) -> Path:
        return self.root / "timeline"

    @property
    def vocab(self) -> Path:
        return self.root / "timeline" / "vocab"

    @property
    def data(self) -> Path:
        return self.root / "timeline" / "data"


@dataclass
class CheckResult:
    problems: list = field(default_factory=list)
    entry_count: int = 0
    draft_count: int = 0
    timeline: Timeline | None = None


def check(root: Path, today: dt.date | None = None, drafts: bool = False, cache: dict | None = None,
          model: bool = True, stored: Path | None = None) -> CheckResult:
    """Load and validate everything; build the model only when there is no problem.

    drafts=True also validates timeline/_drafts/*.md; drafts never enter the model (site, feeds).
    stored (with model=False): a file keeping each entry's problems by its content, so `make check`
    after an edit checks only the entries that changed (see StoredChecks)."""
    paths = Paths(root)
    if not paths.timeline.is_dir():
        return CheckResult(problems=[Problem(display_path(paths.timeline, root), 1,
                                             "folder is missing; expected timeline/YYYY/*.md entries and timeline/vocab/")])
    vocab, vocab_problems = _cached(cache, "vocabulary", [paths.vocab], lambda: load_vocabulary(paths.vocab, root))
    if stored is not None and not model and cache is None and not vocab_problems:
        raw_entries, entry_problems = StoredChecks(stored, root, today).load_and_validate(paths.timeline, vocab)
    else:
        raw_entries, entry_problems = load_and_validate(paths.timeline, root, vocab, today, cache, keep=model)
    entry_sources = {m["slug"]: len(raw.data.get("sources") or ()) if isinstance(raw.data, dict) else 0
                     for raw, m in ((raw, ENTRY_NAME.match(Path(raw.path).name)) for raw in raw_entries) if m}
    ledger, figure_problems = _cached(cache, "ledger", [paths.data], lambda: load_ledger(paths.data, root, entry_sources),
                                      extra=tuple(sorted(entry_sources.items())))
    draft_entries, draft_paths = load_drafts(paths.timeline, root) if drafts else ([], {})
    checked = restore_paths(entry_problems + validate_each(draft_entries, vocab, today=today)
                            + check_duplicate_slugs(raw_entries + draft_entries), draft_paths)
    problems = vocab_problems + checked + figure_problems
    result = CheckResult(problems=sort_problems(problems), entry_count=len(raw_entries),
                         draft_count=len(draft_entries))
    if not problems and model:
        result.timeline = build_timeline(raw_entries, vocab)
        result.timeline.ledger = ledger
    return result


def _cached(cache: dict | None, name: str, folders: list, load, extra=()):
    """load() again only when a file in the folders changed (a live server's cache)."""
    if cache is None:
        return load()
    stamp = (tuple(sorted((str(path), path.stat().st_mtime_ns, path.stat().st_size)
                          for folder in folders if folder.is_dir() for path in folder.iterdir() if path.is_file())), extra)
    kept = cache.get(("file set", name))
    if kept is None or kept[0] != stamp:
        kept = cache[("file set", name)] = (stamp, load())
    return kept[1]


class StoredChecks:
    """Each entry's own problems, kept in a file by the hash of the entry's text, for `make check`.

    Valid only for the same checks: the file also holds a hash of the checking code (scripts/digest),
    the schema, the vocabularies and the day (date checks depend on it); any change there and every
    entry is checked again. Checks across entries (duplicate slugs, the ledger) always run."""

    def __init__(self, path: Path, root: Path, today: dt.date | None):
        self.path, self.root, self.today = path, root, today or dt.date.today()

    def context(self) -> str:
        digest = hashlib.sha256(self.today.isoformat().encode())
        code = Path(__file__).resolve().parent
        inputs = [*sorted(code.glob("*.py")), code.parents[1] / "timeline" / "entry.schema.json",
                  *sorted((self.root / "timeline" / "vocab").glob("*"))]
        for file in inputs:
            if file.is_file():
                digest.update(file.name.encode() + b"\0" + file.read_bytes())
        return digest.hexdigest()

    def load_and_validate(self, timeline_dir: Path, vocab) -> tuple[list, list]:
        context = self.context()
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
            known = kept["files"] if kept.get("context") == context else {}
        except (OSError, ValueError, KeyError, TypeError):
            known = {}
        files = find_entry_files(timeline_dir)
        hashes = {display_path(path, self.root): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
        missing = [path for path in files if known.get(display_path(path, self.root), [None])[0]
                   != hashes[display_path(path, self.root)]]
        raws, problems = load_and_validate(timeline_dir, self.root, vocab, self.today, keep=False, files=missing)
        found = {shown: [digest, [], None] for shown, digest in hashes.items()}
        for shown, entry in known.items():
            if shown in found and entry[0] == found[shown][0] and len(entry) == 3:
                found[shown] = entry
        for raw in raws:
            sources = raw.data.get("sources") if isinstance(raw.data, dict) else None
            found[raw.path][1:] = [[], len(sources) if isinstance(sources, list) else None]
        for problem in problems:
            if problem.path in found:
                found[problem.path][1].append([problem.line, problem.message])
        self._save({"context": context, "files": found})
        return ([RawEntry(path=shown, data=None if count is None else {"sources": [None] * count})
                 for shown, (_, _, count) in found.items()],
                [Problem(shown, line, message) for shown, (_, lines, _) in found.items() for line, message in lines])

    def _save(self, data: dict) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(self.path.name + ".partial")
            partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, self.path)
        except OSError:
            pass                          # a read-only checkout: checking still works, only slower


PARALLEL_FROM = 2000      # entries; below this a process pool costs more than it saves
CHUNK = 500


def load_and_validate(timeline_dir: Path, root: Path, vocab, today=None, cache=None, keep=True,
                      files: list | None = None) -> tuple[list, list]:
    """Load every entry and check each on its own; on a large timeline, on every core (each entry's
    checks are independent, and `make check` on 10,000 entries must stay within a few seconds).

    cache (a dict kept by a long-running caller such as `mkdocs serve`) skips files whose size and
    modification time are unchanged since the last call. keep=False returns entries without their
    contents (enough for the checks across entries): workers then send back much less."""
    files = find_entry_files(timeline_dir) if files is None else files
    if cache is not None:
        return _load_and_validate_cached(files, timeline_dir, root, vocab, today, cache)
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2:
        return _load_and_validate_chunk(files, timeline_dir, root, vocab, today)
    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = list(pool.map(_load_and_validate_chunk, chunks, [timeline_dir] * len(chunks),
                                [root] * len(chunks), [vocab] * len(chunks), [today] * len(chunks),
                                [keep] * len(chunks)))
    return [raw for raws, _ in results for raw in raws], [p for _, problems in results for p in problems]


def _load_and_validate_cached(files, timeline_dir, root, vocab, today, cache):
    if cache.get("vocab") != vocab.terms:            # a vocabulary edit can change every entry's problems
        for key in [key for key in cache if not (isinstance(key, tuple) and key[:1] == ("file set",))]:
            del cache[key]                           # every entry's check, not the loaded files
        cache["vocab"] = vocab.terms
    raws, problems = [], []
    for path in files:
        try:
            stat = path.lstat()
            key = (str(path), stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = None
        if key not in cache:
            cache[key] = _load_and_validate_chunk([path], timeline_dir, root, vocab, today)
        raws.extend(cache[key][0])
        problems.extend(cache[key][1])
    return raws, problems


def _load_and_validate_chunk(files, timeline_dir, root, vocab, today, keep=True):
    raws = load_timeline(timeline_dir, root, files=files)
    problems = validate_each(raws, vocab, today=today)
    return (raws if keep else [_summary(raw) for raw in raws]), problems


def _summary(raw: RawEntry) -> RawEntry:
    """What the checks across entries need of an entry: its path and how many sources it has (the
    ledger's figures name a source by number)."""
    sources = raw.data.get("sources") if isinstance(raw.data, dict) else None
    return RawEntry(path=raw.path, data={"sources": [None] * len(sources)} if isinstance(sources, list) else None)


def sort_problems(problems: list) -> list:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


class Memo(dict):
    """Renders kept by a long-running caller (make serve) between rebuilds, keyed by what they depend
    on (entries are frozen, so an edited entry is a new key). prune() keeps what the last build used."""

    def __init__(self):
        super().__init__()
        self.used = set()
        self.vocab = None

    def get_or(self, key, make):
        self.used.add(key)
        if key not in self:
            self[key] = make()
        return self[key]

    def start(self, vocab_terms) -> None:
        """Before a build: everything depends on the vocabularies (names of terms)."""
        if vocab_terms != self.vocab:
            self.clear()
            self.vocab = vocab_terms
        self.used = set()

    def prune(self) -> None:
        for key in set(self) - self.used:
            del self[key]


@dataclass
class Rendered:
    timeline: Timeline
    pages: dict   # path.md -> markdown text
    files: dict   # path -> bytes (feeds, data, robots.txt)
    site_url: str = ""


def render(timeline: Timeline, site_url: str, memo: Memo | None = None, language: str = "en") -> Rendered:
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    return Rendered(timeline=timeline, pages=render_pages(timeline, site_url, SITE_TITLE, language, memo=memo),
                    files=render_files(timeline, site_url, memo), site_url=site_url)


def render_files(timeline: Timeline, site_url: str, memo: Memo | None = None) -> dict:
    """Feeds, data downloads and robots.txt: {site path: bytes}."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    files = render_feeds(timeline, site_url, SITE_TITLE, memo=memo)
    files.update(render_corrections_feed(timeline, site_url, SITE_TITLE))
    files.update(render_data(timeline, site_url, SITE_TITLE))
    files["robots.txt"] = render_robots(Site(url=site_url, title=SITE_TITLE))
    return files


def format_problems(problems: list) -> str:
    lines = [str(problem) for problem in problems]
    files = len({problem.path for problem in problems})
    lines.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in "
                 f"{files} file{'s' if files != 1 else ''}")
    return "\n".join(lines)


__all__ = ["Problem", "check", "render", "render_files", "format_problems", "Paths", "SITE_TITLE", "Memo"]
