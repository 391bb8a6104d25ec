"""A server-rendered SVG world map from the bundled world-atlas TopoJSON (ISC licence, Natural Earth 1:110m)."""

import json
from functools import lru_cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django_countries import countries

TOPOJSON = Path(__file__).parent / "data" / "world-110m.topojson.json"
WIDTH, HEIGHT = 960, 480  # equirectangular: longitude → x, latitude → y


@lru_cache(maxsize=1)
def _country_paths() -> tuple[tuple[str, str], ...]:
    """(ISO alpha-2, SVG path data) for every country in the geometry, decoded once per process."""
    data = json.loads(TOPOJSON.read_text())
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    arcs = []
    for arc in data["arcs"]:  # delta-encoded, quantised positions
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * sx + tx, y * sy + ty
            points.append((round((lon + 180) * WIDTH / 360, 1), round((90 - lat) * HEIGHT / 180, 1)))
        arcs.append(points)

    def ring(indexes) -> str:
        points = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])
        # A ring crossing the 180th meridian (Fiji, Russia) would draw a line across the whole map: where the
        # next point is more than half the map away, lift the pen and start a new piece on the other side.
        d, previous_x = [], None
        for x, y in points:
            jump = previous_x is not None and abs(x - previous_x) > WIDTH / 2
            d.append(f"{'M' if previous_x is None or jump else 'L'}{x},{y}")
            previous_x = x
        return "".join(d) + "Z"

    paths = []
    for geometry in data["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        code = countries.alpha2(geometry.get("id", "")) if geometry.get("id") else ""
        d = "".join(ring(r) for polygon in polygons for r in polygon)
        if d:
            paths.append((code or "", d))
    return tuple(paths)


def world_map_svg(*, highlight: set[str], title: str = "Countries with member organisations") -> str:
    """An SVG map with the highlighted countries filled; the list next to it is the text alternative."""
    shapes = format_html_join(
        "",
        '<path d="{}" class="{}"{}/>',
        (
            (
                d,
                "map__country map__country--on" if code in highlight else "map__country",
                format_html(' data-country="{}"', code) if code else "",
            )
            for code, d in _country_paths()
        ),
    )
    return format_html(
        '<svg class="world-map" viewBox="0 0 {} {}" role="img" aria-labelledby="map-title map-desc">'
        '<title id="map-title">{}</title><desc id="map-desc">{} countries are highlighted; the list below names them.</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        len(highlight),
        shapes,
    )
