"""The population-density map layer: a PNG rendered from the active grid, for a Leaflet image overlay.

People per km² on a logarithmic colour scale (1 to 10,000 per km², matplotlib's "magma_r"), fully
transparent where nobody lives. Leaflet stretches an image overlay linearly in Web Mercator, so
the rows are resampled to equal steps of Mercator y to keep the picture on its cells.
"""

from __future__ import annotations

import io
import threading

import numpy as np
from matplotlib import colormaps
from PIL import Image

from hushdor.apps.places.selectors import population_grid_active, population_grid_key

DENSITY_FLOOR_PER_KM2 = 1.0
DENSITY_CEILING_PER_KM2 = 10_000.0
OPACITY = 0.72

_lock = threading.Lock()
_cache: dict[str, bytes] = {}


def population_density_png() -> tuple[bytes, tuple[float, float, float, float]]:
    """(PNG bytes, (south, west, north, east)) for the active grid; cached per grid."""
    population = population_grid_active()
    key = population_grid_key()
    grid = population.grid
    bounds = (grid.south, grid.west, grid.north, grid.east)
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = _render(population)
        return _cache[key], bounds


def _mercator_y(lat_deg: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(lat_deg) / 2))


def _render(population) -> bytes:
    grid = population.grid
    counts = np.zeros(grid.size, dtype=np.float64)
    counts[np.asarray(population.cell_index, dtype=np.int64)] = population.population
    density = counts.reshape(grid.shape) / grid.cell_area_km2()[:, None]
    y_north, y_south = _mercator_y(np.array([grid.north, grid.south]))
    centres = y_north - (np.arange(grid.nrows) + 0.5) * (y_north - y_south) / grid.nrows
    latitudes = np.degrees(2 * np.arctan(np.exp(centres)) - np.pi / 2)
    rows = np.clip(np.floor((grid.north - latitudes) / grid.resolution_deg).astype(int), 0, grid.nrows - 1)
    density = density[rows]
    clipped = np.clip(density, DENSITY_FLOOR_PER_KM2, DENSITY_CEILING_PER_KM2)
    scaled = np.log10(clipped / DENSITY_FLOOR_PER_KM2) / np.log10(
        DENSITY_CEILING_PER_KM2 / DENSITY_FLOOR_PER_KM2
    )
    rgba = colormaps["magma_r"](scaled, bytes=True)
    rgba[..., 3] = np.where(density > 0, round(255 * OPACITY), 0)
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
