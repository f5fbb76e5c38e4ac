"""Generated pages from one theme render per page shape: Material renders a shell, each page fills it.

At 10,000 entries the theme's templates cost about 2 ms a page, the largest part of the build. The
generated pages outside the navigation (entries, year and hub listings) differ only in their front-matter
fields (title, description), canonical URL, skip link, table of contents and article; header,
navigation, footer and scripts are the same for every page of one shape (same links to the root and
to the navigation, same fields). So the theme renders a sentinel page whose varying values are
placeholders, and each page is that shell with its own values put back.

The shell checks itself before it is used: filled for a real page, and for a probe whose values
contain characters a template might escape, it must equal the theme's own render byte for byte, and
so must the first few pages filled from it. Otherwise (a template that filters a value, say a URL
through `| url`, or a theme update), those pages are rendered by the theme as usual.
tests/test_site_e2e.py builds the fixture site both ways and compares the bytes.
"""
from __future__ import annotations

import copy
import json
import logging
import re

from mkdocs.commands.build import get_context
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

TEMPLATE = "digest-page-shell.html"     # the page's own template: empty, the hook writes the page
TOKEN = "scd-shell-0b7e-{}-end"           # placeholders: text no template changes and no page contains
PROBE = "A&B <i>\"quoted\"</i> 'x'  y"   # what a template might escape, strip or collapse
SPECIAL = ["canonical", "skip", "content", "toc"]     # filled per page besides front-matter text
VERIFY_FIRST = 3                         # fills per shape compared with the theme before trusting it
log = logging.getLogger("mkdocs.hooks.digest")
_TOC_TEMPLATE = '{% import "partials/language.html" as lang with context %}{% include "partials/toc.html" %}'


class Shell:
    """A theme render with placeholders, split once so filling is a join."""

    def __init__(self, html: str, fields: list):
        self.fields = fields
        pattern = "(" + "|".join(re.escape(TOKEN.format(name)) for name in fields) + ")"
        names = {TOKEN.format(name): name for name in fields}
        self.parts = [names.get(part, part) if index % 2 else part
                      for index, part in enumerate(re.split(pattern, html))]

    def fill(self, values: dict) -> str:
        return "".join(values[part] if index % 2 else part for index, part in enumerate(self.parts))


