"""Stage 4d: draw charts and the places map as static SVG, each with a Markdown data table.

Pure Python and xml.etree: no JavaScript, nothing fetched. Every coordinate goes through fmt(), which
rounds to one decimal, so the same timeline always gives byte-identical SVG. Charts use currentColor
for ink so they follow Material's light and dark schemes.
"""
from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .model import display_date
from .render_body import render_markdown

SVG_NS = "http://www.w3.org/2000/svg"
# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), black left out
# because it vanishes in dark mode.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
GEO_FILE = Path(__file__).resolve().parent / "geo" / "boundaries.json"
REGION = (72.0, 136.0, 17.0, 54.0)          # lon min, lon max, lat min, lat max: China and neighbours
WORLD = (-180.0, 180.0, -58.0, 84.0)
FONT = "font-family:system-ui,sans-serif;font-size:12px"


@dataclass(frozen=True)
class Chart:
    svg: str        # one line of SVG markup, safe to embed as a raw HTML block
    table: str      # the same numbers as a Markdown table ('' when the page already has one)
    caption: str    # Markdown, shown under the picture (both converted by html())
    ident: str = ""  # the SVG's id prefix: the figure is named by the chart's title
    csv: str = ""    # link to the numbers as CSV, relative to the page

    def html(self) -> str:
        """The figure, its caption and its table as HTML (caption and table are Markdown fragments).
        On a narrow screen the chart keeps its drawn size (text stays 12 px) and the figure scrolls
        sideways: a keyboard-focusable, named region."""
        name = f' tabindex="0" role="region" aria-labelledby="{self.ident}-title"' if self.ident else ""
        figure = f'<figure class="scd-chart"{name} data-pagefind-ignore>\n{self.svg}\n</figure>\n'
        download = f" [Download the data (CSV)]({self.csv})." if self.csv else ""
        caption = render_markdown(self.caption + download).html.strip()
        caption = '<p class="scd-chart__caption">' + caption.removeprefix("<p>").removesuffix("</p>") + "</p>\n"
        return figure + caption + (render_markdown(self.table).html if self.table else "")


def fmt(number: float) -> str:
    """One decimal at most, no trailing zeros, never '-0': stable text for coordinates."""
    text = f"{round(number, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def count(number: int) -> str:
    return f"{number:,}"


def nice_step(maximum: float, ticks: int = 5) -> float:
    """Smallest 1, 2 or 5 times a power of ten that covers maximum in at most `ticks` steps."""
    if maximum <= 0:
        return 1
    power = 10 ** math.floor(math.log10(maximum / ticks))
    return next(step * power for step in (1, 2, 5, 10) if step * power * ticks >= maximum)


def _el(parent, tag: str, text: str | None = None, **attrib):
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrib.items()})
    if text is not None:
        element.text = text
    return element


def _svg(width: int, height: int, ident: str, title: str, desc: str):
    # width and height: the drawn size, used where CSS lets the chart scroll instead of shrinking.
    root = ET.Element("svg", {"xmlns": SVG_NS, "viewBox": f"0 0 {width} {height}", "width": str(width),
                              "height": str(height), "role": "img",
                              "aria-labelledby": f"{ident}-title {ident}-desc", "class": "scd-chart__svg",
                              "style": FONT})
    _el(root, "title", title, id=f"{ident}-title")
    _el(root, "desc", desc, id=f"{ident}-desc")
    return root


def _text(root) -> str:
    return ET.tostring(root, encoding="unicode")


def _table(header: list, rows: list, align: list) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _y_axis(svg, top: float, bottom: float, left: float, right: float, maximum: float, label=count):
    """Horizontal grid lines with labels; returns the value -> y function."""
    step = nice_step(maximum)
    ceiling = step * max(1, math.ceil(maximum / step))
    scale = (bottom - top) / ceiling
    value = 0
    while value <= ceiling:
        y = bottom - value * scale
        _el(svg, "line", x1=fmt(left), x2=fmt(right), y1=fmt(y), y2=fmt(y), stroke="currentColor",
            stroke_opacity="0.15" if value else "0.5")
        _el(svg, "text", label(value), x=fmt(left - 6), y=fmt(y + 4), text_anchor="end", fill="currentColor")
        value += step
    return lambda v: bottom - v * scale


