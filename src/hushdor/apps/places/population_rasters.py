"""Resampling a population-count GeoTIFF (any CRS) onto the working grid, conserving people.

Method: each valid source pixel is split into k × k equal sub-pixels (k chosen so a sub-pixel is no
larger than half a working-grid cell), each sub-pixel centre is transformed to WGS84 with pyproj and
its share of the count is added to the working-grid cell holding it. Every person in a source pixel
inside the grid is therefore counted exactly once: the total on the grid equals the total read, less
what falls outside the grid's box. Values equal to the raster's nodata, NaN or negative are not people
and are skipped (and counted). The source must hold counts per pixel (e.g. WorldPop "ppp", GHS-POP),
not densities per km².
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pyproj import CRS, Transformer

from hushdor.apps.places.errors import PlacesImportError
from hushdor.geo.grid import Grid

MAX_SUBDIVISION = 8
BLOCK_SAMPLES = 4_000_000  # sub-pixels transformed per block: bounds the memory of one step


@dataclass(frozen=True)
class ResampledPopulation:
    counts: NDArray[np.float64]  # people per working-grid cell, flat (row 0 north)
    total_read: float  # people in the valid source pixels of the window that covers the grid
    total_on_grid: float
    skipped_pixels: int  # nodata, NaN or negative
    source_resolution: str


def resample_population(path: Path, grid: Grid) -> ResampledPopulation:
    import rasterio
    from rasterio.errors import RasterioIOError
    from rasterio.windows import Window

    if not path.exists():
        raise PlacesImportError(path, "", "", "no such file")
    try:
        source = rasterio.open(path)
    except RasterioIOError as error:
        raise PlacesImportError(path, "", "", f"not a readable raster ({error})") from error
    with source:
        if source.crs is None:
            raise PlacesImportError(path, "", "crs", "the raster declares no coordinate reference system")
        crs = CRS.from_wkt(source.crs.to_wkt())
        to_wgs84 = None if crs.equals(CRS.from_epsg(4326), ignore_axis_order=True) else _to_wgs84(crs)
        bounds = _grid_bounds_in(crs, grid)
        window = _window_over(source.transform, bounds, source.width, source.height)
        if window is None:
            raise PlacesImportError(path, "", "extent", "the raster does not overlap the working grid")
        subdivision = _subdivision(source.transform, to_wgs84, window, grid)
        counts = np.zeros(grid.size, dtype=np.float64)
        total_read, skipped = 0.0, 0
        rows_per_block = max(1, BLOCK_SAMPLES // max(1, int(window.width) * subdivision**2))
        row_off, col_off = int(window.row_off), int(window.col_off)
        for start in range(row_off, row_off + int(window.height), rows_per_block):
            height = min(rows_per_block, row_off + int(window.height) - start)
            block = Window(col_off, start, int(window.width), height)
            data = source.read(1, window=block, masked=True)
            values = np.ma.filled(data.astype(np.float64), np.nan)
            valid = np.isfinite(values) & (values >= 0)
            skipped += int(values.size - valid.sum())
            rows, cols = np.nonzero(valid & (values > 0))
            people = values[rows, cols]
            total_read += float(people.sum())
            _accumulate(
                counts, grid, source.transform, to_wgs84, rows + start, cols + col_off, people, subdivision
            )
    return ResampledPopulation(
        counts=counts,
        total_read=total_read,
        total_on_grid=float(counts.sum()),
        skipped_pixels=skipped,
        source_resolution=f"{abs(source.transform.a):g} x {abs(source.transform.e):g} ({source.crs.to_string()})",
    )


def _window_over(transform, bounds: tuple[float, float, float, float], width: int, height: int):
    """The pixel window (whole pixels, clipped to the raster) covering ``bounds``, or None if none does."""
    from rasterio.windows import Window

    west, south, east, north = bounds
    determinant = transform.a * transform.e - transform.b * transform.d
    cols, rows = [], []
    for x, y in ((west, south), (west, north), (east, south), (east, north)):
        dx, dy = x - transform.c, y - transform.f
        cols.append((transform.e * dx - transform.b * dy) / determinant)
        rows.append((-transform.d * dx + transform.a * dy) / determinant)
    col_start, col_stop = max(0, math.floor(min(cols))), min(width, math.ceil(max(cols)))
    row_start, row_stop = max(0, math.floor(min(rows))), min(height, math.ceil(max(rows)))
    if col_stop <= col_start or row_stop <= row_start:
        return None
    return Window(col_start, row_start, col_stop - col_start, row_stop - row_start)


def _apply(transform, col, row):
    """(x, y) of fractional pixel positions (col, row) under an affine geotransform (arrays welcome)."""
    return (
        transform.a * col + transform.b * row + transform.c,
        transform.d * col + transform.e * row + transform.f,
    )


def _to_wgs84(crs: CRS) -> Transformer:
    return Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True)


def _grid_bounds_in(crs: CRS, grid: Grid) -> tuple[float, float, float, float]:
    if crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return (grid.west, grid.south, grid.east, grid.north)
    forward = Transformer.from_crs(CRS.from_epsg(4326), crs, always_xy=True)
    return forward.transform_bounds(grid.west, grid.south, grid.east, grid.north, densify_pts=41)


def _subdivision(transform, to_wgs84: Transformer | None, window, grid: Grid) -> int:
    """How many sub-pixels per side make a sub-pixel at most half a working-grid cell."""
    col = window.col_off + window.width / 2
    row = window.row_off + window.height / 2
    corners = [_apply(transform, col, row), _apply(transform, col + 1, row), _apply(transform, col, row + 1)]
    if to_wgs84 is not None:
        corners = [to_wgs84.transform(x, y) for x, y in corners]
    (x0, y0), (x1, y1), (x2, y2) = corners
    size_deg = max(math.hypot(x1 - x0, y1 - y0), math.hypot(x2 - x0, y2 - y0))
    return int(min(MAX_SUBDIVISION, max(1, math.ceil(size_deg / (grid.resolution_deg / 2)))))


def _accumulate(
    counts: NDArray[np.float64],
    grid: Grid,
    transform,
    to_wgs84: Transformer | None,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    people: NDArray[np.float64],
    subdivision: int,
) -> None:
    share = people / subdivision**2
    offsets = (np.arange(subdivision) + 0.5) / subdivision
    for row_offset in offsets:
        for col_offset in offsets:
            x, y = _apply(transform, cols + col_offset, rows + row_offset)
            lon, lat = (x, y) if to_wgs84 is None else to_wgs84.transform(x, y)
            cell = grid.index_of(lat, lon)
            inside = cell >= 0
            counts += np.bincount(cell[inside], weights=share[inside], minlength=grid.size)
