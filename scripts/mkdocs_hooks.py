"""The only place MkDocs meets the timeline engine (scripts/digest).

on_files: run the engine, stop the build on invalid entries, add generated pages and feeds (a build
  renders each entry page's Markdown only when MkDocs reads it).
on_nav: plan the search shards; on large timelines convert the generated pages in worker processes
  (scripts/parallel_pages.py), which also write the articles for the search index.
on_page_markdown: fill the home page's latest-additions marker and `<!-- digest:figures MEASURE ... -->` charts.
on_page_content / on_post_page: expand generated HTML, sanitise entry HTML, add the
  Content-Security-Policy to every page; pages outside the navigation are filled into a shell the
  theme rendered once (scripts/page_shell.py).
on_post_page also puts each page's link-preview tags and schema.org JSON-LD into its <head>
  (scripts/digest/render_meta.py); on_post_build writes the sitemap with content dates.
on_env / on_post_build: Pagefind indexes the articles shard by shard while the theme renders, and
  the bundle is moved into the site at the end (scripts/pagefind_bundle.py).
`watch: [timeline]` in mkdocs.yml makes `mkdocs serve` rebuild when an entry changes. With --dirty
(make serve) only generated pages whose content changed are rendered again; without it, pages whose
Markdown did not change reuse their converted HTML. Either way unchanged entries are not re-checked,
and Pagefind re-indexes the site in the background so the edited page is served at once.
"""
from __future__ import annotations

import ctypes
import dataclasses
import gzip
import hashlib
import html
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import jinja2
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pagefind_bundle  # noqa: E402
from digest import render_meta  # noqa: E402
from digest.pipeline import SITE_TITLE, check, format_problems, render  # noqa: E402
from digest.render_pages import (  # noqa: E402
    PER_PAGE,
    entry_page,
    expand_html_blocks,
    render_figures,
    render_latest,
    render_measures,
    search_sort_value,
    split_front_matter,
)
from digest.sanitize import add_content_security_policy, sanitize_html  # noqa: E402
from material_markup import fix_markup  # noqa: E402
from page_shell import TEMPLATE as SHELL_TEMPLATE  # noqa: E402
from page_shell import PageShells
from parallel_pages import convert_pages  # noqa: E402

log = logging.getLogger("mkdocs.hooks.digest")
LATEST_MARKER = "<!-- digest:latest -->"
MEASURES_MARKER = "<!-- digest:measures -->"      # the ledger's measures and their definitions
FIGURES_MARKER = re.compile(r"<!-- digest:figures ([a-z0-9 -]+?) -->")   # a chart of ledger measures
CACHED_MARKER = "<!-- digest:cached -->"
DEFERRED = "<!-- digest:deferred -->"     # an entry page's Markdown, rendered when MkDocs reads it
CONVERTED = "<!-- digest:converted -->"   # what is left of a page's Markdown once a worker converted it
PROGRESS_EVERY = 2000
SEARCH_PAGE = "search.md"      # not in the sitemap (and, through data-pagefind-ignore, not in the site's search)
PARALLEL_FROM = int(os.environ.get("DIGEST_PARALLEL_FROM", "500"))   # entry pages; below, forking costs more
_state = {"converted": {}}     # converted: Markdown hash -> (HTML, table of contents), kept while serving


def progress(message: str) -> None:
    """Stage, count and elapsed time for long builds; only in verbose logs under CI and while serving
    (where each rebuild logs one line, at its end)."""
    elapsed = time.perf_counter() - _state.get("started", time.perf_counter())
    quiet = os.environ.get("CI") or _state.get("serving")
    (log.debug if quiet else log.info)("digest: %s (%.1f s, %s)", message, elapsed, _memory())


class _DropMessages(logging.Filter):
    """Drops log records that start with one of the given texts: MkDocs' warnings meant for other setups."""

    def __init__(self, *starts: str):
        super().__init__()
        self.starts = starts

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.starts)


SERVE_NOISE = {
    # `make serve` asks for --dirty on purpose: the hook rebuilds exactly the generated pages that changed.
    "mkdocs.commands.build": _DropMessages("A 'dirty' build is being performed"),
    # One line per browser page load is noise; the rebuild line says what happened.
    "mkdocs.livereload": _DropMessages("Browser connected"),
}