class PageShells:
    """Renders pages: from a verified shell where the page's shape has one, else by the theme."""

    def __init__(self, env, config, nav, files, finish=lambda html: html, finish_part=lambda html: html):
        # finish: what the site does to every page after the theme (markup fixes, security policy),
        # applied once to a shell; finish_part: what it does to the theme's markup filled in (the
        # table of contents). The checks below compare finished pages.
        self.env, self.config, self.nav = env, config, nav
        self.finish, self.finish_part = finish, finish_part
        self.doc_files = files.documentation_pages()
        self.nav_urls = [page.url for page in nav.pages]
        self.toc_template = env.from_string(_TOC_TEMPLATE)
        self.shells = {}            # shape -> Shell, or None where the shell failed its check
        self.unverified = {}        # shape -> fills still to compare with the theme's render
        self.filled = self.rendered = 0

    def render(self, page, context) -> str:
        key = self.shape(page)
        if key not in self.shells:
            self.shells[key] = self._make_shell(page)
            self.unverified[key] = VERIFY_FIRST
        shell = self.shells[key]
        values = shell and self._values(page, context, shell.fields)
        if values is None:
            self.rendered += 1
            return self.finish(self._theme_render(page))
        html = shell.fill(values)
        if self.unverified[key]:
            # Different pages of one shape must differ only in the placeholders: check a few.
            self.unverified[key] -= 1
            theirs = self.finish(self._theme_render(page))
            if theirs != html:
                self.shells[key] = _unusable(page, "filled, it differs from the theme's render")
                self.rendered += 1
                return theirs
        self.filled += 1
        return html

    def shape(self, page) -> tuple:
        """What a page's shell depends on besides its placeholders: its links to the site's root and
        to the navigation's pages, whether it has a table of contents and a heading, which fields
        it has, and the value of those that are not text."""
        links = tuple(get_relative_url(url, page.url) for url in [".", *self.nav_urls])
        fixed = {key: value for key, value in page.meta.items() if key not in _text_fields(page)}
        return (links, bool(page.toc), _has_h1(page), tuple(_text_fields(page)),
                json.dumps(fixed, sort_keys=True, default=str))

    # ------------------------------------------------------------ the theme's own render

    def _theme_render(self, page) -> str:
        """What MkDocs' _build_page would have produced before the post_page event."""
        template = self.env.get_template("main.html")
        self.config._current_page, page.active = page, True
        try:
            context = get_context(self.nav, self.doc_files, self.config, page)
            context = self.config.plugins.on_page_context(context, page=page, config=self.config, nav=self.nav)
            return template.render(context)
        finally:
            page.active = False

    # ------------------------------------------------------------ shells

    def _make_shell(self, page) -> Shell | None:
        placeholders = {name: TOKEN.format(name) for name in [*_text_fields(page), *SPECIAL]}
        # The theme adds a heading to articles without "<h1": the sentinel's article matches the page's.
        placeholders["content"] += "<h1>" if _has_h1(page) else ""
        sentinel = _with_values(page, placeholders)
        html = self._theme_render(sentinel).replace(placeholders["content"], TOKEN.format("content"))
        toc = self._toc(sentinel)
        if html.count(toc) != 1:
            return _unusable(page, "the table of contents is not where the theme puts it")
        html = html.replace(toc, TOKEN.format("toc"))
        fields = [*_text_fields(page), *SPECIAL]
        shell = Shell(self.finish(html), fields)
        if "scd-shell-0b7e" in "".join(part for index, part in enumerate(shell.parts) if not index % 2):
            return _unusable(page, "the theme changed a placeholder")
        probe = _with_values(page, {**{name: PROBE for name in _text_fields(page)},
                                    "canonical": page.canonical_url, "skip": "probe", "content": page.content})
        for candidate in (page, probe):
            values = self._values(candidate, None, fields)
            if values is None or shell.fill(values) != self.finish(self._theme_render(candidate)):
                return _unusable(page, f"filled for {'a probe' if candidate is probe else 'the page'}, "
                                       "it differs from the theme's render")
        return shell

    def _values(self, page, context, fields) -> dict | None:
        if not page.toc or not page.canonical_url:
            return None
        values = {name: page.meta.get(name) for name in fields if name not in SPECIAL}
        values.update(canonical=page.canonical_url, skip=next(iter(page.toc)).id, content=page.content or "")
        if any(not isinstance(value, str) or "scd-shell-0b7e" in value for value in values.values()):
            return None
        values["toc"] = self.finish_part(self._toc(page, context))
        return values

    def _toc(self, page, context=None) -> str:
        if context is None or context.get("page") is not page:
            context = get_context(self.nav, self.doc_files, self.config, page)
        return self.toc_template.render(context)


def _unusable(page, reason: str) -> None:
    log.debug("entry shell for pages like %s not used: %s", page.file.src_uri, reason)
    return None




def _has_h1(page) -> bool:
    return "<h1" in (page.content or "")


def _text_fields(page) -> list:
    """Front-matter fields filled in per page: every text field but the template's name."""
    return sorted(key for key, value in page.meta.items() if isinstance(value, str) and key != "template")


def _with_values(page, values: dict):
    """A copy of page with the given front-matter values, canonical URL, first heading id and article."""
    other = copy.copy(page)
    other.meta = {**page.meta, **{key: value for key, value in values.items() if key not in SPECIAL}}
    other.meta.pop("template", None)
    other.canonical_url, other.content = values["canonical"], values["content"]
    first, *rest = list(page.toc)
    link = AnchorLink(first.title, values["skip"], first.level)
    link.children = first.children
    other.toc = TableOfContents([link, *rest])
    return other
