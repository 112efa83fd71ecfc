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
  sin(φ/2)·cos(φ₀/2) − cos(φ/2)·sin(φ₀/2) (likewise for λ) so no trigonometric function runs per
  site (absolute error about 1 m at most, float32);
* Joyner–Boore distance of the orientation-averaged line source (M ≥ 6, strike unknown): the same
  table as ``rupture.orientation_averaged_rjb`` (built from ``rupture.mean_rjb_over_strikes_unit``),
  interpolated in float32;
* Bindi et al. (2011) Repi/RepiFixedH: I = a1·M + a2 + a3·log10 h + a4·h − a3·log10 r − a4·r with
  r = √(R² + h²) — the paper's equation with the per-event constants gathered;
* BSSA14 (and high-Q): F_E and the site terms from ``boore_2014``'s own functions, the path term
  evaluated here from Rjb² shared by the motion and the rock PGA of the nonlinear site term (f2 = 0
  where Vs30 ≥ 760 m/s, so it needs no mask);
* Zhao et al. (2006) crustal and in-slab: the event terms of ``zhao_2006`` gathered into one constant,
  the distance terms on Rrup evaluated here, the site-class term per site precomputed;
* WGRW12: the three linear segments on log10 Y = ln Y · log10 e (+ log10 981 for PGA).

Models without a kernel (Akkar 2014, Kanno 2006, Bindi Rhypo) are evaluated by their
reference ``predict`` on the same distances, in float64: correct, only slower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hushdor.science.quake.gmice import worden_2012
from hushdor.science.quake.models import bindi_2011, boore_2014, get_model, zhao_2006
from hushdor.science.quake.models.base import check_imt
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
        root_cos_lat = np.sqrt(np.cos(2.0 * half_lat))
        self.sin_half_lat = np.sin(half_lat).astype(F32)
        self.cos_half_lat = np.cos(half_lat).astype(F32)
        self.root_cos_lat_sin_half_lon = (root_cos_lat * np.sin(half_lon)).astype(F32)
        self.root_cos_lat_cos_half_lon = (root_cos_lat * np.cos(half_lon)).astype(F32)
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


@dataclass(eq=False)
class FastDistances:
    """float32 distances (km) per site. ``rhypo`` and ``rrup`` are computed on first use.

    ``rhypo`` = √(repi² + depth²), ``rrup`` = √(rjb² + top²) (the vertical line source's top edge; a
    point source has ``rjb is repi`` and top = depth, so its ``rrup`` is ``rhypo``).
    :meth:`given` wraps distances computed elsewhere (distances.py's line source, OpenQuake's).
    """

    repi: Float32Array
    rjb: Float32Array
    source: str
    depth_km: float = 0.0
    top_depth_km: float = 0.0

    @classmethod
    def given(
        cls,
        repi: Float32Array,
        rhypo: Float32Array,
        rjb: Float32Array,
        rrup: Float32Array,
        source: str,
        *,
        depth_km: float = math.nan,
    ) -> FastDistances:
        """Distances computed elsewhere; ``depth_km`` is the depth ``rhypo`` was computed with, if known."""
        distances = cls(repi, rjb, source, depth_km, math.nan)
        distances.__dict__.update(rhypo=rhypo, rrup=rrup)  # fills the cached properties
        return distances

    @cached_property
    def rhypo(self) -> Float32Array:
        return _hypotenuse(self.repi, self.depth_km)

    @cached_property
    def rrup(self) -> Float32Array:
        if self.rjb is self.repi and self.top_depth_km == self.depth_km:
            return self.rhypo
        return _hypotenuse(self.rjb, self.top_depth_km)


def _hypotenuse(distance: Float32Array, depth_km: float) -> Float32Array:
    result = distance * distance
    result += F32(depth_km * depth_km)
    return np.sqrt(result, out=result)


