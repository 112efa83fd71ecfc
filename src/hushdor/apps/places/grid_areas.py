"""Which area holds each cell of the working grid (a cell belongs to the area holding its centre)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from hushdor.geo.grid import Grid


def cells_in_areas(
    grid: Grid, cell_index: NDArray[np.integer], areas: Sequence[BaseGeometry]
) -> NDArray[np.int16]:
    """For each flat cell index, the position in ``areas`` of the area holding its centre, or -1."""
    lat, lon = grid.centres_of(cell_index)
    owner = np.full(len(cell_index), -1, dtype=np.int16)
    for position, area in enumerate(areas):
        minx, miny, maxx, maxy = area.bounds
        candidates = np.flatnonzero(
            (owner < 0) & (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        )
        if candidates.size == 0:
            continue
        shapely.prepare(area)
        inside = shapely.contains_xy(area, lon[candidates], lat[candidates])
        owner[candidates[inside]] = position
    return owner
