"""Three fixes to Material for MkDocs' stock markup so every page passes the Nu HTML Checker.

Material (9.x) writes `autocomplete="off"` on checkbox toggles, `tabindex=""` on some navigation
labels, and a `<label for="__toc">` on pages whose table-of-contents toggle it does not render. The
fixes are textual and idempotent; remove this module when the theme no longer needs them.
"""
from __future__ import annotations


def fix_markup(html: str) -> str:
    # Plain string replacements: this runs on every page, so no regular expression over the page.
    html = html.replace('type="checkbox" id="__drawer" autocomplete="off"', 'type="checkbox" id="__drawer"')
    html = html.replace('type="checkbox" id="__search" autocomplete="off"', 'type="checkbox" id="__search"')
    html = html.replace(' tabindex=""', "")
    if 'id="__toc"' not in html:
        html = html.replace(' for="__toc"', "")
    return html
