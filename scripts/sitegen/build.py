"""`make build` (scripts/build_site.py): the whole path from timeline/ to site/, in order.

    1 check      validate every entry, vocabulary and figure (scripts/digest); stop on any problem
    2 generate   render the model; stage docs/ and the generated pages for the generator (generate.py)
    3 generator  MkDocs, ProperDocs or Zensical builds the staged pages (generators.py)
    4 fill       each generated page's article into the frame the generator drew (frames.py)
    5 finish     head metadata, security policy, sitemap, feeds, data files (postprocess.py)
    6 search     one Pagefind index of every article (search.py)

The site is assembled in a temporary folder and swapped in at the end: a failed build leaves the
previous site/ as it was. SOURCE_DATE_EPOCH defaults to the last commit's time, so two builds of one
commit are byte-identical. `make serve` runs the same steps on every edit (serve.py).
"""
from __future__ import annotations

import argparse
import hashlib
import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digest import render_meta  # noqa: E402
from digest.paths import entry_page, page_url  # noqa: E402
from digest.pipeline import SITE_TITLE, Memo, check, format_problems, render_files  # noqa: E402
from digest.render_body import headings_of  # noqa: E402
from digest.render_pages import (  # noqa: E402
    render_pages,  # noqa: E402
    search_sort_value,
    split_front_matter,
)
from sitegen import frames, generate, generators, postprocess, search  # noqa: E402
from sitegen.config import SiteConfig, read_config  # noqa: E402


@dataclass
class Caches:
    """What a live server keeps between rebuilds; a one-off build starts with empty ones."""
    checked: dict | None = None                    # entry file -> its check (digest.pipeline.check)
    memo: Memo | None = None                       # renders by what they depend on (digest.pipeline.Memo)
    filled: dict = field(default_factory=dict)     # page -> (article, values) it was last filled with
    file_names: tuple = ()                         # the feed and data files of the last build
    git_dates: dict = field(default_factory=dict)  # written page file -> day of its last commit
    written: dict = field(default_factory=dict)    # site file -> hash of what was written there


@dataclass
class Outcome:
    ok: bool
    problems: str = ""            # the check's problems, formatted
    pages: int = 0
    generator_ran: bool = False
    seconds: float = 0.0
    steps: list = field(default_factory=list)     # (step, seconds)


