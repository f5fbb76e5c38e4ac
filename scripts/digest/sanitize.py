"""Output hardening, defence in depth behind the validator:

- sanitize_html: entry HTML goes through nh3 (Ammonia) with an explicit allowlist of what Markdown
  and the theme produce, so anything the validator missed (a new extension, a parser quirk) is dropped.
- add_content_security_policy: a CSP <meta> allowing only this site, plus hashes of the page's own
  inline scripts (Material writes a few, and their text varies with page depth) and WebAssembly for
  Pagefind.
"""
from __future__ import annotations

import base64
import hashlib
import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "mark", "nav", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang", "title", "hidden"},
    "a": {"href"},
    "ol": {"start"},
    "th": {"style"}, "td": {"style"},       # Markdown tables align columns with style="text-align: …"
}
SAFE_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=SAFE_URL_SCHEMES,
                     generic_attribute_prefixes={"data-pagefind-"}, filter_style_properties={"text-align"},
                     link_rel=None, strip_comments=True)


INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?![^>]*\bsrc=)[^>]*)>(?P<code>.*?)</script>", re.S | re.I)
NON_JS_TYPE = re.compile(r'\btype="(?!text/javascript|module)[^"]+"', re.I)
POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
          "form-action 'self'")


def script_hashes(html: str) -> list:
    hashes = []
    for match in INLINE_SCRIPT.finditer(html):
        if NON_JS_TYPE.search(match["attrs"]):
            continue                            # JSON data blocks are never executed
        digest = hashlib.sha256(match["code"].encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return sorted(set(hashes))


def content_security_policy(html: str) -> str:
    hashes = script_hashes(html)
    return POLICY.format(hashes="".join(" " + h for h in hashes))


def add_content_security_policy(html: str) -> str:
    """Insert the policy as the first element of <head> (it applies to what follows it)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(html)}">'
    return re.sub(r"<head>", "<head>\n    " + meta, html, count=1, flags=re.I)