def _release_freed_memory() -> None:
    """Return freed heap memory to the system (glibc keeps it otherwise): at 10,000 entries, about
    80 MB that checking used and freed. A no-op where there is no glibc."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _memory() -> str:
    """Resident memory of this process, where Linux tells it."""
    try:
        with open("/proc/self/statm") as statm:
            return f"{int(statm.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') // 2**20} MiB"
    except (OSError, ValueError):
        return "memory unknown"


def on_startup(command, dirty):
    # `mkdocs serve` injects its own inline live-reload script after our hooks: no CSP while serving.
    _state["serving"] = command == "serve"
    if _state["serving"]:
        for name, noise in SERVE_NOISE.items():
            if noise not in logging.getLogger(name).filters:
                logging.getLogger(name).addFilter(noise)
    _state["dirty"] = dirty           # `make serve` passes --dirty: rebuild only pages that changed
    _state["generated"] = {}          # generated path -> hash of its content at the last build


def on_files(files, config):
    _state["started"], _state["pages_done"] = time.perf_counter(), 0
    root = Path(config.config_file_path).resolve().parent
    # While serving, unchanged files are not parsed and checked again.
    result = check(root, cache=_state.setdefault("checked", {}) if _state.get("serving") else None)
    was_broken, _state["build_error"] = bool(_state.get("build_error")), ""
    if result.problems:
        log.error("timeline has problems:\n%s", format_problems(result.problems))
        if not _state.get("serving"):
            raise Abort("invalid timeline entries; run `make check` for the full list")
        # While serving, the browser shows the problems over the last good build until they are fixed.
        _state["build_error"] = format_problems(result.problems)
        if "rendered" in _state:
            _add_generated_files(files, config, _state["rendered"], {})
        _rebuild_every_page(files)            # each page gets the problems shown over it
        return files
    _release_freed_memory()          # what checking freed, before worker processes fork from this one
    progress(f"checked {result.entry_count} entries")
    rendered = render(result.timeline, config.site_url or "http://127.0.0.1:8000/")
    _state["timeline"], _state["pages"] = result.timeline, rendered.pages
    site = render_meta.Site(url=rendered.site_url, title=SITE_TITLE, description=config.site_description or "")
    _state["site"], _state["metas"] = site, render_meta.page_metas(result.timeline, site, PER_PAGE)
    _state["lastmod"] = {}
    # A build renders entry pages when it converts them (on_page_markdown, in the workers at scale);
    # a live server renders them now, to see which changed.
    deferred = {} if _state.get("serving") else rendered.pages.deferred()
    _add_generated_files(files, config, rendered, deferred)
    if _state.get("serving"):
        _state["rendered"] = rendered             # shown again, under the problems, if an edit breaks the check
    if _state.get("dirty"):
        _rebuild_pages_with_markers(files)
        if was_broken:
            _rebuild_every_page(files)        # the problems are fixed: take them off every page
    _state["pages_total"] = len(rendered.pages)
    progress(f"generated {len(rendered.pages)} pages and {len(rendered.files)} feed and data files")
    return files


def _add_generated_files(files, config, rendered, deferred):
    _state["meta"] = dict(deferred)
    for path in rendered.pages:
        if path in deferred:
            files.append(_generated_file(config, path, DEFERRED))
            continue
        # The fields go to the page directly (on_page_markdown): MkDocs' YAML parsing cost more.
        _state["meta"][path], markdown = split_front_matter(rendered.pages[path])
        files.append(_generated_file(config, path, markdown))
    for path, content in rendered.files.items():
        files.append(_generated_file(config, path, content))


def _generated_file(config, path, content):
    generated = File.generated(config, path, content=content)
    if _state.get("dirty"):
        # MkDocs treats in-memory files as always modified; in a dirty rebuild only those whose
        # content changed since the last build are rendered again.
        digest = hashlib.sha1(content.encode("utf-8") if isinstance(content, str) else content).digest()
        changed = _state["generated"].get(path) != digest
        _state["generated"][path] = digest
        generated.is_modified = lambda: changed
    return generated


def _rebuild_every_page(files):
    for file in files.documentation_pages():
        file.is_modified = lambda: True


def _rebuild_pages_with_markers(files):
    """Written pages whose markers show timeline data (the home page's latest additions, figure
    charts) change when entries do, although their own file does not."""
    for file in files.documentation_pages():
        if file.abs_src_path and "<!-- digest:" in Path(file.abs_src_path).read_text(encoding="utf-8"):
            file.is_modified = lambda: True


def on_nav(nav, config, files):
    _state["nav"], _state["converted_ahead"] = nav, set()
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    search = None
    if not _state.get("serving") and os.environ.get("DIGEST_SKIP_SEARCH") != "1":
        # Search shards are planned now, and each is indexed once its pages are converted.
        sort_values = {entry_page(entry): search_sort_value(entry) for entry in _state["timeline"].entries}
        plan = [(page.url, sort_values.get(page.file.src_uri)) for page in pages]
        _state["search"] = search = pagefind_bundle.BackgroundIndex(plan)
        progress(f"search index planned: {len(plan)} pages in {len(search.shards)} shards")
    generated = [page for page in pages if page.file.src_uri in _state["meta"]]
    entries = sum(1 for page in generated if _state["meta"][page.file.src_uri].get("scd_kind") == "entry")
    if _state.get("serving") or entries < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return nav
    if search is not None:
        # The workers write the articles for the search index as they convert. Pagefind starts
        # once they are done: running it alongside them (tried) only slows both on two cores.
        converted = convert_pages(generated, config, files, after=lambda page: search.add(page.url, page.content))
        search.added(page.url for page in generated)
    else:
        converted = convert_pages(generated, config, files)
    for page in generated:
        done = converted[page.file.src_uri]
        page.content, page.toc, page._title_from_render, page.present_anchor_ids = \
            done.content, done.toc, done.title, done.anchors
        page.render = _already_rendered          # MkDocs would convert the Markdown again
        page.file.content_string = CONVERTED     # and the Markdown is not needed any more
    _state["converted_ahead"] = set(converted)
    progress(f"converted {len(generated)} generated pages on {os.cpu_count()} cores")
    return nav


def _already_rendered(config, files):
    pass


def on_env(env, config, files):
    # Every page is converted now; the theme has not started. The search index gets the pages
    # the workers did not convert, and indexes them while the theme renders.
    search = _state.get("search")
    if search is not None:
        rest = [file.page for file in files.documentation_pages() if file.page is not None
                and file.src_uri not in _state["converted_ahead"]]
        for page in rest:
            if page.content is not None:
                search.add(page.url, page.content)
        search.added(page.url for page in rest)
        progress(f"search: the last {len(rest)} pages handed over")
    if os.environ.get("DIGEST_PAGE_SHELL") != "0":
        # Generated pages out of the navigation (entries, years, hubs): the theme renders one shell
        # per page shape, the hook fills it per page (scripts/page_shell.py).
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({SHELL_TEMPLATE: ""}), env.loader])
        _state["shells"] = PageShells(env, config, _state["nav"], files, finish=_finish_html,
                                       finish_part=fix_markup)
        in_nav = {page.file.src_uri for page in _state["nav"].pages}
        for file in files.documentation_pages():
            if file.page is not None and file.src_uri in _state["meta"] and file.src_uri not in in_nav:
                file.page.meta["template"] = SHELL_TEMPLATE
    return env


def on_page_context(context, page, config, nav):
    _state["context"] = context
    return context


def on_page_markdown(markdown, page, config, files):
    page.meta.update(_state["meta"].get(page.file.src_uri, {}))
    if markdown == CONVERTED:
        return markdown
    if markdown == DEFERRED:
        markdown = split_front_matter(_state["pages"][page.file.src_uri])[1]
    if LATEST_MARKER in markdown:
        markdown = markdown.replace(LATEST_MARKER, render_latest(_state["timeline"], page.file.src_uri))
    if MEASURES_MARKER in markdown:
        markdown = markdown.replace(MEASURES_MARKER, render_measures(_state["timeline"]))
    markdown = FIGURES_MARKER.sub(
        lambda m: render_figures(_state["timeline"], m.group(1), page.file.src_uri), markdown)
    if _state.get("serving") and not _state.get("dirty"):
        # Plain `mkdocs serve` rebuilds every page; `--dirty` (make serve) skips unchanged ones itself.
        key = hashlib.sha1(markdown.encode("utf-8")).hexdigest()
        page.meta["_digest_key"] = key
        _state.setdefault("converted_now", set()).add(key)
        if key in _state["converted"]:
            return CACHED_MARKER       # unchanged since the last rebuild: skip the Markdown parser
    return markdown


def on_page_content(html, page, config, files):
    if page.file.src_uri in _state.get("converted_ahead", ()):
        return html                    # converted, expanded and sanitised in a worker
    key = page.meta.get("_digest_key")
    if key in _state["converted"]:
        html, page.toc = _state["converted"][key]
        return html
    html = expand_html_blocks(html)
    if page.meta.get("scd_kind") == "entry":
        html = sanitize_html(html)       # contributed content: allowlist, whatever the validator missed
    if key:
        _state["converted"][key] = (html, page.toc)
    return html


def on_post_page(output, page, config):
    _state["pages_done"] = _state.get("pages_done", 0) + 1
    if _state["pages_done"] % PROGRESS_EVERY == 0:
        progress(f"rendered {_state['pages_done']} pages")
    if page.meta.get("template") == SHELL_TEMPLATE:
        output = _state["shells"].render(page, _state.pop("context"))     # finished already
        page.content = None      # written: at 10,000 entries the articles are a few hundred MB
    else:
        output = _finish_html(output)
    return _add_page_metadata(output, page, config)


def _add_page_metadata(output: str, page, config) -> str:
    """Link-preview tags and JSON-LD before </head>; remember the page's content date for the sitemap."""
    if "site" not in _state:           # serving, and the first build already failed the check
        return _show_build_error(output, _state.get("build_error", ""))
    site, src = _state["site"], page.file.src_uri
    meta = _state["metas"].get(src)
    if meta is None:
        title = page.meta.get("title") or page.title or site.title
        description = page.meta.get("description") or site.description or f"{title} — {site.title}"
        url = site.url + page.url
        if src == "data.md":
            meta = render_meta.data_meta(_state["timeline"], site, title, description)
        else:
            meta = render_meta.PageMeta(title=title, description=description, url=url)
        if page.markdown and "**Verdict:**" in page.markdown:       # a page of reviewed claims
            day = _content_date(src, page, config)
            meta = dataclasses.replace(meta, jsonld=meta.jsonld + tuple(
                render_meta.myth_reviews(page.markdown, url, site, day, day)))
    head = render_meta.head_html(meta, site)
    if _state.get("build_error"):
        output = _show_build_error(output, _state["build_error"])
    if src != SEARCH_PAGE:        # the search page has no content of its own to list in the sitemap
        _state.setdefault("lastmod", {})[site.url + page.url] = _content_date(src, page, config)
    return output.replace("</head>", head + "</head>", 1)


