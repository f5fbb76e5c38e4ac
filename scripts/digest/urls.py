"""URL normalisation, so that one article cited in several spellings is recognised as one.

Feeds add tracking parameters (utm_*, fbclid, spm ...), change host case, spell default ports and
trailing slashes differently; an entry's source and a feed item are the same story if their
normalised forms are equal.
"""
from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PREFIXES = ("utm_",)
# Parameters that only say where a click came from. "from" and "share" are how Chinese portals and
# WeChat mark shares; "spm" is Alibaba's click tracking.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "spm", "from", "share", "share_source", "share_medium", "share_token", "ref",
    "ref_src", "cmpid", "ocid", "at_medium", "at_campaign", "s_cid", "scene", "srcid", "wt.mc_id",
    "tt_from", "tt_group_id",
})


def tracking_params(url: str) -> list:
    """Names of the tracking parameters in url's query, in order."""
    if not isinstance(url, str) or "?" not in url:
        return []                                  # no query: the common case, without parsing
    query = urlsplit(url).query
    return [name for name in (unquote_plus(pair.split("=", 1)[0]) for pair in query.split("&") if pair)
            if is_tracking(name)]


def without_tracking(url: str) -> str:
    """url with its tracking parameters removed and everything else as written."""
    parts = urlsplit(url)
    query = "&".join(pair for pair in parts.query.split("&")
                     if pair and not is_tracking(unquote_plus(pair.split("=", 1)[0])))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def normalize_url(url: str) -> str | None:
    """The canonical spelling of an http(s) URL, or None when url is not one.

    Lowercases scheme and host, drops the default port, the fragment, tracking parameters and a
    trailing slash (the root path stays '/'). The remaining parameters keep their order and
    spelling: some sites give the order meaning.
    """
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return None
    host = f"[{host}]" if ":" in host else host   # IPv6 literals keep their brackets
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = parts.path.rstrip("/") or "/"
    # Filter the raw pairs rather than decode and re-encode: the rest of the query stays as written.
    query = "&".join(pair for pair in parts.query.split("&")
                     if pair and not is_tracking(unquote_plus(pair.split("=", 1)[0])))
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str) -> str | None:
    """Key for "is this the same article": the normalised URL with http and https counted as one."""
    normal = normalize_url(url)
    if normal is None:
        return None
    return "https" + normal[len("http"):] if normal.startswith("http://") else normal
