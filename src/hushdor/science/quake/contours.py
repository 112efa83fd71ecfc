"""MMI contours as GeoJSON: one MultiPolygon per integer intensity, the area shaken at or above it.

Filled contours come from ``contourpy`` (matplotlib's contouring engine, marching squares with linear
interpolation between grid values), so boundaries follow the field smoothly rather than cell edges.
Each level is then cleaned in a few whole-array steps, with no Python loop over rings or points:

1. the field is cropped to the rows and columns holding values at or above the level (plus one);
2. rings smaller than ``min_area_cells`` grid cells are dropped (areas by the shoelace formula over
   contourpy's flat point array): sub-cell islands and holes are noise, thousands of them make a map
   unreadable and slow;
3. each part is simplified once with GEOS's topology-preserving Douglas–Peucker (tolerance
   ``simplify_tolerance``, default half a grid cell), so each part stays valid; parts that
   simplification made meet (an island simplified into the rim of the hole it sits in) keep their
   exact shapes, which contourpy makes disjoint; ``shapely.is_valid`` checks the whole level;
4. the level is clipped to the grid's extent, coordinates are rounded to 1e-4 degrees (about 11 m) and
   exteriors oriented counter-clockwise, holes clockwise (RFC 7946 section 3.1.6). A part that
   rounding pinched is snapped with ``set_precision`` instead (checked, not assumed).

Simplification moves a boundary by up to the tolerance either way, so cells whose value is just
above the level can fall just outside the polygon. Whoever needs an area that covers every such
cell (a CAP area) should grow it: ``hushdor.cap.geometry.repair_polygon`` does so for rings over
100 points.

Levels that the field never reaches produce no feature.

Grid convention: ``mmi[i, j]`` is the value at the cell centre (lon = west + j * res,
lat = north - i * res), row 0 to the north, as in ShakeMap's grid.xml.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import contourpy
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

DEFAULT_LEVELS = tuple(range(4, 11))
COORDINATE_DECIMALS = 4
_ROUNDING_STEP = 10.0**-COORDINATE_DECIMALS
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class InvalidGridError(ValueError):
    """The intensity grid or its georeference cannot be contoured."""


def roman(n: int) -> str:
    """Roman numeral of an intensity 1..12 (the MMI and EMS/MSK scales' range)."""
    if not isinstance(n, int | np.integer) or not 1 <= int(n) <= 12:
        raise ValueError(f"intensity must be an integer 1..12, got {n!r}")
    return _ROMAN[int(n) - 1]


def _check_grid(mmi: ArrayLike, west: float, north: float, resolution: float) -> NDArray[np.float64]:
    values = np.asarray(mmi, dtype=np.float64)
    if values.ndim != 2 or min(values.shape) < 2:
        raise InvalidGridError(f"mmi must be a 2-D grid of at least 2x2 values, got shape {values.shape}")
    if not (np.isfinite(resolution) and resolution > 0.0):
        raise InvalidGridError(f"resolution must be a positive number of degrees, got {resolution}")
    if not (np.isfinite(west) and -180.0 <= west <= 180.0):
        raise InvalidGridError(f"west must be a longitude in [-180, 180], got {west}")
    south = north - (values.shape[0] - 1) * resolution
    if not (np.isfinite(north) and north <= 90.0 and south >= -90.0):
        raise InvalidGridError(f"grid latitudes [{south}, {north}] fall outside [-90, 90]")
    if np.all(np.isnan(values)):
        raise InvalidGridError("mmi grid has no finite value")
    return values


def _crop(at_or_above: NDArray[np.bool_]) -> tuple[slice, slice]:
    """Rows and columns holding a True value, widened by one (the contour crosses into the next cell)."""
    rows = np.flatnonzero(at_or_above.any(axis=1))
    columns = np.flatnonzero(at_or_above.any(axis=0))
    return (
        slice(max(int(rows[0]) - 1, 0), int(rows[-1]) + 2),
        slice(max(int(columns[0]) - 1, 0), int(columns[-1]) + 2),
    )


def _exact_rings(
    field: NDArray[np.float64],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    threshold: float,
    min_area: float,
) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.intp]]:
    """contourpy's filled region ``field >= threshold``: (points, ring id per point, polygon id per ring).

    ``field`` has ascending ``y`` rows. Rings smaller than ``min_area`` are dropped, and with an
    exterior its holes; ids are renumbered 0..n-1 in order, as ``shapely.linearrings``/``polygons``
    take them.
    """
    generator = contourpy.contour_generator(
        x, y, np.ma.masked_invalid(field), fill_type=contourpy.FillType.ChunkCombinedOffsetOffset
    )
    upper = float(np.nanmax(field)) + 1.0
    (points,), (offsets,), (outer_offsets,) = generator.filled(threshold, upper)
    if points is None or len(offsets) < 2:
        return np.empty((0, 2)), np.empty(0, np.intp), np.empty(0, np.intp)
    # Shoelace area of each closed ring (last point = first), from one cumulative sum of cross products.
    cross = points[:-1, 0] * points[1:, 1] - points[1:, 0] * points[:-1, 1]
    cumulative = np.concatenate(([0.0], np.cumsum(cross)))
    area = 0.5 * np.abs(cumulative[offsets[1:] - 1] - cumulative[offsets[:-1]])
    polygon_of_ring = np.repeat(np.arange(len(outer_offsets) - 1), np.diff(outer_offsets))
    keep_polygon = area[outer_offsets[:-1]] >= min_area
    keep_ring = (area >= min_area) & keep_polygon[polygon_of_ring]
    ring_of_point = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    keep_point = keep_ring[ring_of_point]
    new_ring_id = np.cumsum(keep_ring) - 1
    new_polygon_id = np.cumsum(keep_polygon) - 1
    return (
        points[keep_point],
        new_ring_id[ring_of_point[keep_point]],
        new_polygon_id[polygon_of_ring[keep_ring]],
    )