def _show_build_error(output: str, problems: str) -> str:
    """While serving: the check's problems over the page, until the entry is fixed."""
    banner = ('<div class="scd-build-error" role="alert"><p><strong>The timeline has problems.</strong> '
              "This page is the last build that passed the check; fix these and it updates itself:</p>"
              f"<pre>{html.escape(problems)}</pre></div>")
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, output, count=1)


def _content_date(src: str, page, config) -> str:
    """The day the page's content last changed: from the model for generated pages; for written pages
    the last commit of their file, or the timeline's last change where the page shows timeline data."""
    dates = _state.get("content_dates")
    if dates is None:
        dates = _state["content_dates"] = render_meta.content_dates(_state["timeline"], PER_PAGE)
    if src in dates:
        return dates[src]
    latest = _state["timeline"].last_added
    if page.file.abs_src_path is None or src in _state["pages"]:
        return latest                     # a generated listing: its entries' last change
    dates_seen = _state.setdefault("git_dates", {})      # kept while serving: one git call per file
    if page.file.abs_src_path not in dates_seen:
        dates_seen[page.file.abs_src_path] = _git_date(page.file.abs_src_path)
    committed = dates_seen[page.file.abs_src_path]
    shows_data = "<!-- digest:" in Path(page.file.abs_src_path).read_text(encoding="utf-8")
    return max(committed, latest) if shows_data or not committed else committed