# ---------------------------------------------------------------- entries per year, by topic

def year_topic_counts(timeline) -> tuple[list, list, dict]:
    """(years, topic ids, {(year, topic): n}); each entry counts once, under its first topic."""
    counts = Counter((entry.year, entry.topics[0]) for entry in timeline.entries)
    if not counts:
        return [], [], {}
    first, last = int(min(timeline.by_year)), int(max(timeline.by_year))
    years = [str(year) for year in range(first, last + 1)]      # empty years stay visible as gaps
    used = {topic for _, topic in counts}
    topics = [topic for topic in timeline.vocab.terms["topics"] if topic in used]
    return years, topics, dict(counts)


def entries_per_year_chart(timeline, csv: str = "") -> Chart:
    years, topics, counts = year_topic_counts(timeline)
    names = {topic: timeline.vocab.get("topics", topic).name for topic in topics}
    totals = {year: sum(counts.get((year, t), 0) for t in topics) for year in years}
    width, left, right, top = 720, 44, 710, 20 + 20 * math.ceil(len(topics) / 3)
    bottom = top + 220
    svg = _svg(width, bottom + 40, "scd-years", "Timeline entries per year, by topic",
               f"Stacked bars: {len(timeline.entries)} entries from {years[0] if years else '-'} to "
               f"{years[-1] if years else '-'}, each counted under its first topic.")
    for index, topic in enumerate(topics):
        x, y = 10 + (index % 3) * 235, 12 + (index // 3) * 20
        _el(svg, "rect", x=x, y=y, width=12, height=12, fill=PALETTE[index % len(PALETTE)])
        _el(svg, "text", names[topic], x=x + 18, y=y + 11, fill="currentColor")
    y_of = _y_axis(svg, top, bottom, left, right, max(totals.values(), default=0))
    slot = (right - left) / max(1, len(years))
    label_every = 1 if len(years) <= 15 else 2 if len(years) <= 30 else 5
    for number, year in enumerate(years):
        x, base = left + number * slot + slot * 0.15, 0
        for index, topic in enumerate(topics):
            n = counts.get((year, topic), 0)
            if n:
                bar = _el(svg, "rect", x=fmt(x), y=fmt(y_of(base + n)), width=fmt(slot * 0.7),
                          height=fmt(y_of(base) - y_of(base + n)), fill=PALETTE[index % len(PALETTE)])
                _el(bar, "title", f"{year}, {names[topic]}: {n}")
                base += n
        if number % label_every == 0 or number == len(years) - 1:
            _el(svg, "text", year, x=fmt(x + slot * 0.35), y=fmt(bottom + 16), text_anchor="middle",
                fill="currentColor")
    rows = [[year] + [counts.get((year, t), 0) for t in topics] + [totals[year]] for year in years]
    table = _table(["Year"] + [names[t] for t in topics] + ["Total"], rows, ["---"] + ["--:"] * (len(topics) + 1))
    return Chart(_text(svg), table, "Entries per year, each counted once under its first-listed topic. "
                                    "The table gives the same numbers.", "scd-years", csv)


# ---------------------------------------------------------------- published figures over time

def _year_fraction(date: str) -> float:
    """'2019-07-09' -> 2019.52; a month-only date sits mid-month."""
    parts = [int(part) for part in date.split("-")] + [1, 15][len(date.split("-")) - 1:]
    return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 1) / 365


def _short(number: int) -> str:
    return f"{fmt(number / 1e6)} million" if number >= 1_000_000 else count(number)


