"""The one Markdown-to-HTML renderer of the engine: entry bodies (on their pages and in feeds) and the
few Markdown fragments of generated pages (chart captions and tables).

Markdown here is CommonMark with GFM tables, converted by pulldown-cmark (pyromark): at 10,000
entries a pure-Python parser was most of the build. Headings get the ids and permalinks the site
generator gives the written pages (Python-Markdown's toc: the same slugs, `_1` for repeats), so a
page's table of contents and its links to #anchors work the same on every page. Links to a page's
.md file are rewritten by `resolve`. The caller sanitises (digest/sanitize.py).
"""
from __future__ import annotations

import html as html_lib
import posixpath
import re
from dataclasses import dataclass

import pyromark
from markdown.extensions.toc import slugify, unique

OPTIONS = pyromark.Options.ENABLE_TABLES
PERMALINK = '<a class="headerlink" href="#{id}" title="Permanent link">&para;</a>'
HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
TAG = re.compile(r"<[^>]+>")
LINK = re.compile(r'(<a href=")([^"]*)(")')
PAGE_LINK = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/|#)(?P<path>[^?#]*\.md)(?P<rest>[?#].*)?$", re.I)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str           # the heading's text without tags, HTML-escaped (as a table of contents shows it)


@dataclass(frozen=True)
class Html:
    html: str
    headings: tuple     # Heading, in document order


def heading(level: int, text_html: str, ids: set) -> tuple:
    """(<hN id=…>text¶</hN>, Heading): an id unique among `ids` (which it joins)."""
    plain = html_lib.unescape(TAG.sub("", text_html))
    ident = unique(slugify(plain, "-"), ids)
    markup = f'<h{level} id="{ident}">{text_html}{PERMALINK.format(id=ident)}</h{level}>'
    return markup, Heading(level, ident, html_lib.escape(plain, quote=False))


def render_markdown(text: str, resolve=None, ids: set | None = None) -> Html:
    """Convert Markdown. resolve(path) -> URL rewrites links to .md files (path as written, relative
    to the page); ids: the heading ids the page already has (updated)."""
    converted = pyromark.html(text, options=OPTIONS)
    if resolve is not None and ".md" in converted:
        def relink(match):
            found = PAGE_LINK.match(html_lib.unescape(match.group(2)))
            if not found:
                return match.group(0)
            return match.group(1) + html_lib.escape(resolve(found["path"]) + (found["rest"] or "")) + match.group(3)
        converted = LINK.sub(relink, converted)
    ids = set() if ids is None else ids
    headings = []

    def number(match):
        markup, found = heading(int(match.group(1)), match.group(2), ids)
        headings.append(found)
        return markup
    converted = HEADING.sub(number, converted)
    return Html(html=converted, headings=tuple(headings))


ARTICLE_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="headerlink"', re.S)


def headings_of(article: str) -> tuple:
    """The headings of an article this renderer (or render_pages.Article) wrote."""
    return tuple(Heading(int(level), ident, html_lib.escape(html_lib.unescape(TAG.sub("", text)), quote=False))
                 for level, ident, text in ARTICLE_HEADING.findall(article))


def page_of_link(page: str, link: str) -> str:
    """The site-relative .md path a relative link in page `page` (a .md path) points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
