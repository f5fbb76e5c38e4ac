"""The one Markdown-to-HTML renderer, for entry pages, generated pages and feeds alike.

EXTENSIONS is the Markdown dialect of the site: what entry bodies and generated pages may use. The
site generator renders the hand-written pages with the same list (mkdocs.yml's markdown_extensions;
tests/test_site_e2e.py checks they match), so a heading, a table or a note looks the same whoever
converted it. Headings get the same ids and permalinks as the generator gives them.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import markdown
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": True}}


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str           # the heading's text without tags, entities escaped (as a table of contents shows it)


@dataclass(frozen=True)
class Html:
    html: str
    headings: tuple     # Heading, in document order, every level


PAGE_LINK = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/|#)(?P<path>[^?#]*\.md)(?P<rest>[?#].*)?$", re.I)


class _Links(Treeprocessor):
    """Rewrites each link to a page's Markdown file (`../../explainers/glossary.md#x`) with the
    renderer's `resolve`; other links stay as written."""

    def __init__(self, md, renderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        resolve = self.renderer.resolve
        if resolve is None:
            return
        for element in root.iter("a"):
            match = PAGE_LINK.match(element.get("href", ""))
            if match:
                element.set("href", resolve(match["path"]) + (match["rest"] or ""))


class Renderer:
    """Converts Markdown; one instance reuses one parser (resetting it between documents is much
    cheaper than building one per page). Not shared between threads."""

    def __init__(self):
        self._md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                                     output_format="html")
        self._md.treeprocessors.register(_Links(self._md, self), "scd-links", 1)
        self.resolve = None

    def render(self, text: str, resolve=None) -> Html:
        """resolve(path) -> URL, for links to .md files (the path as written, relative to the page)."""
        self._md.reset()
        self.resolve = resolve
        try:
            html = self._md.convert(text)
        finally:
            self.resolve = None
        return Html(html=html, headings=tuple(_flatten(self._md.toc_tokens)))


def page_of_link(page: str, link: str) -> str:
    """The site-relative .md path a relative link in page `page` (a .md path) points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), link))


def _flatten(tokens: list):
    for token in tokens:
        yield Heading(level=token["level"], id=token["id"], text=token["name"])
        yield from _flatten(token["children"])


def render_markdown(text: str) -> Html:
    """One-off conversion; callers converting many documents keep a Renderer."""
    return Renderer().render(text)