def figures_chart(series: list, title: str, entry_link, escape, definitions: str = "", csv: str = "",
                  ident: str = "scd-figures") -> Chart:
    """One line of points per series; a series is one measure in one unit, so no line mixes counts.

    series: [(label, [Figure, ...] oldest first)]. entry_link(figure) gives the Markdown link to the
    source's entry; escape(text) escapes a note for Markdown.
    """
    figures = [figure for _, rows in series for figure in rows]
    width, left, right, top, bottom = 720, 90, 620, 24 + 20 * len(series), 300 + 20 * len(series)
    svg = _svg(width, bottom + 40, ident, title,
               f"{len(series)} series, {len(figures)} published figures from "
               f"{display_date(min(f.as_of for f in figures))} to {display_date(max(f.as_of for f in figures))}."
               if figures else "No figures yet.")
    shapes = []
    for number, (label, _) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        y = 14 + 20 * number
        shapes.append(colour)
        _el(svg, "line", x1=8, y1=y, x2=28, y2=y, stroke=colour, stroke_width=3)
        _el(svg, "text", label, x=34, y=y + 4, fill="currentColor")
    y_of = _y_axis(svg, top, bottom, left, right, max((f.value for f in figures), default=0), _short)
    start = math.floor(min((_year_fraction(f.as_of) for f in figures), default=0))
    end = math.ceil(max((_year_fraction(f.as_of) for f in figures), default=1) + 0.01)

    def x_of(date: str) -> float:
        return left + (_year_fraction(date) - start) / max(1, end - start) * (right - left)
    step = 1 if end - start <= 8 else 2
    for year in range(start, end + 1, step):
        _el(svg, "text", str(year), x=fmt(x_of(f"{year}-01-01")), y=fmt(bottom + 20), text_anchor="middle",
            fill="currentColor")
    # The legend, the y-axis labels and the year labels: no value label runs into them.
    taken = [(0, 0, width, top - 6), (0, top, left - 4, bottom - top + 10), (0, bottom + 6, width, 24)]
    # Every point first, so no value label covers a point; then the labels, newest point of each series
    # first (the figure a reader looks for), the rest where they fit.
    placed = [(x_of(f.as_of), y_of(f.value)) for _, rows in series for f in rows]
    taken += [(x - 6, y - 6, 12, 12) for x, y in placed]
    for (label, rows), colour in zip(series, shapes):
        points = [(x_of(f.as_of), y_of(f.value)) for f in rows]
        if len(points) > 1:
            _el(svg, "polyline", points=" ".join(f"{fmt(x)},{fmt(y)}" for x, y in points), fill="none",
                stroke=colour, stroke_width=2)
        for figure, (x, y) in zip(rows, points):
            mark = _el(svg, "circle", cx=fmt(x), cy=fmt(y), r=5, fill=colour)
            _el(mark, "title", f"{label}, {display_date(figure.as_of)}: {count(figure.value)}")
        for figure, (x, y) in reversed(list(zip(rows, points))):
            text = _short(figure.value)
            # Beside the point, or just above or below it; a label any further away would read as
            # another point's, so where there is no room the tooltip and the table give the value.
            width_of = 7.2 * len(text)
            candidates = [(x + 8, y - 8 + shift, width_of, 16) for shift in (0, -14, 14)] + \
                         [(x - 8 - width_of, y - 8, width_of, 16)]
            box = next((c for c in candidates if c[1] > 0 and not any(_boxes_meet(c, o) for o in taken)), None)
            if box is None:
                continue
            taken.append(box)
            _el(svg, "text", text, x=fmt(box[0]), y=fmt(box[1] + 12), fill="currentColor")
    rows = [[display_date(f.as_of), escape(label), count(f.value), entry_link(f), escape(f.note)]
            for label, figures_of in series for f in figures_of]
    table = _table(["As of", "Measure (unit)", "Figure", "Source", "What the source says"], rows,
                   ["---", "---", "--:", "---", "---"])
    return Chart(_text(svg), table, "Each point is a figure as published, dated to the day it refers to. "
                                    "Each line is one measure in one unit; different measures are different "
                                    "counts and are never added up." + (f" [Definitions of each measure]({definitions})."
                                                                       if definitions else ""), ident, csv)


# ---------------------------------------------------------------- map of places

