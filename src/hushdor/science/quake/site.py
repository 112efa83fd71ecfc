"""Site conditions: Vs30 from topographic slope, the input to the ground-motion models' site terms.

Table
    Wald, D. J. & Allen, T. I. (2007). Topographic slope as a proxy for seismic site conditions and
    amplification. BSSA 97(5):1379-1395, Table 1, **active tectonic** regions (slope of a 30 arc-second
    DEM, in m/m):

    ======  ===========  =================
    class   Vs30 (m/s)   slope (m/m)
    ======  ===========  =================
    E       < 180        < 1.0e-4
    D       180-240      1.0e-4 - 2.2e-3
    D       240-300      2.2e-3 - 6.3e-3
    D       300-360      6.3e-3 - 0.018
    C       360-490      0.018 - 0.050
    C       490-620      0.050 - 0.10
    C       620-760      0.10 - 0.138
    B       > 760        > 0.138
    ======  ===========  =================

Interpolation
    Like the USGS global Vs30 map (usgs/earthquake-global_vs30, ``src/grad2vs30.c``), log(Vs30) is
    interpolated linearly in log(slope) inside each class, slopes beyond the table are extrapolated
    from the end classes, and the result is capped to 180 <= Vs30 <= 900 m/s; water cells get 600 m/s
    (grad2vs30's default ``water``). Interpolation rather than class midpoints avoids 60-130 m/s steps
    at the class boundaries, which would print the class edges onto the shaking map. Note that the
    USGS code itself uses the *revised* active-tectonic table of Allen & Wald (2009, BSSA 99(2A):935)
    (first bounds 3.0e-4, 3.5e-3, 0.01); it is kept here as ``ALLEN_WALD_2009_ACTIVE`` for comparison.

Slopes depend on DEM resolution: the tables are calibrated on 30 arc-second (about 1 km) SRTM slopes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

EARTH_RADIUS_M = 6_371_000.0
VS30_MIN = 180.0
VS30_MAX = 900.0
WATER_VS30 = 600.0
DEFAULT_VS30 = 760.0

# Rows: (vs30 low, vs30 high, slope low, slope high), contiguous classes.
WALD_ALLEN_2007_ACTIVE: tuple[tuple[float, float, float, float], ...] = (
    (180.0, 240.0, 1.0e-4, 2.2e-3),
    (240.0, 300.0, 2.2e-3, 6.3e-3),
    (300.0, 360.0, 6.3e-3, 0.018),
    (360.0, 490.0, 0.018, 0.050),
    (490.0, 620.0, 0.050, 0.10),
    (620.0, 760.0, 0.10, 0.138),
)
ALLEN_WALD_2009_ACTIVE: tuple[tuple[float, float, float, float], ...] = (
    (180.0, 240.0, 3.0e-4, 3.5e-3),
    (240.0, 300.0, 3.5e-3, 0.01),
    (300.0, 360.0, 0.01, 0.018),
    (360.0, 490.0, 0.018, 0.05),
    (490.0, 620.0, 0.05, 0.10),
    (620.0, 760.0, 0.10, 0.14),
)


class InvalidSiteInputError(ValueError):
    """Elevation, slope or grid description that cannot be turned into Vs30."""


def slope_from_elevation(elevation_m: ArrayLike, lat_centres: ArrayLike, resolution_deg: float) -> FloatArray:
    """Topographic slope (m/m) of a regular lat/lon DEM by central differences.

    ``elevation_m`` is 2-D (rows = latitudes given by ``lat_centres``, columns = longitudes), cell size
    ``resolution_deg`` in both directions. The east-west spacing is R * res * cos(lat) per row; edges
    use one-sided differences (``numpy.gradient``). NaN elevations give NaN slopes around them.
    """
    elevation = np.asarray(elevation_m, dtype=np.float64)
    lats = np.asarray(lat_centres, dtype=np.float64)
    if elevation.ndim != 2 or min(elevation.shape) < 2:
        raise InvalidSiteInputError(f"elevation must be a 2-D array of at least 2x2, got {elevation.shape}")
    if lats.shape != (elevation.shape[0],):
        raise InvalidSiteInputError(
            f"lat_centres must have one latitude per row ({elevation.shape[0]}), got shape {lats.shape}"
        )
    if not np.all(np.abs(lats) < 90.0):
        raise InvalidSiteInputError("lat_centres must be finite latitudes strictly between -90 and 90")
    if not (np.isfinite(resolution_deg) and resolution_deg > 0.0):
        raise InvalidSiteInputError(f"resolution_deg must be a positive number, got {resolution_deg}")
    spacing_m = EARTH_RADIUS_M * np.radians(resolution_deg)
    d_row, d_col = np.gradient(elevation)
    north_south = d_row / spacing_m
    east_west = d_col / (spacing_m * np.cos(np.radians(lats)))[:, None]
    return np.sqrt(north_south * north_south + east_west * east_west)


def vs30_from_slope(
    slope: ArrayLike,
    *,
    water: ArrayLike | None = None,
    table: tuple[tuple[float, float, float, float], ...] = WALD_ALLEN_2007_ACTIVE,
) -> FloatArray:
    """Vs30 (m/s) from slope (m/m), log-log interpolated within the classes of ``table``.

    ``water`` is an optional boolean mask of the same shape; those cells get ``WATER_VS30``. Slopes
    must be finite and >= 0 outside the water mask.
    """
    slopes = np.asarray(slope, dtype=np.float64)
    is_water = np.zeros(slopes.shape, dtype=bool) if water is None else np.asarray(water, dtype=bool)
    if is_water.shape != slopes.shape:
        raise InvalidSiteInputError(f"water mask shape {is_water.shape} differs from slope {slopes.shape}")
    land = slopes[~is_water]
    if not np.all(np.isfinite(land)) or (land.size and land.min() < 0.0):
        raise InvalidSiteInputError("slope must be finite and non-negative on land cells")

    rows = np.log(np.asarray(table, dtype=np.float64))
    log_slope = np.log(np.maximum(slopes, 1e-12))
    # Class index: the first row whose upper slope bound is >= the slope; the end rows extrapolate.
    index = np.clip(np.searchsorted(rows[:, 3], log_slope, side="left"), 0, len(rows) - 1)
    v_low, v_high, s_low, s_high = (rows[index, k] for k in range(4))
    log_vs30 = v_low + (v_high - v_low) * (log_slope - s_low) / (s_high - s_low)
    vs30 = np.clip(np.exp(log_vs30), VS30_MIN, VS30_MAX)
    return np.where(is_water, WATER_VS30, vs30)


def uniform_vs30(n: int, value: float = DEFAULT_VS30) -> FloatArray:
    """``n`` sites of one Vs30 (default 760 m/s, the B/C boundary used as reference rock)."""
    if n < 0:
        raise InvalidSiteInputError(f"number of sites must be >= 0, got {n}")
    if not (np.isfinite(value) and VS30_MIN <= value <= 3000.0):
        raise InvalidSiteInputError(f"Vs30 must be within [{VS30_MIN:g}, 3000] m/s, got {value}")
    return np.full(n, float(value))
