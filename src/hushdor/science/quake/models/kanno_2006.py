"""Kanno et al. (2006) attenuation relations for Japan: shallow (≤ 30 km) and deep events.

Reference: Kanno, T., Narita, A., Morikawa, N., Fujiwara, H. & Fukushima, Y. (2006). "A new
attenuation relation for strong ground motion in Japan based on recorded data". Bulletin of the
Seismological Society of America 96(3), 879–897 (equations 5, 6, 8, 9; Tables 3–5).

Implemented as OpenQuake hazardlib 3.26.2 does (gem/oq-engine ``openquake/hazardlib/gsim/kanno_2006.py``,
classes ``Kanno2006Shallow`` and ``Kanno2006Deep``; peak of the square-root-of-sum-of-squares
horizontal). Coefficient tables: ``tables/oq_coeffs_kanno2006_shallow_base.csv``,
``tables/oq_coeffs_kanno2006_deep_base.csv`` and ``tables/oq_coeffs_kanno2006_site.csv``.

log10 pre = a·M + b·X − log10(X + d·10^(0.5·M)) + c      (eq. 5; deep events eq. 6: d = 0)
log10 pre_G = log10 pre + p·log10(Vs30) + q              (eqs. 8–9)

pre in cm/s² (PGA, SA) or cm/s (PGV); converted to ln, and accelerations to g (g = 9.80665 m/s²).
σ = ε·ln 10 (total only). X is the rupture distance; for the deep model (d = 0) X = 0 is a
singularity, so Hushdor floors X at 1 km there (the verification grids start at 1 km).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from hushdor.science.quake.models.base import (
    ArrayLike,
    FloatArray,
    Prediction,
    as_distances,
    as_magnitude,
    as_vs30,
    check_imt,
    constant,
)
from hushdor.science.quake.models.coefficients import CoefficientRow, read_table

SHALLOW_COEFFICIENTS = read_table("oq_coeffs_kanno2006_shallow_base.csv")
DEEP_COEFFICIENTS = read_table("oq_coeffs_kanno2006_deep_base.csv")
SITE_COEFFICIENTS = read_table("oq_coeffs_kanno2006_site.csv")

LN_10 = math.log(10.0)
MAGNITUDE_EXPONENT = 0.5  # e of eq. 5
LN_CM_S2_PER_G = math.log(100.0 * 9.80665)  # scipy.constants.g, as OpenQuake
DEEP_MINIMUM_DISTANCE_KM = 1.0


def magnitude_distance_term(coefficients: CoefficientRow, magnitude: float, rrup: FloatArray) -> FloatArray:
    """a·M + b·X − log10(X + d·10^(e·M)) + c, in log10 units (eqs. 5–6)."""
    near_source = coefficients["d"] * 10.0 ** (MAGNITUDE_EXPONENT * magnitude)
    term = rrup + near_source
    term = np.log10(term, out=term) if isinstance(term, np.ndarray) else np.log10(term)
    term *= -1.0
    term += coefficients["b"] * rrup
    term += coefficients["c"] + coefficients["a"] * magnitude
    return term


def site_amplification(coefficients: CoefficientRow, vs30: FloatArray) -> FloatArray:
    """G = p·log10(Vs30) + q, in log10 units (eq. 8)."""
    return coefficients["p"] * np.log10(vs30) + coefficients["q"]


@dataclass(frozen=True)
class Kanno2006Model:
    """Kanno et al. (2006) with the shallow or the deep base coefficients; rupture distance."""

    name: str
    base: Mapping[str, CoefficientRow] = field(repr=False)
    minimum_distance_km: float = 0.0
    distance: str = "rrup"
    imts: frozenset[str] = frozenset(SITE_COEFFICIENTS)

    def predict(
        self,
        imt: str,
        *,
        mag: float,
        distance: ArrayLike,
        hypo_depth: float = 10.0,
        vs30: ArrayLike = 760.0,
        rake: float = 0.0,
    ) -> Prediction:
        """ln PGA/SA (g) or ln PGV (cm/s) with total σ; ``hypo_depth`` and ``rake`` are unused."""
        name = check_imt(self.name, imt, self.imts)
        magnitude = as_magnitude(mag)
        rrup, site_vs30 = as_distances(distance, self.distance), as_vs30(vs30)
        if self.minimum_distance_km:
            rrup = np.maximum(rrup, self.minimum_distance_km)
        coefficients = self.base[name]
        mean = magnitude_distance_term(coefficients, magnitude, rrup)
        mean = mean + site_amplification(SITE_COEFFICIENTS[name], site_vs30)
        mean *= LN_10  # log10 → ln
        if name != "PGV":
            mean -= LN_CM_S2_PER_G  # cm/s² → g
        return Prediction(mean, constant(coefficients["epsilon"] * LN_10, mean.shape))


Kanno2006Shallow = Kanno2006Model("Kanno2006Shallow", SHALLOW_COEFFICIENTS)
Kanno2006Deep = Kanno2006Model(
    "Kanno2006Deep", DEEP_COEFFICIENTS, minimum_distance_km=DEEP_MINIMUM_DISTANCE_KM
)
