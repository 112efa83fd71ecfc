"""CAP polygon checks and repairs.

CAP 1.2 §3.2.4: a polygon is "a paired set of points ... of four or more coordinate pairs", the first
and last pairs equal, written ``lat,lon`` in WGS 84. Real feeds break this (Sahana eden#1526: open
rings from a national feed crashed shapely), so editors get repairs, never silent changes:

* open ring → closed (error: CAP requires it; the closed ring is offered);
* self-intersecting ring → shapely ``make_valid``; if that yields several parts, their convex hull,
  so that nobody who was inside the drawn area falls outside the repaired one (warning);
* more than ``max_points`` points (100 by default — the Google Public Alerts CAP requirements advise
  compact polygons; 100 is this project's limit) → simplified so that it still covers the original:
  the ring is buffered outward by ``d`` (mitred), Douglas–Peucker-simplified with tolerance ``d/2``
  (so no point moves inward by more than ``d/2 < d``), rounded to 5 decimals (≈1 m), and the result is
  checked with ``covers``; ``d`` doubles until the point count fits (warning).
"""

from __future__ import annotations

import functools
import math
from dataclasses import replace

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from hushdor.cap.findings import Finding, error, warning

LatLon = tuple[float, float]
MAX_POINTS = 100
_DECIMALS = 5


def repair_polygon(
    points: tuple[LatLon, ...] | list[LatLon], *, max_points: int = MAX_POINTS, path: str = ""
) -> tuple[tuple[LatLon, ...], list[Finding]]:
    """Return ``(repaired points, findings about the original)``; points unchanged if nothing to do."""
    ring = tuple((float(lat), float(lon)) for lat, lon in points)
    repaired, findings = _repair_cached(ring, max_points)
    return repaired, [replace(finding, path=path) for finding in findings]


@functools.lru_cache(maxsize=4096)
def _repair_cached(
    ring: tuple[LatLon, ...], max_points: int
) -> tuple[tuple[LatLon, ...], tuple[Finding, ...]]:
    """Cached: the same polygon recurs in every language's ``<info>`` and in each Update."""
    repaired, findings = _repair(ring, max_points=max_points)
    return repaired, tuple(findings)


def _repair(ring: tuple[LatLon, ...], *, max_points: int) -> tuple[tuple[LatLon, ...], list[Finding]]:
    path = ""  # repair_polygon sets the real path on the (cached) findings
    bad = _coordinate_problem(ring)
    if bad:
        return ring, [error("polygon.coordinates", bad, path)]
    findings: list[Finding] = []
    if len(ring) >= 1 and ring[0] != ring[-1]:
        ring = (*ring, ring[0])
        findings.append(
            Finding(
                "polygon.open",
                "error",
                "the polygon is not closed: its last point must "
                "repeat its first; a closed version is offered",
                path,
                ring,
            )
        )
    if len(set(ring)) < 3 or len(ring) < 4:
        findings.append(
            error(
                "polygon.too_few_points",
                "a polygon needs at least 4 points (3 corners and the first point repeated at the end)",
                path,
            )
        )
        return ring, findings
    shape = _shape(ring)
    if not shape.is_valid:
        reason = shapely.is_valid_reason(shape)
        shape = _made_valid(shape)
        ring = _ring_points(shape)
        findings.append(
            warning(
                "polygon.invalid",
                f"the polygon is not a simple ring ({reason}); a valid "
                "polygon covering the same area is offered",
                path,
                ring,
            )
        )
    if len(ring) > max_points:
        ring = _ring_points(_simplified_covering(shape, max_points))
        findings.append(
            warning(
                "polygon.too_many_points",
                f"the polygon has {len(shape.exterior.coords)} "
                f"points; a simplified polygon of {len(ring)} points that still covers the "
                f"whole area is offered (limit {max_points})",
                path,
                ring,
            )
        )
    return ring, findings


def _shape(ring: tuple[LatLon, ...]) -> Polygon:
    """shapely works in (x, y) = (lon, lat); building from an array is ~10× faster than from tuples."""
    return shapely.polygons(np.asarray(ring, dtype=float)[:, ::-1])


def _coordinate_problem(ring: tuple[LatLon, ...]) -> str | None:
    for lat, lon in ring:
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return "the polygon has a coordinate that is not a finite number"
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return (
                f"the point {lat},{lon} is outside latitude -90…90 / longitude -180…180 "
                "(CAP writes latitude first)"
            )
    return None


def _made_valid(shape: Polygon) -> Polygon:
    valid = shapely.make_valid(shape)
    parts = [geom for geom in getattr(valid, "geoms", [valid]) if isinstance(geom, Polygon | MultiPolygon)]
    polygons = [p for part in parts for p in getattr(part, "geoms", [part]) if not p.is_empty]
    if len(polygons) == 1:
        return Polygon(polygons[0].exterior.coords)
    hull = shapely.convex_hull(shapely.union_all(polygons) if polygons else shape)
    return hull if isinstance(hull, Polygon) else Polygon(shape.exterior.coords).convex_hull


def _simplified_covering(shape: Polygon, max_points: int) -> Polygon:
    min_x, min_y, max_x, max_y = shape.bounds
    distance = max(max_x - min_x, max_y - min_y, 1e-4) * 0.002
    for _ in range(24):
        grown = shape.buffer(distance, join_style="mitre", mitre_limit=2.0)
        simplified = grown.simplify(distance / 2, preserve_topology=True)
        candidate = Polygon(
            [(round(x, _DECIMALS), round(y, _DECIMALS)) for x, y in simplified.exterior.coords]
        )
        if len(candidate.exterior.coords) <= max_points and candidate.is_valid and candidate.covers(shape):
            return candidate
        distance *= 2
    return _rounded_envelope(shape)


def _rounded_envelope(shape: BaseGeometry) -> Polygon:
    scale = 10**_DECIMALS
    min_x, min_y, max_x, max_y = shape.bounds
    min_x, min_y = math.floor(min_x * scale) / scale, math.floor(min_y * scale) / scale
    max_x, max_y = math.ceil(max_x * scale) / scale, math.ceil(max_y * scale) / scale
    return Polygon([(min_x, min_y), (max_x, min_y), (max_x, max_y), (min_x, max_y)])


def _ring_points(shape: Polygon) -> tuple[LatLon, ...]:
    return tuple((float(y), float(x)) for x, y in shape.exterior.coords)


def covers(outer: tuple[LatLon, ...], inner: tuple[LatLon, ...]) -> bool:
    """Does the polygon ``outer`` cover the polygon ``inner`` (both as ``(lat, lon)`` rings)?"""
    return Polygon([(lon, lat) for lat, lon in outer]).covers(
        shapely.make_valid(Polygon([(lon, lat) for lat, lon in inner]))
    )
