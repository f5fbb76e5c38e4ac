"""The one slug function: how `make new` names an entry and `make ingest` names a draft."""
from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 60
TRAILING_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "its", "of", "on", "the", "to", "with"}


def slugify(title: str, pinyin: dict | None = None, limit: int = MAX_SLUG) -> str:
    """ASCII slug of lowercase words joined by hyphens, at most `limit` characters, cut at a word and,
    when cut, never ending on a small word ("...-list-of" reads cut off). pinyin: {hanzi name: pinyin}, spelled out
    longest first so known Chinese names survive (信用中国 -> xinyong-zhongguo); accents are folded and
    other non-ASCII text dropped. '' when nothing is left: the caller chooses the fallback."""
    for hanzi in sorted(pinyin or {}, key=len, reverse=True):
        title = title.replace(hanzi, f" {pinyin[hanzi]} ")
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower().replace("'", "")
    slug = "-".join(re.findall(r"[a-z0-9]+", text))
    if len(slug) <= limit:
        return slug
    while len(slug) > limit and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    while "-" in slug and slug.rsplit("-", 1)[1] in TRAILING_WORDS:
        slug = slug.rsplit("-", 1)[0]
    return slug[:limit]