def epicentral_distance(sites: SiteSet, event_lat: float, event_lon: float) -> Float32Array:
    """Haversine distance (km) from the epicentre to every site.

    a = sin²(Δφ/2) + cos φ·cos φ₀·sin²(Δλ/2), with √(cos φ) folded into the per-site constants and
    √(cos φ₀) into the per-event ones, so that the per-site work is products and sums.
    """
    lat0, lon0 = math.radians(event_lat) * 0.5, math.radians(event_lon) * 0.5
    root_cos_lat0 = math.sqrt(math.cos(2.0 * lat0))
    sin_dlat = sites.sin_half_lat * F32(math.cos(lat0))
    sin_dlat -= sites.cos_half_lat * F32(math.sin(lat0))
    sin_dlat *= sin_dlat
    sin_dlon = sites.root_cos_lat_sin_half_lon * F32(root_cos_lat0 * math.cos(lon0))
    sin_dlon -= sites.root_cos_lat_cos_half_lon * F32(root_cos_lat0 * math.sin(lon0))
    sin_dlon *= sin_dlon
    sin_dlat += sin_dlon  # the haversine "a"
    return _two_r_arcsin_sqrt(sin_dlat)


# asin x = x·(1 + a/6 + 3a²/40 + 15a³/336 + 105a⁴/3456 + 945a⁵/42240 + …) with a = x². Inside the series'
# range (x ≤ 1/4: every site within ~3,200 km of the epicentre) the terms are kept while the largest
# value they reach is above 1e-8 (float32 resolves 6e-8); the first one dropped is then below 1e-8·x
# and so are all the rest together (each is under a/4 of the one before).
_ASIN_SERIES = (1.0, 1.0 / 6.0, 3.0 / 40.0, 15.0 / 336.0, 105.0 / 3456.0, 945.0 / 42240.0)
_ASIN_SERIES_MAX_SQUARE = 1.0 / 16.0
_ASIN_SERIES_NEGLIGIBLE = 1e-8


def _two_r_arcsin_sqrt(a: Float32Array) -> Float32Array:
    """2R·asin(√a), overwriting ``a``: the Taylor series (products only) when every √a ≤ 1/4.

    float32 ``np.arcsin`` has no vectorised loop in numpy and costs ~7 ns per site; the series, with
    only the terms the largest ``a`` needs (3 for a Tajik grid), costs well under 1 ns and is exact to
    float32 rounding inside its range. Beyond it: ``np.arcsin`` (a clipped to 1).
    """
    largest = float(a.max()) if a.size else 0.0
    if largest > _ASIN_SERIES_MAX_SQUARE:
        np.minimum(a, F32(1.0), out=a)
        np.sqrt(a, out=a)
        np.arcsin(a, out=a)
        a *= F32(2.0 * EARTH_RADIUS_KM)
        return a
    terms = 1
    while terms < len(_ASIN_SERIES) and _ASIN_SERIES[terms] * largest**terms > _ASIN_SERIES_NEGLIGIBLE:
        terms += 1
    root = np.sqrt(a)
    if terms > 1:  # Horner on a, from the highest kept term down to 1
        series = a * F32(_ASIN_SERIES[terms - 1])
        for coefficient in reversed(_ASIN_SERIES[1 : terms - 1]):
            series += F32(coefficient)
            series *= a
        series += F32(1.0)
        root *= series
    root *= F32(2.0 * EARTH_RADIUS_KM)
    return root


@cache
def _rjb_reduction_table() -> NDArray[np.complex64]:
    """(ρ − mean Rjb/a, its step to the next node) per node of a grid uniform in u = ρ/(1 + ρ), float32.

    The values are the table of rupture.py; each node's pair is packed in one complex64 so that a single
    gather fetches both.
    """
    u = np.linspace(0.0, 1.0, _RJB_TABLE_INTERVALS + 1)[:-1]
    rho = u / (1.0 - u)
    table = np.empty(_RJB_TABLE_INTERVALS + 2)
    table[:-2] = rho - mean_rjb_over_strikes_unit(rho)
    table[-2:] = 2.0 / np.pi
    pairs = np.empty((_RJB_TABLE_INTERVALS + 1, 2), dtype=F32)
    pairs[:, 0] = table[:-1]
    pairs[:, 1] = np.diff(table)
    return pairs.view(np.complex64).reshape(-1)


