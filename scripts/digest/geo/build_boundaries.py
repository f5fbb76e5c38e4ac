"""One-off tool: turn world-atlas's TopoJSON (Natural Earth 1:110m countries) into boundaries.json.

Not used by the build. Rerun it only to update the vendored file:
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/digest/geo/build_boundaries.py package/countries-110m.json scripts/digest/geo/boundaries.json
Coordinates are rounded to 0.1 degree (the 1:110m data is no finer) and repeated points dropped.
Rings that cross the antimeridian (Russia, Fiji) get continuous longitudes (east of 180 as 180+), so a
plain projection draws no line across the map; Antarctica is left out (no entry is there).
"""
from __future__ import annotations

import json
import sys


def decode_arcs(topology: dict) -> list:
    """Delta-decode and dequantize every arc into [(lon, lat), ...]."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list, arcs: list) -> list:
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    if any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:])):
        points = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    flat, last = [], None
    for lon, lat in points:
        point = (round(lon, 1), round(lat, 1))
        if point != last:
            flat.extend(point)
            last = point
    return flat


def convert(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])],
                    "MultiPolygon": geometry.get("arcs", [])}.get(geometry["type"], [])
        rings = [ring(r, arcs) for polygon in polygons for r in polygon]
        rings = [r for r in rings if len(r) >= 6]          # at least a triangle after rounding
        if rings and geometry["properties"]["name"] != "Antarctica":
            countries.append({"id": geometry.get("id", ""), "name": geometry["properties"]["name"],
                              "rings": rings})
    countries.sort(key=lambda c: (c["name"], c["id"]))
    return {"source": "Natural Earth 1:110m Admin 0 countries, v4.1.0, via npm world-atlas 2.0.2",
            "licence": "Public domain (Natural Earth); packaging ISC (world-atlas)",
            "countries": countries}


if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as handle:
        data = convert(json.load(handle))
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
