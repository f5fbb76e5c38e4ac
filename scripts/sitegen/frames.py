"""Step 4, fill: put each generated page's article into the page the generator drew for it.

A frame is a page the generator built from a staged slot or frame page (generate.py): its article is
one heading, a slot paragraph and one listed heading. Reading it once tells where the article goes,
what one item of the table of contents looks like, and where the page's own values (title, fields,
URL path) are. Filling is then a join of fixed text and values, with no template and no theme
knowledge: any generator whose pages show an <h1>, the article, and a table of contents built from
the headings works.
"""
from __future__ import annotations

import re

from digest.render_pages import h

from . import generate
from .generate import BODY_SLOT, TOC_SLOT, field_token

CONTENT, TOC, H1_ID, PATH, HEAD = (f"scdfill0{name}0" for name in ("content", "toc", "h1id", "path", "head"))


class FrameError(ValueError):
    """The generator's page does not have the shape a frame needs (its message says what is missing)."""


class Frame:
    def __init__(self, page: str, fields: list = (), frame_url: str | None = None, finish=lambda text: text):
        """page: the generator's HTML for a slot page (fields=[], frame_url=None) or a frame page
        (the names of its token fields, and its own URL path, e.g. 'scdframe-entry-3-…/x/x/').
        finish(text) is applied once to the fixed text (it must leave the fill markers alone)."""
        body = _find(page, f"<p>{BODY_SLOT}</p>", "the article's slot paragraph")
        start = page.rfind("<h1", 0, body)
        if start < 0:
            raise FrameError("no <h1> before the article's slot")
        heading = page[start:page.index(">", start)]
        h1_id = re.search(r'id="([^"]*)"', heading)
        mark = page.find(f'id="{TOC_SLOT}"', body)
        end = page.index("</h2>", mark) + len("</h2>") if mark >= 0 else body + len(f"<p>{BODY_SLOT}</p>")
        # Each table of contents the generator shows (Material: the sidebar's, and for a page in the
        # navigation also one inside it) becomes a list of items like its one item.
        self.toc_items, pieces, at = [], [], 0
        link = page.find(f'href="#{TOC_SLOT}"')
        while 0 <= link < start:
            # One item with the white space before it, as the generator repeats it per heading.
            item_start = page.rfind(">", 0, page.rfind("<li", 0, link)) + 1
            item_end = page.index("</li>", link) + len("</li>")
            pieces += [page[at:item_start], f"{TOC}{len(self.toc_items)}0"]
            self.toc_items.append(page[item_start:item_end])
            at = item_end
            link = page.find(f'href="#{TOC_SLOT}"', at)
        pieces += [page[at:start], CONTENT, page[end:]]
        text = "".join(pieces)
        if h1_id:
            text = text.replace(f'href="#{h1_id.group(1)}"', f'href="#{H1_ID}"')
        if frame_url:
            text = text.replace(frame_url, PATH)
        text = text.replace("</head>", HEAD + "</head>", 1)
        text = finish(text)
        names = {CONTENT: "content", H1_ID: "h1id", PATH: "path", HEAD: "head",
                 **{f"{TOC}{number}0": f"toc{number}" for number in range(len(self.toc_items))},
                 **{field_token(name): name for name in fields}}
        split = re.split("(" + "|".join(re.escape(token) for token in names) + ")", text)
        self.parts = [names[part] if index % 2 else part for index, part in enumerate(split)]
        if frame_url and any(generate.FRAMES_DIR + "-" in part for part in split[::2]):
            raise FrameError(f"the frame's address {frame_url} is left in the page")

    def fill(self, content: str, headings, values: dict) -> str:
        """content: the article's HTML (it begins with the page's <h1>); headings: its headings
        (render_body.Heading); values: the page's field values as HTML text, its path and head."""
        top = [heading for heading in headings if heading.level == 2]
        first = next((heading for heading in headings if heading.level == 1), None)
        values = {**values, "content": content, "h1id": first.id if first else ""}
        for number, item in enumerate(self.toc_items):
            values[f"toc{number}"] = "".join(item.replace(f"#{TOC_SLOT}", f"#{heading.id}").replace(TOC_SLOT, heading.text)
                                             for heading in top)
        return "".join(values[part] if index % 2 else part for index, part in enumerate(self.parts))


def field_value(value: str) -> str:
    """A front-matter field as the page shows it: HTML-escaped (a generator may put it in an attribute)."""
    return h(value)


def fill_slots(page: str, slots: dict) -> str:
    """A written page's marker slots ({token: HTML}) filled in."""
    for token, markup in slots.items():
        page = page.replace(f"<p>{token}</p>", markup, 1)
    return page


def _find(page: str, text: str, what: str, start: int = 0) -> int:
    at = page.find(text, start)
    if at < 0:
        raise FrameError(f"{what} ({text}) is not in the page")
    return at