def _git_date(path: str) -> str:
    try:
        return subprocess.run(["git", "log", "-1", "--format=%cs", "--", path], cwd=Path(path).parent,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def on_post_template(output_content, template_name, config):
    return _finish_html(output_content) if template_name.endswith(".html") else output_content


def _finish_html(html):
    html = fix_markup(html)
    return html if _state.get("serving") else add_content_security_policy(html)


def on_post_build(config):
    _write_sitemap(Path(config.site_dir))
    if _state.get("serving"):
        elapsed = time.perf_counter() - _state.get("started", time.perf_counter())
        outcome = "the timeline has problems (shown in the browser)" if _state.get("build_error") else "ok"
        log.info("digest: rebuilt %d pages in %.1f s: %s", _state.get("pages_done", 0), elapsed, outcome)
    shells = _state.pop("shells", None)
    if shells is not None:
        progress(f"generated pages: {shells.filled} from a shell, {shells.rendered} by the theme")
    # Keep only the conversions this build used.
    used = _state.pop("converted_now", set())
    _state["converted"] = {key: value for key, value in _state["converted"].items() if key in used}
    if os.environ.get("DIGEST_SKIP_SEARCH") == "1":
        return
    if _state.get("serving"):
        _reindex_in_background(pagefind_bundle.command(config.site_dir))
        return
    search = _state.pop("search", None)
    if search is None:
        return
    progress("waiting for the search index")
    try:
        search.finish(config.site_dir)
    except RuntimeError as error:
        raise Abort(f"pagefind failed:\n{error}") from error
    progress("search index written")


def _write_sitemap(site_dir: Path) -> None:
    """Replace the theme's sitemap (every lastmod the build date) by one with content dates."""
    sitemap = render_meta.render_sitemap(list(_state.pop("lastmod", {}).items()))
    (site_dir / "sitemap.xml").write_bytes(sitemap)
    with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as packed:
        packed.write(sitemap)
    _state.pop("content_dates", None)


def on_build_error(error):
    search = _state.pop("search", None)
    if search is not None:
        search.cancel()


def _reindex_in_background(command):
    previous = _state.get("reindexer")
    if previous and previous.poll() is None:
        previous.kill()               # an older index of an older build: replace it
        previous.wait()
    _state["reindexer"] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def on_shutdown():
    reindexer = _state.get("reindexer")
    if reindexer and reindexer.poll() is None:
        reindexer.kill()
