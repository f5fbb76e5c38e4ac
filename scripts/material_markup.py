"""Fixes to the stock markup of Material for MkDocs (and of Zensical, which shares it).

Three make every page pass the Nu HTML Checker: Material (9.x) writes `autocomplete="off"` on checkbox
toggles, `tabindex=""` on some navigation labels, and a `<label for="__toc">` on pages whose
table-of-contents toggle it does not render.

One is for speed: the colour-scheme toggle is handed from the theme's script to the site's
(docs/assets/digest.js). On every page load the theme's palette code marks the body as switching
colours and reads the header's computed style, which restyles every element twice; on Lighthouse's
phone that is about a quarter of a second of blocked main thread per page. The site's script keeps
the same toggle, the same stored choice and the same colours, and restyles only when a reader
switches. The form keeps its markup; only the attribute the theme looks for is renamed.

The fixes are textual and idempotent; remove each when the theme no longer needs it.
"""
from __future__ import annotations


def fix_markup(html: str) -> str:
    # Plain string replacements: this runs on every page, so no regular expression over the page.
    html = html.replace('type="checkbox" id="__drawer" autocomplete="off"', 'type="checkbox" id="__drawer"')
    html = html.replace('type="checkbox" id="__search" autocomplete="off"', 'type="checkbox" id="__search"')
    html = html.replace(' tabindex=""', "")
    if 'id="__toc"' not in html:
        html = html.replace(' for="__toc"', "")
    html = html.replace('<form class="md-header__option" data-md-component="palette">',
                        '<form class="md-header__option" data-scd-palette>')
    return html
