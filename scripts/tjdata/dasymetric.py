"""Dasymetric distribution of district totals over the working grid (a MODELED, indicative surface).

Approach: dasymetric mapping (Mennis, J. 2003, "Generating surface models of population using
dasymetric mapping", The Professional Geographer 55(1): 31-42): a district's total is split into a
settlement part and a rural part, and each part is spread with ancillary weights.
- Settlement part: each GeoNames place with population p > 0 is spread with a Gaussian kernel of
  sigma = KERNEL_BASE_KM + KERNEL_SCALE_KM * sqrt(p / 100,000) (a town of 10,000 gets ~1 km, a
  city of 680,000 ~4.4 km), truncated at 3 sigma. If the places of a district add up to more than
  URBAN_SHARE_CAP of its total (GeoNames mixes town and municipality figures) they are scaled down.
- Rural part (the rest): spread over habitable cells in proportion to
      rural_weight = exp(-z / 1500 m) * exp(-slope / 10°) * (1 + 2 exp(-d_river / 2 km)).
Nothing goes on lake cells, nor on cells above `max_elevation_m` except a settlement's own cell.
These constants are modelling choices made for this placeholder, not published coefficients;
docs/data.md says so and explains how to replace the grid with WorldPop / GHS-POP / LandScan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hushdor.geo.grid import Grid
from tjdata.rasters import cell_size_km

KERNEL_BASE_KM = 0.5
KERNEL_SCALE_KM = 1.5
URBAN_SHARE_CAP = 0.85
ELEVATION_SCALE_M = 1500.0
SLOPE_SCALE_DEG = 10.0
RIVER_BONUS = 2.0
RIVER_SCALE_KM = 2.0
DEFAULT_MAX_ELEVATION_M = 4200.0


@dataclass(frozen=True)
class Terrain:
    elevation: NDArray[np.int16]
    slope_deg: NDArray[np.float64]
    river_distance_km: NDArray[np.float64]
    lake: NDArray[np.bool_]


def rural_weight(terrain: Terrain, max_elevation_m: float) -> NDArray[np.float64]:
    """Relative habitability of each cell (0 on lakes and above max_elevation_m)."""
    elevation = terrain.elevation.astype(np.float64)
    weight = np.exp(-np.clip(elevation, 0, None) / ELEVATION_SCALE_M)
    weight *= np.exp(-terrain.slope_deg / SLOPE_SCALE_DEG)
    weight *= 1.0 + RIVER_BONUS * np.exp(-terrain.river_distance_km / RIVER_SCALE_KM)
    weight[terrain.lake | (elevation > max_elevation_m)] = 0.0
    return weight


def kernel_sigma_km(population: float) -> float:
    return KERNEL_BASE_KM + KERNEL_SCALE_KM * float(np.sqrt(population / 100_000.0))


def _settlement_kernel(
    grid: Grid, lat: float, lon: float, sigma_km: float, allowed: NDArray[np.bool_]
) -> tuple[slice, slice, NDArray[np.float64]] | None:
    """Normalised kernel of one place on the allowed cells near it (None if no cell is allowed)."""
    centre = int(grid.index_of(lat, lon))
    if centre < 0:
        return None
    row, col = divmod(centre, grid.ncols)
    dx_km, dy_km = cell_size_km(grid)
    reach_rows = int(np.ceil(3 * sigma_km / dy_km))
    reach_cols = int(np.ceil(3 * sigma_km / dx_km[row]))
    rows = slice(max(row - reach_rows, 0), min(row + reach_rows + 1, grid.nrows))
    cols = slice(max(col - reach_cols, 0), min(col + reach_cols + 1, grid.ncols))
    cell_lat = grid.row_centres()[rows][:, None]
    cell_lon = grid.column_centres()[cols][None, :]
    north_km = (cell_lat - lat) * dy_km / grid.resolution_deg
    east_km = (cell_lon - lon) * dx_km[row] / grid.resolution_deg
    kernel = np.exp(-0.5 * (north_km**2 + east_km**2) / sigma_km**2) * allowed[rows, cols]
    if kernel.sum() <= 0:
        return None
    return rows, cols, kernel / kernel.sum()


def distribute(
    grid: Grid,
    district_index: NDArray[np.int16],
    district_totals: list[float],
    places: list[dict[str, Any]],
    terrain: Terrain,
    max_elevation_m: float = DEFAULT_MAX_ELEVATION_M,
) -> tuple[NDArray[np.float64], list[dict[str, Any]]]:
    """Population per cell (2-D) whose sum over each district equals its total; per-district notes."""
    population = np.zeros(grid.shape)
    rural = rural_weight(terrain, max_elevation_m)
    below_cap = terrain.elevation.astype(np.float64) <= max_elevation_m
    notes = []
    for district, total in enumerate(district_totals):
        in_district = district_index == district
        members = [p for p in places if p["district_index"] == district and p["population"] > 0]
        settled = float(sum(p["population"] for p in members))
        scale = min(1.0, URBAN_SHARE_CAP * total / settled) if settled > 0 else 0.0
        urban = np.zeros(grid.shape)
        for place in members:
            allowed = in_district & ~terrain.lake & below_cap
            centre = int(grid.index_of(place["lat"], place["lon"]))
            if centre >= 0 and in_district.ravel()[centre] and not terrain.lake.ravel()[centre]:
                allowed.ravel()[centre] = True  # a place's own cell is inhabited whatever its height
            kernel = _settlement_kernel(
                grid, place["lat"], place["lon"], kernel_sigma_km(place["population"]), allowed
            )
            if kernel is None:
                kernel = _settlement_kernel(grid, place["lat"], place["lon"], 50.0, allowed)
            if kernel is None:
                continue
            rows, cols, weights = kernel
            urban[rows, cols] += place["population"] * scale * weights
        remainder = total - urban.sum()
        rural_here = np.where(in_district, rural, 0.0)
        if rural_here.sum() > 0:
            population += urban + remainder * rural_here / rural_here.sum()
        elif urban.sum() > 0:
            population += urban * (total / urban.sum())
        else:
            raise ValueError(f"district #{district} has no habitable cell and no settlement")
        notes.append({"settlement_share": round(urban.sum() / total, 4), "settlement_scale": round(scale, 4)})
    return population, notes
