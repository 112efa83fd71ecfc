"""Regular latitude/longitude grids, and the working grid every Hushdor layer shares.

The working grid is a fixed contract (other modules index arrays by it):
30 arc-seconds (1/120 degree), west 67.3, east 75.2, south 36.6, north 41.1 (WGS84),
so 948 columns by 540 rows = 511,920 cells. Row 0 is the NORTH row. The centre of
cell (row r, column c) is (lat = north - (r + 0.5) * res, lon = west + (c + 0.5) * res)
and its flat index is r * ncols + c.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hushdor.geo.errors import GridError

WORKING_RESOLUTION_DEG = 1.0 / 120.0


@dataclass(frozen=True)
class Grid:
    """A north-up regular grid of `nrows` by `ncols` cells of `resolution_deg` degrees."""

    west: float
    south: float
    east: float
    north: float
    resolution_deg: float
    ncols: int
    nrows: int

    def __post_init__(self) -> None:
        if self.resolution_deg <= 0 or self.ncols <= 0 or self.nrows <= 0:
            raise GridError(f"grid needs a positive resolution and size, got {self}")
        for name, extent, count in (
            ("east - west", self.east - self.west, self.ncols),
            ("north - south", self.north - self.south, self.nrows),
        ):
            if abs(extent - count * self.resolution_deg) > 1e-6 * self.resolution_deg * count:
                raise GridError(f"{name} = {extent} is not {count} cells of {self.resolution_deg} degrees")

    @property
    def shape(self) -> tuple[int, int]:
        """(nrows, ncols), the shape of a 2-D array on this grid."""
        return (self.nrows, self.ncols)

    @property
    def size(self) -> int:
        return self.nrows * self.ncols

    def row_centres(self) -> NDArray[np.float64]:
        """Latitude of each row's cell centres, north to south."""
        return self.north - (np.arange(self.nrows) + 0.5) * self.resolution_deg

    def column_centres(self) -> NDArray[np.float64]:
        """Longitude of each column's cell centres, west to east."""
        return self.west + (np.arange(self.ncols) + 0.5) * self.resolution_deg

    @overload
    def cell_centres(
        self, layout: Literal["flat"] = "flat"
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
    @overload
    def cell_centres(self, layout: Literal["2d"]) -> tuple[NDArray[np.float64], NDArray[np.float64]]: ...
    def cell_centres(
        self, layout: Literal["flat", "2d"] = "flat"
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """(lat, lon) of every cell centre: 1-D over flat indices, or 2-D arrays of `shape`."""
        if layout not in ("flat", "2d"):
            raise GridError(f"layout must be 'flat' or '2d', got {layout!r}")
        lon2d, lat2d = np.meshgrid(self.column_centres(), self.row_centres())
        if layout == "2d":
            return lat2d, lon2d
        return lat2d.ravel(), lon2d.ravel()

    def centres_of(self, flat_index: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """(lat, lon) of the centres of the given flat indices."""
        index = np.asarray(flat_index, dtype=np.int64)
        if index.size and (index.min() < 0 or index.max() >= self.size):
            raise GridError(f"flat index outside 0..{self.size - 1}")
        rows, cols = np.divmod(index, self.ncols)
        lat = self.north - (rows + 0.5) * self.resolution_deg
        lon = self.west + (cols + 0.5) * self.resolution_deg
        return lat, lon

    def index_of(self, lat: ArrayLike, lon: ArrayLike) -> NDArray[np.int64]:
        """Flat index of the cell holding each (lat, lon); -1 where the point is off the grid.

        A point on the boundary between two cells belongs to the cell to its south-east,
        except on the grid's east and south edges, which belong to the last column and row.
        """
        lat_array = np.asarray(lat, dtype=np.float64)
        lon_array = np.asarray(lon, dtype=np.float64)
        if lat_array.shape != lon_array.shape:
            raise GridError(f"lat and lon differ in shape: {lat_array.shape} vs {lon_array.shape}")
        finite = np.isfinite(lat_array) & np.isfinite(lon_array)
        lat_array = np.where(finite, lat_array, self.north + 1.0)  # any off-grid value
        lon_array = np.where(finite, lon_array, self.west - 1.0)
        rows = np.floor((self.north - lat_array) / self.resolution_deg).astype(np.int64)
        cols = np.floor((lon_array - self.west) / self.resolution_deg).astype(np.int64)
        rows = np.where(lat_array == self.south, self.nrows - 1, rows)
        cols = np.where(lon_array == self.east, self.ncols - 1, cols)
        inside = (rows >= 0) & (rows < self.nrows) & (cols >= 0) & (cols < self.ncols)
        return np.where(inside, rows * self.ncols + cols, -1)

    def cell_area_km2(self) -> NDArray[np.float64]:
        """Area of each row's cells in km² (spherical Earth, radius 6,371.0088 km), north to south."""
        earth_radius_km = 6371.0088
        edges = np.radians(self.north - np.arange(self.nrows + 1) * self.resolution_deg)
        band = np.sin(edges[:-1]) - np.sin(edges[1:])
        return earth_radius_km**2 * np.radians(self.resolution_deg) * band


def working_grid() -> Grid:
    """The 30″ grid over Tajikistan that every packaged raster (elevation, population) uses."""
    return Grid(
        west=67.3,
        south=36.6,
        east=75.2,
        north=41.1,
        resolution_deg=WORKING_RESOLUTION_DEG,
        ncols=948,
        nrows=540,
    )
