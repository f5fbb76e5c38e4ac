"""The site's URL layout, in one place: where each page and feed lives, and links between them.

Pages are named by their source path ('timeline/2019/x.md'), which a site generator serves at the
folder URL 'timeline/2019/x/' (page_url). Every module that names a page or a feed asks here.
"""
from __future__ import annotations

import functools
import posixpath

TIMELINE_INDEX = "timeline/index.md"
CORRECTIONS_INDEX = "corrections/index.md"
CORRECTIONS_FEED = "corrections/feed.xml"


def entry_page(entry) -> str:
    return f"timeline/{entry.year}/{entry.id}.md"


def year_page(year: str, page: int = 1) -> str:
    return f"timeline/{year}/index.md" if page == 1 else f"timeline/{year}/page-{page}.md"


def hub_index(kind: str) -> str:
    return f"{kind}/index.md"


def hub_page(kind: str, term_id: str, page: int = 1) -> str:
    return f"{kind}/{term_id}.md" if page == 1 else f"{kind}/{term_id}/page-{page}.md"


def corrections_page(page: int = 1) -> str:
    return CORRECTIONS_INDEX if page == 1 else f"corrections/page-{page}.md"


def feed_folder(kind: str = "", term_id: str = "") -> str:
    """Where a feed set lives: '' for the whole timeline, 'topics/x' for a hub's."""
    return f"{kind}/{term_id}" if kind else ""


def feed_file(folder: str, name: str = "feed.xml") -> str:
    return f"{folder}/{name}" if folder else name


def page_url(page: str) -> str:
    """'timeline/2019/x.md' -> 'timeline/2019/x/', 'topics/index.md' -> 'topics/', 'index.md' -> ''."""
    stem = page[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-5]
    return stem.rstrip("/") + "/" if stem.rstrip("/") else ""


def href(from_page: str, to_page: str) -> str:
    """Relative URL from one page to another page (.md) or file."""
    here = page_url(from_page) or "."
    target = page_url(to_page) if to_page.endswith(".md") else to_page
    relative = relative_path(target or ".", here)
    return relative + "/" if to_page.endswith(".md") and relative != "." else (relative if relative != "." else "./")


@functools.lru_cache(maxsize=65536)
def relative_path(target: str, start: str) -> str:
    """posixpath.relpath for the site's own relative paths (no '..'), without its getcwd() calls:
    listings make a hundred thousand links at 10,000 entries."""
    target_parts = [part for part in target.split("/") if part not in ("", ".")]
    start_parts = [part for part in start.split("/") if part not in ("", ".")]
    common = 0
    for a, b in zip(target_parts, start_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + target_parts[common:]) or "."


def page_of_link_url(page: str, link: str) -> str:
    """A relative link to a .md file written in page `page`, as the URL of that page from `page`."""
    return href(page, posixpath.normpath(posixpath.join(posixpath.dirname(page), link)))