@lru_cache(maxsize=1)
def boundaries() -> tuple:
    data = json.loads(GEO_FILE.read_text(encoding="utf-8"))
    return tuple((country["name"], tuple(tuple(ring) for ring in country["rings"]))
                 for country in data["countries"])


@dataclass(frozen=True)
class Frame:
    """An equirectangular view of a lon/lat box, its x stretched by cos(mid latitude)."""
    box: tuple
    x: float
    y: float
    scale: float

    def project(self, lon: float, lat: float) -> tuple:
        west, east, south, north = self.box
        squeeze = math.cos(math.radians((south + north) / 2))
        return self.x + (lon - west) * squeeze * self.scale, self.y + (north - lat) * self.scale

    def contains(self, lon: float, lat: float) -> bool:
        west, east, south, north = self.box
        return west <= lon <= east and south <= lat <= north

    def size(self) -> tuple:
        west, east, south, north = self.box
        squeeze = math.cos(math.radians((south + north) / 2))
        return (east - west) * squeeze * self.scale, (north - south) * self.scale


MIN_STEP = 3      # pixels: closer points are dropped, which keeps the map's markup small


def _ring_path(ring: tuple, frame: Frame) -> str:
    """Closed path in whole pixels, thinned to points at least MIN_STEP apart (Manhattan distance),
    written as one absolute point and then relative steps (`l`), which are short numbers."""
    points, last = [], None
    for i in range(0, len(ring), 2):
        x, y = frame.project(ring[i], ring[i + 1])
        point = (round(x), round(y))
        if last is None or abs(point[0] - last[0]) + abs(point[1] - last[1]) >= MIN_STEP:
            points.append(point)
            last = point
    if len(points) <= 2:
        return ""
    steps = " ".join(f"{x - px} {y - py}" for (px, py), (x, y) in zip(points, points[1:]))
    return f"M{points[0][0]} {points[0][1]}l{steps}Z"


def _overlaps(ring: tuple, box: tuple) -> bool:
    lons, lats = ring[0::2], ring[1::2]
    return min(lons) <= box[1] and max(lons) >= box[0] and min(lats) <= box[3] and max(lats) >= box[2]


def _draw_land(svg, frame: Frame, clip: str, highlight: str = "China"):
    width, height = frame.size()
    clip_path = _el(_el(svg, "defs"), "clipPath", id=clip)
    _el(clip_path, "rect", x=fmt(frame.x), y=fmt(frame.y), width=fmt(width), height=fmt(height))
    group = _el(svg, "g", clip_path=f"url(#{clip})", stroke="currentColor", stroke_opacity="0.35",
                stroke_width="0.6", fill="currentColor")
    for name, rings in boundaries():
        paths = "".join(_ring_path(ring, frame) for ring in rings if _overlaps(ring, frame.box))
        if paths:
            _el(group, "path", d=paths, fill_opacity="0.18" if name == highlight else "0.07")
    _el(svg, "rect", x=fmt(frame.x), y=fmt(frame.y), width=fmt(width), height=fmt(height), fill="none",
        stroke="currentColor", stroke_opacity="0.3")


def place_counts(timeline) -> list:
    """[(Term, entries)] for every place with entries, most entries first."""
    terms = timeline.used_terms("places")
    return sorted(((t, len(timeline.by_term[("places", t.id)])) for t in terms), key=lambda p: (-p[1], p[0].id))


