"""MMI contours as GeoJSON: one MultiPolygon per integer intensity, the area shaken at or above it.

Filled contours come from ``contourpy`` (matplotlib's contouring engine, marching squares with linear
interpolation between grid values), so boundaries follow the field smoothly rather than cell edges.
Rings smaller than one grid cell are dropped. Each level's polygons keep their other holes (e.g. a low-intensity basin inside a VII area), are checked
with shapely and repaired with ``make_valid`` if needed, simplified (topology preserved, default
tolerance half a grid cell) and snapped to 1e-4 degrees (about 11 m). Exteriors are counter-clockwise,
holes clockwise (RFC 7946 section 3.1.6). Levels that the field never reaches produce no feature.

Grid convention: ``mmi[i, j]`` is the value at the cell centre (lon = west + j * res,
lat = north - i * res), row 0 to the north, as in ShakeMap's grid.xml.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import contourpy
import numpy as np
import shapely
from numpy.typing import ArrayLike

DEFAULT_LEVELS = tuple(range(4, 11))
COORDINATE_DECIMALS = 4
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class InvalidGridError(ValueError):
    """The intensity grid or its georeference cannot be contoured."""


def roman(n: int) -> str:
    """Roman numeral of an intensity 1..12 (the MMI and EMS/MSK scales' range)."""
    if not isinstance(n, int | np.integer) or not 1 <= int(n) <= 12:
        raise ValueError(f"intensity must be an integer 1..12, got {n!r}")
    return _ROMAN[int(n) - 1]


def _check_grid(mmi: ArrayLike, west: float, north: float, resolution: float) -> np.ndarray:
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


def _polygons_for_level(
    generator: contourpy.ContourGenerator, lower: float, upper: float, min_area: float
) -> list[shapely.Polygon]:
    """Filled-contour polygons, dropping rings smaller than ``min_area`` (sub-cell speckle)."""
    points_list, offsets_list = generator.filled(lower, upper)
    polygons = []
    for points, offsets in zip(points_list, offsets_list, strict=True):
        rings = [shapely.LinearRing(points[offsets[k] : offsets[k + 1]]) for k in range(len(offsets) - 1)]
        if shapely.area(shapely.Polygon(rings[0])) < min_area:
            continue
        holes = [ring for ring in rings[1:] if shapely.area(shapely.Polygon(ring)) >= min_area]
        polygons.append(shapely.Polygon(rings[0], holes))
    return polygons


def _clean(polygons: list[shapely.Polygon], tolerance: float) -> list[shapely.Polygon]:
    """Valid, simplified, snapped, RFC 7946-oriented polygons (contourpy's are disjoint already)."""
    geometries = np.array(polygons, dtype=object)
    invalid = ~shapely.is_valid(geometries)
    if invalid.any():
        geometries[invalid] = shapely.make_valid(geometries[invalid])
    if tolerance > 0.0:
        geometries = shapely.simplify(geometries, tolerance, preserve_topology=True)
    geometries = shapely.set_precision(geometries, 10.0**-COORDINATE_DECIMALS)
    geometries = shapely.orient_polygons(geometries, exterior_cw=False)
    parts = [part for part in shapely.get_parts(geometries) if isinstance(part, shapely.Polygon)]
    parts = [part for part in parts if not part.is_empty]
    if len(parts) > 1 and not shapely.is_valid(shapely.MultiPolygon(parts)):
        # Neighbours simplified or snapped independently can overlap slightly: merge them.
        merged = shapely.orient_polygons(shapely.union_all(parts), exterior_cw=False)
        parts = [part for part in shapely.get_parts(merged) if isinstance(part, shapely.Polygon)]
    return parts


def _ring_coordinates(ring: shapely.LinearRing) -> list[list[float]]:
    return [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in ring.coords]


def _multipolygon_coordinates(polygons: list[shapely.Polygon]) -> list[list[list[list[float]]]]:
    return [
        [_ring_coordinates(polygon.exterior)] + [_ring_coordinates(hole) for hole in polygon.interiors]
        for polygon in polygons
    ]


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
    Islands and holes smaller than ``min_area_cells`` grid cells (default 1) are dropped: below the
    grid's resolution they are noise, and thousands of them make a map unreadable and slow.
    Each feature's properties are ``{"mmi": level, "label": roman(level)}``.
    """
    values = _check_grid(mmi, west, north, resolution)
    tolerance = 0.5 * resolution if simplify_tolerance is None else float(simplify_tolerance)
    min_area = resolution * resolution if min_area_cells is None else min_area_cells * resolution**2
    rows, columns = values.shape
    longitudes = west + resolution * np.arange(columns)
    latitudes = north - resolution * np.arange(rows)[::-1]  # ascending: flip the rows below
    field = np.ma.masked_invalid(values[::-1])
    generator = contourpy.contour_generator(
        longitudes, latitudes, field, fill_type=contourpy.FillType.OuterOffset
    )
    peak = float(np.nanmax(values))
    features = []
    for level in sorted({int(level) for level in levels}):
        threshold = level + threshold_offset
        if threshold > peak:
            continue
        polygons = _polygons_for_level(generator, threshold, peak + 1.0, min_area)
        if not polygons:
            continue
        coordinates = _multipolygon_coordinates(_clean(polygons, tolerance))
        if not coordinates:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
                "properties": {"mmi": level, "label": roman(level)},
            }
        )
    return {"type": "FeatureCollection", "features": features}
