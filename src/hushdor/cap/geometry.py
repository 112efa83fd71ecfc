"""CAP polygon checks and repairs.

CAP 1.2 §3.2.4: a polygon is "a paired set of points ... of four or more coordinate pairs", the first
and last pairs equal, written ``lat,lon`` in WGS 84. Real feeds break this (Sahana eden#1526: open
rings from a national feed crashed shapely), so editors get repairs, never silent changes:

* open ring → closed (error: CAP requires it; the closed ring is offered);
* self-intersecting ring → shapely ``make_valid``; if that yields several parts, their convex hull,
  so that nobody who was inside the drawn area falls outside the repaired one (warning);
* more than ``max_points`` points (100 by default — the Google Public Alerts CAP requirements advise
  compact polygons; 100 is this project's limit) → simplified so that it still covers the original
  (warning). For a margin ``d``: the ring is Douglas–Peucker-simplified to ``t0`` (a small fraction of
  its extent, once) and then by ``d/2`` (every original point lies within ``t0 + d/2`` of the result),
  buffered outward (mitred) by ``t0 + 1.55·d``, filled (holes dropped), simplified again with
  tolerance ``d`` (topology-preserving: no point moves inward by more than ``d``) — so the buffer
  exceeds what the simplifications can take away by ``0.05·d`` — and rounded to 5 decimals (≈1 m).
  The smallest ``d`` whose result fits is searched (secant steps on log d, then bisection, to within
  25 %), so the area grows no more than needed; the result is then checked once with ``covers`` (``d``
  grows by half until it holds; a bounding box is the last resort). Simplifying before buffering keeps
  each buffer small: 2,000–7,000-point contour rings take ~10–40 ms, not up to a second.
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
    points = np.asarray(ring, dtype=float).reshape(-1, 2)  # once: 7,000 tuples take milliseconds
    bad = _coordinate_problem(points, ring)
    if bad:
        return ring, [error("polygon.coordinates", bad, path)]
    findings: list[Finding] = []
    if len(ring) >= 1 and ring[0] != ring[-1]:
        ring = (*ring, ring[0])
        points = np.concatenate([points, points[:1]])
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
    shape = _shape(points)
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


def _shape(points: np.ndarray) -> Polygon:
    """shapely works in (x, y) = (lon, lat); building from an array is ~10× faster than from tuples."""
    return shapely.polygons(points[:, ::-1])


def _coordinate_problem(points: np.ndarray, ring: tuple[LatLon, ...]) -> str | None:
    finite = np.isfinite(points).all(axis=1)
    if not finite.all():
        return "the polygon has a coordinate that is not a finite number"
    inside = (np.abs(points[:, 0]) <= 90) & (np.abs(points[:, 1]) <= 180)
    if not inside.all():
        lat, lon = ring[int(np.argmin(inside))]
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


_PRE_SIMPLIFY = 0.002  # t0, as a fraction of the ring's extent
_FIRST_MARGIN = 0.005  # the first d tried, as a fraction of the extent
_SEARCH_RATIO = 1.25  # stop when the fitting d is within 25 % of the largest d that does not fit
_PRE_FACTOR = 0.5  # per candidate, simplify by d/2 first (fewer points make the buffer cheap)
_BUFFER_FACTOR = _PRE_FACTOR + 1.05  # buffer by t0 + 1.55·d: 0.05·d more than both simplifications move
_MAX_CANDIDATES = 16


def _simplified_covering(shape: Polygon, max_points: int) -> Polygon:
    min_x, min_y, max_x, max_y = shape.bounds
    extent = max(max_x - min_x, max_y - min_y, 1e-4)
    coarse_tolerance = extent * _PRE_SIMPLIFY
    coarse = _douglas_peucker(shape, coarse_tolerance)
    found = _smallest_fitting_candidate(coarse, coarse_tolerance, extent * _FIRST_MARGIN, max_points)
    if found is None:
        return _rounded_envelope(shape)
    margin, candidate = found
    shapely.prepare(shape)
    for _ in range(8):  # verified once; a rounding or GEOS corner case grows the margin
        if len(candidate.exterior.coords) <= max_points and candidate.is_valid and candidate.covers(shape):
            return candidate
        margin *= 1.5
        candidate = _covering_candidate(coarse, coarse_tolerance, margin)
    return _rounded_envelope(shape)


def _smallest_fitting_candidate(
    coarse: BaseGeometry, coarse_tolerance: float, margin: float, max_points: int
) -> tuple[float, Polygon] | None:
    """(d, candidate) for the smallest margin d (within ``_SEARCH_RATIO``) whose candidate fits.

    Point counts fall roughly as a power of d: each step aims at 95 % of the limit along the power
    measured from the last two tries (moving by at least ``_SEARCH_RATIO``, at most 4×), and bisects
    on log d once the answer is bracketed.
    """
    too_small, fitting, best = 0.0, math.inf, None
    exponent, previous = 1.0, None
    for _ in range(_MAX_CANDIDATES):
        candidate = _covering_candidate(coarse, coarse_tolerance, margin)
        count = len(candidate.exterior.coords)
        if count <= max_points:
            fitting, best = margin, candidate
        else:
            too_small = margin
        if best is not None and too_small > 0.0 and fitting / too_small < _SEARCH_RATIO:
            break
        if previous is not None and previous[1] != count:
            measured = math.log(previous[1] / count) / math.log(margin / previous[0])
            exponent = min(max(measured, 0.5), 2.0)
        previous = (margin, count)
        margin = _next_margin(
            margin * (count / (0.95 * max_points)) ** (1.0 / exponent), margin, too_small, fitting
        )
    return None if best is None else (fitting, best)


def _next_margin(guess: float, margin: float, too_small: float, fitting: float) -> float:
    if fitting == math.inf:  # nothing fits yet: grow
        return min(max(guess, margin * _SEARCH_RATIO), 4.0 * margin)
    if too_small == 0.0:  # everything fits so far: shrink
        return max(min(guess, margin / _SEARCH_RATIO), 0.25 * margin)
    low, high = too_small * _SEARCH_RATIO**0.5, fitting / _SEARCH_RATIO**0.5
    return guess if low < guess < high else math.sqrt(too_small * fitting)


def _douglas_peucker(shape: BaseGeometry, tolerance: float) -> BaseGeometry:
    """GEOS Douglas–Peucker (it may split a polygon into valid parts; an invalid result is repaired)."""
    simplified = shapely.simplify(shape, tolerance, preserve_topology=False)
    return simplified if shapely.is_valid(simplified) else shapely.make_valid(simplified, method="structure")


def _covering_candidate(coarse: BaseGeometry, coarse_tolerance: float, margin: float) -> Polygon:
    """Simplify by t0 + d/2, buffer by t0 + 1.55·d, fill, simplify by d, round (module docstring)."""
    simplified = _douglas_peucker(coarse, _PRE_FACTOR * margin)
    grown = shapely.buffer(
        simplified, coarse_tolerance + _BUFFER_FACTOR * margin, join_style="mitre", mitre_limit=2.0
    )
    if shapely.get_type_id(grown) != shapely.GeometryType.POLYGON:  # parts too far apart to merge
        grown = shapely.convex_hull(grown)
    filled = shapely.polygons(shapely.get_exterior_ring(grown))
    outline = shapely.simplify(filled, margin, preserve_topology=True)
    coordinates = np.round(shapely.get_coordinates(shapely.get_exterior_ring(outline)), _DECIMALS)
    return shapely.polygons(coordinates)


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
