"""The fast path: the default set's models over a fixed set of sites, in float32, per-site constants precomputed.

An assessment evaluates the same ~500,000 sites (the 30″ grid box, the populated cells, the
settlements) for every event. :class:`SiteSet` computes once what does not depend on the event —
the sines and cosines of the half latitudes and longitudes for the haversine, and each model's site
terms (BSSA14's F_lin and f2 depend on Vs30 alone) — and the per-event work is then a handful of
float32 array operations per model, written in place.

What is re-expressed here, and how it stays equal to the reference implementations in
:mod:`hushdor.science.quake.models`, :mod:`~hushdor.science.quake.distances` and
:mod:`~hushdor.science.quake.gmice.worden_2012` (tests compare every kernel with them on the whole
grid; differences are float32 rounding, < 1e-4 relative):

* epicentral distance: the same haversine (R = 6371.0 km), with sin((φ − φ₀)/2) expanded as
  sin(φ/2)·cos(φ₀/2) − cos(φ/2)·sin(φ₀/2) so no trigonometric function runs per site (absolute error
  below 1 m everywhere);
* Joyner–Boore distance of the orientation-averaged line source (M ≥ 6, strike unknown): the same
  table as ``rupture.orientation_averaged_rjb`` (built from ``rupture.mean_rjb_over_strikes_unit``),
  interpolated in float32;
* Bindi et al. (2011) Repi/RepiFixedH: I = a1·M + a2 + a3·log10 h + a4·h − a3·log10 r − a4·r with
  r = √(R² + h²) — the paper's equation with the per-event constants gathered;
* BSSA14 (and high-Q): F_E and the site terms from ``boore_2014``'s own functions, the path term
  evaluated here; the nonlinear site term only where Vs30 < 760 m/s (elsewhere it is zero);
* WGRW12: the three linear segments on log10 Y = ln Y · log10 e (+ log10 981 for PGA).

Models without a kernel (Akkar 2014, Zhao 2006, Kanno 2006, Bindi Rhypo) are evaluated by their
reference ``predict`` on the same distances, in float64: correct, only slower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hushdor.science.quake.gmice import worden_2012
from hushdor.science.quake.models import bindi_2011, boore_2014, get_model
from hushdor.science.quake.rupture import (
    mean_rjb_over_strikes_unit,
    rupture_width_km,
    subsurface_rupture_length_km,
    top_depth_for_centred_hypocentre,
)

Float32Array = NDArray[np.float32]
F32 = np.float32

EARTH_RADIUS_KM = 6371.0  # as distances.EARTH_RADIUS_KM and OpenQuake's geodetic.EARTH_RADIUS
FINITE_SOURCE_MIN_MAGNITUDE = 6.0  # as distances.FINITE_SOURCE_MIN_MAGNITUDE
_RJB_TABLE_INTERVALS = 2048  # as rupture._TABLE_INTERVALS


@dataclass(eq=False)
class SiteSet:
    """Sites (degrees, Vs30 in m/s) with their event-independent constants, float32."""

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    vs30: NDArray[np.float64]
    _constants: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        half_lat = np.radians(self.lat) * 0.5
        half_lon = np.radians(self.lon) * 0.5
        self.sin_half_lat = np.sin(half_lat).astype(F32)
        self.cos_half_lat = np.cos(half_lat).astype(F32)
        self.sin_half_lon = np.sin(half_lon).astype(F32)
        self.cos_half_lon = np.cos(half_lon).astype(F32)
        self.cos_lat = np.cos(2.0 * half_lat).astype(F32)
        self.vs30_32 = np.asarray(self.vs30, dtype=F32)
        _rjb_reduction_table()  # built once per process (about 0.1 s), here rather than in the first event

    @property
    def size(self) -> int:
        return int(self.lat.size)

    def cached(self, key: str, build: Any) -> Any:
        """A per-site constant built once (``build()``) and kept for every later event."""
        if key not in self._constants:
            self._constants[key] = build()
        return self._constants[key]


@dataclass(frozen=True)
class FastDistances:
    """float32 distances (km) per site; ``rjb``/``rrup`` may be the same arrays as ``repi``/``rhypo``."""

    repi: Float32Array
    rhypo: Float32Array
    rjb: Float32Array
    rrup: Float32Array
    source: str


def epicentral_distance(sites: SiteSet, event_lat: float, event_lon: float) -> Float32Array:
    """Haversine distance (km) from the epicentre to every site."""
    lat0, lon0 = math.radians(event_lat) * 0.5, math.radians(event_lon) * 0.5
    sin_dlat = sites.sin_half_lat * F32(math.cos(lat0))
    sin_dlat -= sites.cos_half_lat * F32(math.sin(lat0))
    sin_dlon = sites.sin_half_lon * F32(math.cos(lon0))
    sin_dlon -= sites.cos_half_lon * F32(math.sin(lon0))
    sin_dlat *= sin_dlat
    sin_dlon *= sin_dlon
    sin_dlon *= sites.cos_lat
    sin_dlon *= F32(math.cos(2.0 * lat0))
    sin_dlat += sin_dlon  # the haversine "a"
    np.minimum(sin_dlat, F32(1.0), out=sin_dlat)
    np.sqrt(sin_dlat, out=sin_dlat)
    np.arcsin(sin_dlat, out=sin_dlat)
    sin_dlat *= F32(2.0 * EARTH_RADIUS_KM)
    return sin_dlat


@cache
def _rjb_reduction_table() -> Float32Array:
    """ρ − mean Rjb/a on a grid uniform in u = ρ/(1 + ρ) — the table of rupture.py, float32."""
    u = np.linspace(0.0, 1.0, _RJB_TABLE_INTERVALS + 1)[:-1]
    rho = u / (1.0 - u)
    table = np.empty(_RJB_TABLE_INTERVALS + 2)
    table[:-2] = rho - mean_rjb_over_strikes_unit(rho)
    table[-2:] = 2.0 / np.pi
    return table.astype(F32)


def orientation_averaged_rjb(repi: Float32Array, half_length_km: float) -> Float32Array:
    """Mean Rjb over strikes of a vertical line of half-length a centred on the epicentre.

    One interpolation in the table for every ρ: for ρ ≤ 1 (mean Rjb = 2r/π exactly) the table holds
    ρ·(1 − 2/π) and linear interpolation on the u grid reproduces it to ~2e-7·a, so the exact branch
    of ``rupture.orientation_averaged_rjb`` is not needed.
    """
    table = _rjb_reduction_table()
    rho = repi * F32(1.0 / half_length_km)
    position = rho / (rho + F32(1.0))
    position *= F32(_RJB_TABLE_INTERVALS)
    index = position.astype(np.intp)
    position -= index  # the fraction
    low = np.take(table, index)
    index += 1
    high = np.take(table, index)
    high -= low
    high *= position
    low += high  # the reduction ρ − mean Rjb/a
    low *= F32(-half_length_km)
    low += repi
    return low


def event_distances(
    sites: SiteSet, *, event_lat: float, event_lon: float, depth_km: float, mag: float
) -> FastDistances:
    """Point ("point") or orientation-averaged line ("averaged") distances, as distances.py."""
    repi = epicentral_distance(sites, event_lat, event_lon)
    rhypo = np.sqrt(repi * repi + F32(depth_km * depth_km))
    if mag < FINITE_SOURCE_MIN_MAGNITUDE:
        return FastDistances(repi, rhypo, repi, rhypo, "point")
    length, width = subsurface_rupture_length_km(mag), rupture_width_km(mag)
    top = top_depth_for_centred_hypocentre(depth_km, width, 90.0)
    rjb = orientation_averaged_rjb(repi, 0.5 * length)
    rrup = np.sqrt(rjb * rjb + F32(top * top))
    return FastDistances(repi, rhypo, rjb, rrup, "averaged")


def bindi_repi_intensity(model: Any, mag: float, depth_km: float, distances: FastDistances) -> Float32Array:
    """Bindi et al. (2011) Repi or RepiFixedH MSK-64 intensity, clipped to [1, 12]."""
    coefficients = bindi_2011.COEFFICIENTS[model.variant]
    if model.variant == "RepiFixedH":
        depth = bindi_2011.FIXED_DEPTH_KM
    else:
        depth = max(depth_km, bindi_2011.MINIMUM_DEPTH_KM)
    if depth == depth_km:
        hypocentral = distances.rhypo
    else:
        hypocentral = np.sqrt(distances.repi * distances.repi + F32(depth * depth))
    a3, a4 = coefficients["a3"], coefficients["a4"]
    constant = bindi_2011.magnitude_term(coefficients, mag) + a3 * math.log10(depth) + a4 * depth
    intensity = np.log10(hypocentral)
    intensity *= F32(-a3)
    intensity -= hypocentral * F32(a4)
    intensity += F32(constant)
    np.clip(intensity, F32(bindi_2011.INTENSITY_RANGE[0]), F32(bindi_2011.INTENSITY_RANGE[1]), out=intensity)
    return intensity


def _bssa_site_terms(model: Any, imt: str, sites: SiteSet) -> tuple[Float32Array, Float32Array | None]:
    """(F_lin per site, f2 per site or None when every site is rock, Vs30 >= 760 m/s)."""
    coefficients = model.coefficients[imt]
    linear = boore_2014.linear_site_term(coefficients, sites.vs30).astype(F32)
    slope = boore_2014.nonlinear_slope(coefficients, sites.vs30).astype(F32)
    return linear, (slope if np.any(slope != 0.0) else None)


def _bssa_rock_path(coefficients: Any, mag: float, rake: float, rjb: Float32Array) -> Float32Array:
    """F_E + F_P (eqs. 2–4) at Vs30 = 760 m/s, ln units."""
    radius = np.sqrt(rjb * rjb + F32(coefficients["h"] ** 2))
    spreading = coefficients["c1"] + coefficients["c2"] * (mag - boore_2014.REFERENCE_MAGNITUDE)
    anelastic = coefficients["c3"] + coefficients["Dc3"]
    constant = (
        boore_2014.magnitude_scaling(coefficients, mag, rake) - anelastic * boore_2014.REFERENCE_DISTANCE_KM
    )
    value = np.log(radius)
    value *= F32(spreading)
    radius *= F32(anelastic)
    value += radius
    value += F32(constant)
    return value


def bssa14_ln_motion(
    model: Any, imt: str, mag: float, rake: float, distances: FastDistances, sites: SiteSet
) -> Float32Array:
    """BSSA14 (base or high-Q) ln PGA (g) or ln PGV (cm/s), with the Vs30 site term."""
    linear, slope = sites.cached(f"{model.name}:{imt}:site", lambda: _bssa_site_terms(model, imt, sites))
    rjb = distances.rjb
    mean = _bssa_rock_path(model.coefficients[imt], mag, rake, rjb)
    if slope is not None:  # F_nl = f1 + f2·ln(1 + PGA_r/f3); f2 = 0 on rock, so no mask is needed
        rock_pga = mean.copy() if imt == "PGA" else _bssa_rock_path(model.coefficients["PGA"], mag, rake, rjb)
        nonlinear = np.exp(rock_pga, out=rock_pga)
        nonlinear *= F32(1.0 / boore_2014.NONLINEAR_F3)
        np.log1p(nonlinear, out=nonlinear)
        nonlinear *= slope
        nonlinear += F32(boore_2014.NONLINEAR_F1)
        mean += nonlinear
    mean += linear
    return mean


def wgrw12_intensity(imt: str, ln_motion: Float32Array) -> Float32Array:
    """Worden et al. (2012) MMI from ln PGA (g) or ln PGV (cm/s), no residual term; overwrites the input.

    Branch-free: the middle segment C1 + C2·L, plus the step to C3 + C4·L where L ≥ T1 and to
    C1_low + C2_low·L where L < T1_low (masks as 0/1 factors: no data-dependent branches).
    """
    name, c = worden_2012.coefficients_for(imt)
    log10_motion = ln_motion
    log10_motion *= F32(worden_2012.LOG10_E)
    log10_motion += F32(worden_2012.log10_units_offset(name))
    mmi = log10_motion * F32(c["C2"])
    mmi += F32(c["C1"])
    for step, intercept, slope in (
        (log10_motion >= F32(c["T1"]), c["C3"] - c["C1"], c["C4"] - c["C2"]),
        (log10_motion < F32(c["T1_low"]), c["C1_low"] - c["C1"], c["C2_low"] - c["C2"]),
    ):
        change = log10_motion * F32(slope)
        change += F32(intercept)
        change *= step
        mmi += change
    np.clip(mmi, F32(worden_2012.MMI_RANGE[0]), F32(worden_2012.MMI_RANGE[1]), out=mmi)
    return mmi


def _reference_prediction(
    model: Any, imt: str, mag: float, depth_km: float, rake: float, distances: FastDistances, sites: SiteSet
) -> NDArray[np.float64]:
    distance = np.asarray(getattr(distances, model.distance), dtype=np.float64)
    prediction = model.predict(
        imt, mag=mag, distance=distance, hypo_depth=depth_km, vs30=sites.vs30, rake=rake
    )
    return np.asarray(prediction.mean)


def branch_mmi(
    model_name: str,
    imt: str,
    *,
    mag: float,
    depth_km: float,
    rake: float,
    distances: FastDistances,
    sites: SiteSet,
) -> Float32Array:
    """One branch's MMI at every site (kernel if there is one, the reference model otherwise)."""
    model = get_model(model_name)
    if isinstance(model, bindi_2011.BindiEtAl2011) and model.variant != "Rhypo":
        return bindi_repi_intensity(model, mag, depth_km, distances)
    if isinstance(model, boore_2014.BooreEtAl2014Model):
        ln_motion = bssa14_ln_motion(model, imt, mag, rake, distances, sites)
    else:
        ln_motion = _reference_prediction(model, imt, mag, depth_km, rake, distances, sites).astype(F32)
    if imt == "MMI":
        return ln_motion  # the reference model's own intensity (already clipped)
    return wgrw12_intensity(imt, ln_motion)