def build(site_dir: Path, strict: bool = True, config: Path = ROOT / "mkdocs.yml", ssg: str = "mkdocs",
          frames_on: bool = True, with_search: bool = True, quiet: bool = False) -> int:
    """One build into site_dir, swapped in when it succeeded. Returns an exit code."""
    site_dir = Path(site_dir).resolve()
    with_search = with_search and os.environ.get("DIGEST_SKIP_SEARCH") != "1"
    work = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        outcome = build_into(read_config(config), work / "site", ssg, strict=strict, frames_on=frames_on,
                             with_search=with_search, quiet=quiet)
        if not outcome.ok:
            if outcome.problems:
                print(f"timeline has problems:\n{outcome.problems}", file=sys.stderr)
            print(f"build failed; {site_dir} left as it was", file=sys.stderr)
            return 1
        if site_dir.exists():
            site_dir.rename(work / "old")
        (work / "site").rename(site_dir)
        if not quiet:
            steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in outcome.steps)
            print(f"built {outcome.pages} pages into {site_dir} in {outcome.seconds:.1f} s with {ssg} ({steps})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build_into(config: SiteConfig, out: Path, ssg: str, strict: bool = True, frames_on: bool = True,
               with_search: bool = True, quiet: bool = False, caches: Caches | None = None,
               run_generator: bool = True, serving: bool = False, pages_written=lambda: None) -> Outcome:
    """The steps. A live server passes its caches, may skip the generator, and hears when the pages
    are written (pages_written), before feeds, data files and the sitemap."""
    started = time.perf_counter()
    steps, clock = [], [started]

    def step(name: str) -> None:
        now = time.perf_counter()
        steps.append((name, now - clock[0]))
        clock[0] = now
    caches = caches or Caches()
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", last_commit_epoch(config.root))

    # 1 check
    result = check(config.root, cache=caches.checked)
    if result.problems:
        return Outcome(ok=False, problems=format_problems(result.problems))
    timeline = result.timeline
    step("check")

    # 2 generate
    if caches.memo is not None:
        caches.memo.start(timeline.vocab.terms)
    pages = render_pages(timeline, config.site_url, SITE_TITLE, memo=caches.memo)
    # A live server writes the pages first, then feeds and data (once it knows their names).
    files = render_files(timeline, config.site_url, caches.memo) if not serving or not caches.file_names else None
    plan = generate.stage(config.source_docs, config.docs_dir, timeline, pages, config.nav_pages,
                          files=files if files is not None else caches.file_names, frames=frames_on)
    step("generate")

    # 3 the site generator (a live server skips it when no staged file changed)
    ran = run_generator or plan.changed or not config.site_dir.is_dir()
    if ran:
        shutil.rmtree(config.site_dir, ignore_errors=True)      # not every generator empties it
        caches.filled.clear()
    if ran and generators.run(ssg, config.file, env=env, strict=strict, quiet=quiet or bool(env.get("CI"))) != 0:
        return Outcome(ok=False)
    step(ssg if ran else "generator skipped")

    # 4 fill and 5 finish, page by page, into out/
    site = render_meta.Site(url=config.site_url, title=SITE_TITLE, description=config.site_description)
    finisher = postprocess.Finisher(timeline, site, serving=serving, nav_titles=config.nav_titles,
                                    git_dates=caches.git_dates, memo=caches.memo)
    index = None
    if with_search:
        sort_values = {entry_page(entry): search_sort_value(entry) for entry in timeline.entries}
        urls = [*plan.written, *plan.slot_pages, *plan.framed]
        index = search.BackgroundIndex([(page_url(src), sort_values.get(src)) for src in urls])
    try:
        if ran or not serving:           # a live server has the generator's files from its last run
            copy_generator_output(config.site_dir, out, caches.written if serving else None)
        writer = Writer(out, caches.written if serving else None)
        links = LinkCheck({page_url(src).rstrip("/") for src in [*plan.written, *pages]}
                          | {path.relative_to(config.site_dir).as_posix()
                             for path in config.site_dir.rglob("*") if path.is_file()})
        count = fill_pages(config, plan, pages, finisher, links, writer, index, caches.filled)
        if links.problems and strict:
            return Outcome(ok=False, problems="\n".join(sorted(set(links.problems))))
        pages_written()
        if files is None:
            files = render_files(timeline, config.site_url, caches.memo)
        caches.file_names = tuple(files)
        postprocess.write_files(out, files)
        finisher.write_sitemap(out)
        writer.finish()
        step("fill and finish")
        # 6 search
        if index is not None:
            index.finish(out)
            index = None
            step("search")
    finally:
        if index is not None:
            index.cancel()
    if caches.memo is not None:
        caches.memo.prune()
    return Outcome(ok=True, pages=count, generator_ran=ran, seconds=time.perf_counter() - started, steps=steps)


def fill_pages(config, plan, pages, finisher, links, writer, index, filled) -> int:
    """Every page: written pages with their marker slots filled, generated pages in their frames."""
    drawn = config.site_dir
    count = 0
    for src in plan.written:
        target = html_path(src)
        page = (drawn / target).read_text(encoding="utf-8")
        markdown = (config.source_docs / src).read_text(encoding="utf-8")
        page = finisher.text(frames.fill_slots(page, plan.markers.get(src, {})))
        page = postprocess.add_head(page, finisher.head(src, config.source_docs / src, markdown))
        writer.write(target, page)
        if index is not None:
            index.add(page_url(src), search.article(page))
            index.added([page_url(src)])
        count += 1
    for src in plan.slot_pages:
        fields, article = split_front_matter(pages[src])
        frame = frames.Frame((drawn / html_path(src)).read_text(encoding="utf-8"), finish=finisher.text)
        count += _fill(src, frame, fields, article, finisher, links, writer, index, filled)
    shared = {key: frames.Frame((drawn / html_path(path)).read_text(encoding="utf-8"),
                                fields=_text_fields(pages, plan, key),
                                frame_url=page_url(path), finish=finisher.text)
              for key, path in plan.frames.items()}
    for src, key in plan.framed.items():
        fields, article = split_front_matter(pages[src])
        count += _fill(src, shared[key], fields, article, finisher, links, writer, index, filled)
    page_404 = drawn / "404.html"
    if page_404.exists():
        writer.write("404.html", finisher.text(page_404.read_text(encoding="utf-8")))
    return count


def _fill(src, frame, fields, article, finisher, links, writer, index, filled) -> int:
    values = {name: frames.field_value(value) for name, value in fields.items() if isinstance(value, str)}
    values.update(path=page_url(src), head=finisher.head(src, fields=fields))
    if filled.get(src) == (article, values) and writer.keep(html_path(src)):
        pass                          # a live server: the page is as it was after the last rebuild
    else:
        links.check(src, article)
        writer.write(html_path(src), frame.fill(article, headings_of(article), values))
        filled[src] = (article, values)
    if index is not None:
        index.add(page_url(src), article)
        index.added([page_url(src)])
    return 1


