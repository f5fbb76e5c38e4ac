"""Step 5, post-process: what every page gets once it is filled, whichever generator drew it.

- markup fixes for the theme's known validator errors (material_markup.py; no-ops on other markup);
- a Content-Security-Policy allowing this site only (not while serving: the live-reload script);
- link-preview tags and schema.org JSON-LD in <head> (digest/render_meta.py);
- while serving, the check's problems over the last good build;
- the sitemap with each page's content date, robots.txt, feeds and data files.
"""
from __future__ import annotations

import dataclasses
import gzip
import html
import re
import subprocess
from pathlib import Path

import yaml

from digest import render_meta
from digest.load import split_front_matter
from digest.paths import entry_page, page_url
from digest.render_pages import PER_PAGE
from digest.sanitize import add_content_security_policy
from material_markup import fix_markup

NOT_IN_SITEMAP = {"search.md"}     # a page with no content of its own (and kept out of the site's search)


class Finisher:
    def __init__(self, timeline, site: render_meta.Site, serving: bool = False, problems: str = "",
                 nav_titles: dict | None = None, git_dates: dict | None = None, memo=None):
        self.timeline, self.site, self.serving, self.problems = timeline, site, serving, problems
        self.nav_titles, self.memo = nav_titles or {}, memo
        self.metas = render_meta.page_metas(timeline, site, PER_PAGE, memo) if timeline else {}
        self.entries = {entry_page(entry): entry for entry in timeline.entries} if timeline else {}
        self.dates = render_meta.content_dates(timeline, PER_PAGE) if timeline else {}
        self.git_dates = {} if git_dates is None else git_dates    # kept by a live server: one git call per file
        self.lastmod = {}

    def text(self, page: str) -> str:
        """What is done to the whole text of every page: markup fixes, the security policy, and
        while serving the problems banner. Applied once to a frame, which all its pages share."""
        page = fix_markup(page)
        if self.problems:
            page = show_problems(page, self.problems)
        return page if self.serving else add_content_security_policy(page)

    def head(self, src: str, source_file: Path | None = None, markdown: str = "", fields: dict | None = None) -> str:
        """The <head> tags of page `src` (.md path); records its content date for the sitemap.
        Written pages give their Markdown file, for their title, description and git date;
        generated pages their fields."""
        if self.timeline is None:
            return ""
        meta = self.metas.get(src)
        if meta is None:
            if fields is None:
                fields, body = _fields(markdown)
            else:
                body = ""
            title = fields.get("title") or self.nav_titles.get(src) or _first_heading(body) or self.site.title
            description = fields.get("description") or self.site.description or f"{title} — {self.site.title}"
            url = self.site.url + page_url(src)
            if src == "data.md":
                meta = render_meta.data_meta(self.timeline, self.site, title, description)
            else:
                meta = render_meta.PageMeta(title=title, description=description, url=url)
            if "**Verdict:**" in body:        # a page of reviewed claims
                day = self.content_date(src, source_file, markdown)
                meta = dataclasses.replace(meta, jsonld=meta.jsonld + tuple(
                    render_meta.myth_reviews(body, url, self.site, day, day)))
        if src not in NOT_IN_SITEMAP:
            self.lastmod[self.site.url + page_url(src)] = self.content_date(src, source_file, markdown)
        if self.memo is not None and src in self.entries:
            return self.memo.get_or(("head", self.entries[src], self.site), lambda: render_meta.head_html(meta, self.site))
        return render_meta.head_html(meta, self.site)

    def content_date(self, src: str, source_file: Path | None, markdown: str) -> str:
        """The day the page's content last changed: from the model for generated pages; for written
        pages the last commit of their file, or the timeline's last change where it shows timeline data."""
        if src in self.dates:
            return self.dates[src]
        latest = self.timeline.last_added
        if source_file is None:
            return latest                      # a generated listing: its entries' last change
        if source_file not in self.git_dates:
            self.git_dates[source_file] = _git_date(source_file)
        committed = self.git_dates[source_file]
        shows_data = "<!-- digest:" in markdown
        return max(committed, latest) if shows_data or not committed else committed

    def write_sitemap(self, site_dir: Path) -> None:
        sitemap = render_meta.render_sitemap(list(self.lastmod.items()))
        (site_dir / "sitemap.xml").write_bytes(sitemap)
        with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as packed:
            packed.write(sitemap)


def write_files(site_dir: Path, files: dict) -> None:
    """Feeds, data downloads and robots.txt, as the engine rendered them."""
    for path, content in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def add_head(page: str, head: str) -> str:
    return page.replace("</head>", head + "</head>", 1)


def show_problems(page: str, problems: str) -> str:
    """While serving: the check's problems over the page, until the entry is fixed."""
    banner = ('<div class="scd-build-error" role="alert"><p><strong>The timeline has problems.</strong> '
              "This page is the last build that passed the check; fix these and it updates itself:</p>"
              f"<pre>{html.escape(problems)}</pre></div>")
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, page, count=1)


def _fields(markdown: str) -> tuple:
    split = split_front_matter(markdown)
    if split is None:
        return {}, markdown
    front, body, _ = split
    try:
        fields = yaml.safe_load(front) or {}
    except yaml.YAMLError:
        fields = {}
    return (fields if isinstance(fields, dict) else {}), body


def _first_heading(markdown: str) -> str:
    match = re.search(r"^# (.+?)\s*$", markdown, re.M)
    return match.group(1) if match else ""


def _git_date(path: Path) -> str:
    try:
        return subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(path)], cwd=path.parent,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