def orientation_averaged_rjb(repi: Float32Array, half_length_km: float) -> Float32Array:
    """Mean Rjb over strikes of a vertical line of half-length a centred on the epicentre.

    One interpolation in the table for every ρ: for ρ ≤ 1 (mean Rjb = 2r/π exactly) the table holds
    ρ·(1 − 2/π) and linear interpolation on the u grid reproduces it to ~2e-7·a, so the exact branch
    of ``rupture.orientation_averaged_rjb`` is not needed. The table position is u·n = n·r/(r + a), and
    the table is scaled by −a once per event, so Rjb = r + (low + fraction·step).
    """
    scaled_table = (_rjb_reduction_table().view(F32) * F32(-half_length_km)).view(np.complex64)
    position = repi * F32(_RJB_TABLE_INTERVALS)
    denominator = repi + F32(half_length_km)
    np.divide(position, denominator, out=position)  # u·n
    node = np.floor(position)
    position -= node  # the fraction
    pairs = np.take(scaled_table, node.astype(np.intp)).view(F32).reshape(-1, 2)
    rjb = np.multiply(pairs[:, 1], position, out=denominator)
    rjb += pairs[:, 0]  # −a·(ρ − mean Rjb/a)
    rjb += repi
    return rjb


def event_distances(
    sites: SiteSet, *, event_lat: float, event_lon: float, depth_km: float, mag: float
) -> FastDistances:
    """Point ("point") or orientation-averaged line ("averaged") distances, as distances.py."""
    repi = epicentral_distance(sites, event_lat, event_lon)
    if mag < FINITE_SOURCE_MIN_MAGNITUDE:
        return FastDistances(repi, repi, "point", depth_km, depth_km)
    length, width = subsurface_rupture_length_km(mag), rupture_width_km(mag)
    top = top_depth_for_centred_hypocentre(depth_km, width, 90.0)
    rjb = orientation_averaged_rjb(repi, 0.5 * length)
    return FastDistances(repi, rjb, "averaged", depth_km, float(top))


def bindi_repi_intensity(model: Any, mag: float, depth_km: float, distances: FastDistances) -> Float32Array:
    """Bindi et al. (2011) Repi or RepiFixedH MSK-64 intensity, clipped to [1, 12]."""
    coefficients = bindi_2011.COEFFICIENTS[model.variant]
    if model.variant == "RepiFixedH":
        depth = bindi_2011.FIXED_DEPTH_KM
    else:
        depth = max(depth_km, bindi_2011.MINIMUM_DEPTH_KM)
    same_depth = depth == distances.depth_km
    hypocentral = distances.rhypo if same_depth else _hypotenuse(distances.repi, depth)
    a3, a4 = coefficients["a3"], coefficients["a4"]
    constant = bindi_2011.magnitude_term(coefficients, mag) + a3 * math.log10(depth) + a4 * depth
    intensity = np.log(hypocentral)  # float32 log10 has no vectorised loop in numpy; ln is 5× faster
    intensity *= F32(-a3 / math.log(10.0))
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


