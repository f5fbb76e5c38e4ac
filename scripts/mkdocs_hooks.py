"""The only place MkDocs meets the timeline engine (scripts/digest).

on_files: run the engine, stop the build on invalid entries, add generated pages and feeds.
on_page_markdown: fill the home page's latest-additions marker and `<!-- digest:figures METRIC -->` charts.
on_page_content / on_post_page: sanitise entry HTML; add the Content-Security-Policy to every page.
on_post_build: index the built site with Pagefind.
`watch: [timeline]` in mkdocs.yml makes `mkdocs serve` rebuild when an entry changes.
"""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))
from digest.pipeline import check, format_problems, render  # noqa: E402
from digest.render_pages import render_figures, render_latest  # noqa: E402
from digest.sanitize import add_content_security_policy, sanitize_html  # noqa: E402
from material_markup import fix_markup  # noqa: E402

log = logging.getLogger("mkdocs.hooks.digest")
LATEST_MARKER = "<!-- digest:latest -->"
FIGURES_MARKER = re.compile(r"<!-- digest:figures ([a-z0-9-]+) -->")   # a chart of timeline/data/<metric>.yaml
_state = {}


def on_startup(command, dirty):
    # `mkdocs serve` injects its own inline live-reload script after our hooks: no CSP while serving.
    _state["serving"] = command == "serve"


def on_files(files, config):
    root = Path(config.config_file_path).resolve().parent
    result = check(root)
    if result.problems:
        log.error("timeline has problems:\n%s", format_problems(result.problems))
        raise Abort("invalid timeline entries; run `make check` for the full list")
    rendered = render(result.timeline, config.site_url or "http://127.0.0.1:8000/")
    _state["timeline"] = result.timeline
    for path, text in rendered.pages.items():
        files.append(File.generated(config, path, content=text))
    for path, data in rendered.files.items():
        files.append(File.generated(config, path, content=data))
    log.info("digest: %d entries, %d pages, %d feed files", len(result.timeline.entries),
             len(rendered.pages), len(rendered.files))
    return files


def on_page_markdown(markdown, page, config, files):
    if LATEST_MARKER in markdown:
        markdown = markdown.replace(LATEST_MARKER, render_latest(_state["timeline"], page.file.src_uri))
    markdown = FIGURES_MARKER.sub(
        lambda m: render_figures(_state["timeline"], m.group(1), page.file.src_uri), markdown)
    return markdown


def on_page_content(html, page, config, files):
    if page.meta.get("scd_kind") == "entry":
        html = sanitize_html(html)       # contributed content: allowlist, whatever the validator missed
    return html


def on_post_page(output, page, config):
    return _finish_html(output)


def on_post_template(output_content, template_name, config):
    return _finish_html(output_content) if template_name.endswith(".html") else output_content


def _finish_html(html):
    html = fix_markup(html)
    return html if _state.get("serving") else add_content_security_policy(html)


def on_post_build(config):
    if os.environ.get("DIGEST_SKIP_SEARCH") == "1":
        return
    # Index the article only (not nav, header, footer); drop Material's ¶ permalinks from titles.
    command = [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--quiet",
               "--root-selector", "article.md-content__inner", "--exclude-selectors", ".headerlink"]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise Abort(f"pagefind failed:\n{completed.stdout}{completed.stderr}")