def _simplified_polygons(
    points: NDArray[np.float64], ring_ids: NDArray[np.intp], polygon_ids: NDArray[np.intp], tolerance: float
) -> NDArray[np.object_]:
    """The level's parts, each simplified once by GEOS's topology-preserving Douglas–Peucker.

    Each part stays valid; parts that simplification made meet (they were within twice the tolerance
    of each other) keep their exact, disjoint shapes.
    """
    exact = shapely.polygons(shapely.linearrings(points, indices=ring_ids), indices=polygon_ids)
    if tolerance <= 0.0:
        return exact
    polygons = shapely.simplify(exact, tolerance, preserve_topology=True)
    for keep_exact in ("smaller", "both"):
        if len(polygons) < 2 or shapely.is_valid(shapely.multipolygons(polygons)):
            break
        # An island simplified into the rim of the hole it sits in: the smaller part keeps its exact
        # shape; if that is not enough, both do (contourpy's parts are disjoint).
        larger, smaller = _meeting_parts(polygons)
        polygons[smaller] = exact[smaller]
        if keep_exact == "both":
            polygons[larger] = exact[larger]
    return polygons


def _meeting_parts(polygons: NDArray[np.object_]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Pairs of parts that intersect, as (the one with more points, the one with fewer)."""
    first, second = shapely.STRtree(polygons).query(polygons)
    sizes = shapely.get_num_coordinates(polygons)
    pairs = first != second
    larger = np.where(sizes[first] >= sizes[second], first, second)[pairs]
    smaller = np.where(sizes[first] >= sizes[second], second, first)[pairs]
    shapely.prepare(polygons)  # the larger part is tested prepared against each smaller one
    meeting = shapely.intersects(polygons[larger], polygons[smaller])
    shapely.destroy_prepared(polygons)
    return larger[meeting], smaller[meeting]


def _cleaned_level(
    polygons: NDArray[np.object_], extent: tuple[float, float, float, float]
) -> list[shapely.Polygon]:
    """Parts of the level clipped to ``extent``, rounded to 1e-4 degrees and RFC 7946-oriented."""
    level = shapely.multipolygons(polygons)
    min_x, min_y, max_x, max_y = shapely.bounds(level)
    if min_x < extent[0] or min_y < extent[1] or max_x > extent[2] or max_y > extent[3]:
        level = shapely.clip_by_rect(level, *extent)
    rounded = shapely.remove_repeated_points(
        shapely.transform(level, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    )
    if not shapely.is_valid(rounded):  # rounding pinched a ring: snap the parts it broke with an overlay
        parts, rounded_parts = shapely.get_parts(level), shapely.get_parts(rounded)
        broken = ~shapely.is_valid(rounded_parts)
        rounded_parts[broken] = shapely.set_precision(parts[broken], _ROUNDING_STEP)
        fixed = shapely.get_parts(rounded_parts)  # a snapped part may have split in two
        rounded = shapely.multipolygons(fixed[shapely.get_type_id(fixed) == shapely.GeometryType.POLYGON])
        if not shapely.is_valid(rounded):
            rounded = shapely.set_precision(shapely.make_valid(level), _ROUNDING_STEP)
    oriented = shapely.orient_polygons(rounded, exterior_cw=False)
    return [
        part
        for part in shapely.get_parts(oriented)
        if isinstance(part, shapely.Polygon) and not part.is_empty
    ]


def _outward_extent(
    west: float, north: float, resolution: float, shape: tuple[int, ...]
) -> tuple[float, float, float, float]:
    """The grid's node extent, widened to the 1e-4 rounding grid."""
    south = north - resolution * (shape[0] - 1)
    east = west + resolution * (shape[1] - 1)
    scale = 10**COORDINATE_DECIMALS
    return (
        float(np.floor(west * scale) / scale),
        float(np.floor(south * scale) / scale),
        float(np.ceil(east * scale) / scale),
        float(np.ceil(north * scale) / scale),
    )


def _ring_lists(coordinates: NDArray[np.float64], counts: NDArray[np.intp]) -> list[list[list[float]]]:
    """Split one (n, 2) array into rings of ``counts`` points, as nested lists."""
    as_lists = coordinates.tolist()
    ends = np.cumsum(counts).tolist()
    starts = [0, *ends[:-1]]
    return [as_lists[start:end] for start, end in zip(starts, ends, strict=True)]


def _multipolygon_coordinates(polygons: list[shapely.Polygon]) -> list[list[list[list[float]]]]:
    rings = shapely.get_rings(np.array(polygons, dtype=object))
    per_polygon = shapely.get_num_interior_rings(np.array(polygons, dtype=object)) + 1
    ring_points = _ring_lists(shapely.get_coordinates(rings), shapely.get_num_coordinates(rings))
    ends = np.cumsum(per_polygon).tolist()
    starts = [0, *ends[:-1]]
    return [ring_points[start:end] for start, end in zip(starts, ends, strict=True)]


def level_polygons(
    values: NDArray[np.float64],
    *,
    west: float,
    north: float,
    resolution: float,
    threshold: float,
    simplify_tolerance: float,
    min_area: float,
) -> list[shapely.Polygon]:
    """Valid, disjoint polygons of the area where the field >= ``threshold`` (module docstring, steps 1–4)."""
    at_or_above = values >= threshold
    if not at_or_above.any():
        return []
    rows, columns = _crop(at_or_above)
    field = values[rows, columns][::-1]  # ascending latitudes
    row_numbers = np.arange(rows.start, rows.start + field.shape[0])[::-1]
    y = north - resolution * row_numbers
    x = west + resolution * np.arange(columns.start, columns.start + field.shape[1])
    points, ring_ids, polygon_ids = _exact_rings(field, x, y, threshold, min_area)
    if polygon_ids.size == 0:
        return []
    polygons = _simplified_polygons(points, ring_ids, polygon_ids, simplify_tolerance)
    return _cleaned_level(polygons, _outward_extent(west, north, resolution, values.shape))


def mmi_contours(
    mmi: ArrayLike,
    *,
    west: float,
    north: float,
    resolution: float,
    levels: Iterable[int] = DEFAULT_LEVELS,
    simplify_tolerance: float | None = None,
    threshold_offset: float = 0.0,
    min_area_cells: float | None = None,
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of MultiPolygons where MMI >= level + ``threshold_offset``.

    ``threshold_offset = -0.5`` gives the areas whose *rounded* intensity is at least the level, the
    binning PAGER uses for exposure ([MMI - 0.5, MMI + 0.5)). NaN cells are treated as outside.
    Islands and holes smaller than ``min_area_cells`` grid cells (default 1) are dropped.
    ``simplify_tolerance`` (degrees, default half a cell; 0 keeps the exact contour) bounds how far a
    boundary lies from the exact contour.
    Each feature's properties are ``{"mmi": level, "label": roman(level)}``.
    """
    values = _check_grid(mmi, west, north, resolution)
    tolerance = 0.5 * resolution if simplify_tolerance is None else float(simplify_tolerance)
    min_area = resolution * resolution if min_area_cells is None else min_area_cells * resolution**2
    features = []
    for level in sorted({int(level) for level in levels}):
        polygons = level_polygons(
            values,
            west=west,
            north=north,
            resolution=resolution,
            threshold=level + threshold_offset,
            simplify_tolerance=tolerance,
            min_area=min_area,
        )
        if not polygons:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiPolygon", "coordinates": _multipolygon_coordinates(polygons)},
                "properties": {"mmi": level, "label": roman(level)},
            }
        )
    return {"type": "FeatureCollection", "features": features}