def _draw_points(svg, frame: Frame, places: list, labelled: set):
    shown = [(term, n) + frame.project(term.lon, term.lat) for term, n in places if frame.contains(term.lon, term.lat)]
    dots = {}
    for term, n, x, y in shown:
        r = 3 + 2 * math.sqrt(n)
        dots[term.id] = (x - r, y - r, 2 * r, 2 * r)
        dot = _el(svg, "circle", cx=fmt(x), cy=fmt(y), r=fmt(r), fill=PALETTE[5],
                  fill_opacity="0.8", stroke="#fff", stroke_width="1")
        _el(dot, "title", f"{term.name}: {n} {'entry' if n == 1 else 'entries'}")
    taken = []
    for term, n, x, y in shown:
        if term.id not in labelled:
            continue
        others = [box for place, box in dots.items() if place != term.id]
        right = (x + 6 + 2 * math.sqrt(n), y - 10, 7.2 * len(term.name) + 8, 16)
        left = (x - 6 - 2 * math.sqrt(n) - right[2], right[1], right[2], right[3])
        fits = [box for box in (right, left) if frame.x <= box[0] and box[0] + box[2] <= frame.x + frame.size()[0]]
        # Largest places first; a label that would cover another label or another place's dot is left
        # out (its dot keeps a tooltip, and the table lists every place).
        box = next((box for box in fits if not any(_boxes_meet(box, other) for other in taken + others)), None)
        if box is not None:
            taken.append(box)
            _el(svg, "text", term.name, x=fmt(box[0] + (8 if box[0] < x else 0)), y=fmt(y + 4),
                fill="currentColor")


def _boxes_meet(a: tuple, b: tuple) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def places_map(timeline, csv: str = "") -> Chart:
    places = place_counts(timeline)
    region = Frame(REGION, 10, 10, 11.0)
    width, height = region.size()
    abroad = [(term, n) for term, n in places if not region.contains(term.lon, term.lat)]
    world = Frame(WORLD, 10, 20 + height + 10, (width / 360) / math.cos(math.radians(13)))
    total_height = height + 20 + (world.size()[1] + 20 if abroad else 0)
    svg = _svg(round(width + 20), round(total_height), "scd-map", "Places with timeline entries",
               f"Map of {len(places)} places; circle area grows with the number of entries. "
               f"{len(places) - len(abroad)} are in China and its region"
               + (f"; {len(abroad)} lie outside it and are shown on the world map below." if abroad else "."))
    _draw_land(svg, region, "scd-map-region")
    _draw_points(svg, region, places, {term.id for term, _ in places})
    if abroad:
        _draw_land(svg, world, "scd-map-world")
        _draw_points(svg, world, places, {term.id for term, _ in abroad})
    return Chart(_text(svg), "", "Places with entries. Boundaries: Natural Earth 1:110m (public domain), "
                                 "for orientation only. The table below lists every place and its "
                                 "number of entries.", "scd-map", csv)


# ---------------------------------------------------------------- hub mini timeline

def mini_timeline(entries: list, ident: str) -> str:
    """A small bar strip of entries per year for one hub, followed by the same counts as text."""
    per_year = Counter(entry.year for entry in entries)
    first, last = int(min(per_year)), int(max(per_year))
    years = [str(year) for year in range(first, last + 1)]
    slot, height, peak = min(24, 300 / len(years)), 40, max(per_year.values())
    width = slot * len(years)
    svg = _svg(round(width + 80), height + 16, ident, f"Entries per year, {years[0]} to {years[-1]}",
               ", ".join(f"{year}: {per_year[year]}" for year in years if per_year[year]))
    for number, year in enumerate(years):
        n = per_year.get(year, 0)
        bar_height = max(1, height * n / peak) if n else 1
        bar = _el(svg, "rect", x=fmt(40 + number * slot + 1), y=fmt(height - bar_height + 2),
                  width=fmt(max(1, slot - 2)), height=fmt(bar_height), fill=PALETTE[0] if n else "currentColor",
                  fill_opacity="1" if n else "0.2")
        _el(bar, "title", f"{year}: {n}")
    _el(svg, "text", years[0], x=36, y=height + 2, text_anchor="end", fill="currentColor")
    _el(svg, "text", years[-1], x=fmt(44 + width), y=height + 2, fill="currentColor")
    svg.set("class", "scd-chart__svg scd-chart__svg--mini")
    text = " · ".join(f"{year}: {per_year[year]}" for year in years if per_year[year])
    return (f'<figure class="scd-chart scd-chart--mini" data-pagefind-ignore>\n{_text(svg)}\n</figure>\n'
            f'<p class="scd-chart__caption">Entries per year: {text}</p>\n')
