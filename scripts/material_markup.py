"""Three fixes to Material for MkDocs' stock markup so every page passes the Nu HTML Checker.

Material (9.x) writes `autocomplete="off"` on checkbox toggles, `tabindex=""` on some navigation
labels, and a `<label for="__toc">` on pages whose table-of-contents toggle it does not render. The
fixes are textual and idempotent; remove this module when the theme no longer needs them.
"""
from __future__ import annotations

import re

CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?) autocomplete="off"')
EMPTY_TABINDEX = re.compile(r' tabindex=""')
LABEL_FOR = re.compile(r'(<label\b[^>]*?) for="([^"]+)"')


def fix_markup(html: str) -> str:
    html = CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    html = EMPTY_TABINDEX.sub("", html)
    ids = set(re.findall(r'\bid="([^"]+)"', html))

    def drop_dangling_for(match):
        return match.group(0) if match.group(2) in ids else match.group(1)
    return LABEL_FOR.sub(drop_dangling_for, html)