def _bssa_rock_path(
    coefficients: Any, mag: float, rake: float, rjb_squared: Float32Array, offset: float = 0.0
) -> Float32Array:
    """F_E + F_P (eqs. 2–4) at Vs30 = 760 m/s, ln units, plus ``offset``; from Rjb² (shared by IMTs)."""
    radius = rjb_squared + F32(coefficients["h"] ** 2)
    np.sqrt(radius, out=radius)
    spreading = coefficients["c1"] + coefficients["c2"] * (mag - boore_2014.REFERENCE_MAGNITUDE)
    anelastic = coefficients["c3"] + coefficients["Dc3"]
    constant = (
        boore_2014.magnitude_scaling(coefficients, mag, rake)
        - anelastic * boore_2014.REFERENCE_DISTANCE_KM
        - spreading * math.log(boore_2014.REFERENCE_DISTANCE_KM)
        + offset
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
    """BSSA14 (base or high-Q) ln PGA (g) or ln PGV (cm/s), with the Vs30 site term.

    Rjb² is computed once for the motion and the rock PGA of the nonlinear site term; ln(PGA_r/f3)
    comes out of the rock path directly (−ln f3 folded into its constant).
    """
    linear, slope = sites.cached(f"{model.name}:{imt}:site", lambda: _bssa_site_terms(model, imt, sites))
    rjb_squared = distances.rjb * distances.rjb
    mean = _bssa_rock_path(model.coefficients[imt], mag, rake, rjb_squared)
    mean += linear
    if slope is not None:  # F_nl = f1 + f2·ln(1 + PGA_r/f3); f2 = 0 on rock, so no mask is needed
        scaled_rock_pga = _bssa_rock_path(
            model.coefficients["PGA"], mag, rake, rjb_squared, offset=-math.log(boore_2014.NONLINEAR_F3)
        )
        nonlinear = np.exp(scaled_rock_pga, out=scaled_rock_pga)  # PGA_r/f3
        nonlinear += F32(1.0)  # ln(1 + y) by the vectorised float32 log (log1p has no such loop);
        np.log(nonlinear, out=nonlinear)  # absolute error ≤ 6e-8, then scaled by |f2| < 1
        nonlinear *= slope
        if boore_2014.NONLINEAR_F1:
            nonlinear += F32(boore_2014.NONLINEAR_F1)
        mean += nonlinear
    return mean


def _zhao_site_terms(imt: str, sites: SiteSet) -> Float32Array:
    return np.asarray(zhao_2006.site_class_term(zhao_2006.CRUSTAL_COEFFICIENTS[imt], sites.vs30), dtype=F32)


def zhao2006_ln_motion(
    model: Any, imt: str, mag: float, depth_km: float, rake: float, distances: FastDistances, sites: SiteSet
) -> Float32Array:
    """Zhao et al. (2006) crustal or in-slab ln PGA/SA (g) on Rrup, with the site-class term.

    The event terms of ``zhao_2006.crustal_ln_mean``/``slab_ln_mean`` are gathered into one constant;
    per site: b·x − ln(x + c·exp(d·M)) [+ S_SL·ln x for slab events] + S_k, x = Rrup (slab: ≥ 0.1 km).
    """
    name = check_imt(model.name, imt, model.imts)
    coefficients = zhao_2006.CRUSTAL_COEFFICIENTS[name]
    site_term = sites.cached(f"Zhao2006:{name}:site", lambda: _zhao_site_terms(name, sites))
    constant = coefficients["a"] * mag + zhao_2006.focal_depth_term(coefficients, depth_km)
    constant += zhao_2006.LN_CM_S2_TO_G
    if model.slab:
        slab = zhao_2006.SLAB_COEFFICIENTS[name]
        constant += zhao_2006.magnitude_squared_term(slab["PS"], 6.5, slab["QS"], slab["WS"], mag)
        constant += slab["SS"]
        distance = np.maximum(distances.rrup, F32(zhao_2006.SLAB_MINIMUM_DISTANCE_KM))
    else:
        constant += zhao_2006.reverse_faulting_term(coefficients, rake)
        constant += zhao_2006.magnitude_squared_term(0.0, 6.3, coefficients["QC"], coefficients["WC"], mag)
        distance = distances.rrup  # shared: not written to
    near_source = distance + F32(coefficients["c"] * math.exp(coefficients["d"] * mag))
    np.log(near_source, out=near_source)
    mean = distance * F32(coefficients["b"])
    mean += F32(constant)
    mean -= near_source
    if model.slab:
        log_distance = np.log(distance, out=distance)
        log_distance *= F32(slab["SSL"])
        mean += log_distance
    mean += site_term
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
    elif isinstance(model, zhao_2006.ZhaoEtAl2006Model):
        ln_motion = zhao2006_ln_motion(model, imt, mag, depth_km, rake, distances, sites)
    else:
        ln_motion = _reference_prediction(model, imt, mag, depth_km, rake, distances, sites).astype(F32)
    if imt == "MMI":
        return ln_motion  # the reference model's own intensity (already clipped)
    return wgrw12_intensity(imt, ln_motion)