def _text_fields(pages, plan, key) -> list:
    first = next(src for src, k in plan.framed.items() if k == key)
    return [name for name, value in pages.fields(first).items() if isinstance(value, str)]


class LinkCheck:
    """Links of the generated articles to pages and files of the site that do not exist (an entry's
    body may link to any page): the generator checks the written pages' links, this the rest."""

    SKIP = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|//)", re.I)

    def __init__(self, urls: set):
        self.urls, self.problems = urls, []

    def check(self, src: str, article: str) -> None:
        here = page_url(src)
        for target in re.findall(r'href="([^"]*)"', article):
            target = html.unescape(target).split("#", 1)[0].split("?", 1)[0]
            if not target or self.SKIP.match(target):
                continue
            resolved = posixpath.normpath(posixpath.join(here, target))
            resolved = "" if resolved == "." else resolved
            if resolved not in self.urls and resolved + "/" not in self.urls:
                self.problems.append(f"{src}: links to {target}, which is not a page or file of the site")


class Writer:
    """Writes site files; while serving, only those whose bytes changed (and removes the rest)."""

    def __init__(self, out: Path, written: dict | None):
        self.out, self.previous = out, written
        self.now = {}

    def write(self, path: str, text: str) -> None:
        data = text.encode("utf-8")
        target = self.out / path
        if self.previous is not None:
            digest = hashlib.sha1(data).digest()
            self.now[path] = digest
            if self.previous.get(path) == digest and target.exists():
                return
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.previous is None:
            target.write_bytes(data)
        else:                          # a live server may be reading it: never show half a page
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            os.replace(partial, target)

    def keep(self, path: str) -> bool:
        """Leave a file as the last build wrote it (a live server); False if there is no such file."""
        if self.previous is None or path not in self.previous:
            return False
        self.now[path] = self.previous[path]
        return True

    def finish(self) -> None:
        if self.previous is None:
            return
        for path in set(self.previous) - set(self.now):
            (self.out / path).unlink(missing_ok=True)
        self.previous.clear()
        self.previous.update(self.now)


# The generator's own sitemap (replaced by one with content dates) and Zensical's empty search index
# (its search is off: the site searches with Pagefind).
REPLACED = ("sitemap.xml", "sitemap.xml.gz", "search.json")


def copy_generator_output(drawn: Path, out: Path, incremental: dict | None) -> None:
    """The generator's files (theme assets, images, styles) into out/, without its pages (filled
    and written by fill_pages), its frames, and what the site replaces (REPLACED)."""
    for path in sorted(drawn.rglob("*")):
        relative = path.relative_to(drawn).as_posix()
        if path.is_dir() or relative.endswith(".html") or f"{generate.FRAMES_DIR}-" in relative \
                or relative in REPLACED:
            continue
        target = out / relative
        if incremental is not None and target.exists() and target.stat().st_size == path.stat().st_size \
                and target.stat().st_mtime_ns >= path.stat().st_mtime_ns:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def html_path(src: str) -> str:
    """'timeline/2019/x.md' -> 'timeline/2019/x/index.html', 'index.md' -> 'index.html'."""
    return page_url(src) + "index.html"


def last_commit_epoch(root: Path = ROOT) -> str:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                             text=True, check=True).stdout.strip()
        return out or "0"
    except (OSError, subprocess.CalledProcessError):
        return "0"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site_dir", nargs="?", default=str(ROOT / "site"))
    parser.add_argument("--config-file", default=str(ROOT / "mkdocs.yml"))
    parser.add_argument("--ssg", default=os.environ.get("SSG") or "mkdocs", choices=generators.GENERATORS)
    parser.add_argument("--no-frames", action="store_true",
                        help="let the generator draw every generated page itself (slow; for comparison)")
    parser.add_argument("--no-search", action="store_true", help="skip the search index")
    parser.add_argument("--no-strict", action="store_true",
                        help="keep going past the generator's warnings (the benchmark's docs link to real entries)")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    return build(Path(args.site_dir), strict=not args.no_strict, config=Path(args.config_file), ssg=args.ssg,
                 frames_on=not args.no_frames,
                 with_search=not args.no_search, quiet=args.quiet)


if __name__ == "__main__":
    sys.exit(main())
