"""Zhao et al. (2006) ground-motion models for Japan: active shallow crust and subduction slab.

Reference: Zhao, J. X., et al. (2006). "Attenuation relations of strong ground motion in Japan using
site classification based on predominant period". Bulletin of the Seismological Society of America 96(3), 898–913 (equations 1, 3, 5; Tables 4–6).

Implemented as OpenQuake hazardlib 3.26.2 does (gem/oq-engine ``openquake/hazardlib/gsim/zhao_2006.py``,
classes ``ZhaoEtAl2006Asc`` and ``ZhaoEtAl2006SSlab`` without basin adjustments; geometric mean).
Coefficient tables: ``tables/oq_coeffs_zhao2006_asc.csv`` (a–e, FR, site classes, sigma, QC, WC,
tauC) and ``tables/oq_coeffs_zhao2006_sslab.csv`` (SS, SSL, PS, QS, WS, tauS). Zhao 2006 defines
PGA and SA only (no PGV).

ln y = a·M + b·x − ln(x + c·exp(d·M)) + e·(h − 15)·[h ≥ 15] + F_R + S_k + P(M − Mc) + Q(M − Mc)² + W
       [+ S_S + S_SL·ln x for slab events]                                     (y in cm/s²)

* x = rupture distance (slab: 0 replaced by 0.1 km), h = focal depth capped to [0, 125] km;
* F_R = FR for reverse faulting, 45° < rake < 135° (crustal only);
* S_k, the site class from Vs30 (Table 2): > 1100 m/s hard rock CH; 600–1100 C1; 300–600 C2;
  200–300 C3; ≤ 200 C4 (upper bounds inclusive, so Vs30 = 1100 is C1);
* magnitude-squared term (eq. 5): crustal P = 0, Mc = 6.3, Q = QC, W = WC; slab P = PS, Mc = 6.5,
  Q = QS, W = WS;
* converted to ln(g) with g = 9.80665 m/s²; σ = √(sigma² + tau²) with tau = tauC (crustal) or tauS (slab).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hushdor.science.quake.models.base import (
    ArrayLike,
    FloatArray,
    Prediction,
    as_depth,
    as_distances,
    as_magnitude,
    as_rake,
    as_vs30,
    check_imt,
    constant,
)
from hushdor.science.quake.models.coefficients import CoefficientRow, read_table

CRUSTAL_COEFFICIENTS = read_table("oq_coeffs_zhao2006_asc.csv")
SLAB_COEFFICIENTS = read_table("oq_coeffs_zhao2006_sslab.csv")

STANDARD_GRAVITY = 9.80665  # m/s², as scipy.constants.g used by OpenQuake
LN_CM_S2_TO_G = math.log(1e-2 / STANDARD_GRAVITY)
DEPTH_CAP_KM = 125.0  # p. 901: "depth is capped at 125 km"
REFERENCE_DEPTH_KM = 15.0  # hc, p. 902
SLAB_MINIMUM_DISTANCE_KM = 0.1  # OpenQuake replaces rrup = 0 by 0.1 km for slab events
#: Upper Vs30 bounds (m/s, inclusive) of site classes C4, C3, C2, C1; above the last: hard rock CH.
SITE_CLASS_BOUNDS = np.array([200.0, 300.0, 600.0, 1100.0])
SITE_CLASS_COLUMNS = ("C4", "C3", "C2", "C1", "CH")


def focal_depth_term(coefficients: CoefficientRow, hypo_depth: float) -> float:
    """e·(h − hc) for h ≥ hc = 15 km, with h capped at 125 km."""
    depth = min(max(hypo_depth, 0.0), DEPTH_CAP_KM)
    return coefficients["e"] * (depth - REFERENCE_DEPTH_KM) if depth >= REFERENCE_DEPTH_KM else 0.0


def reverse_faulting_term(coefficients: CoefficientRow, rake: float) -> float:
    """FR for 45° < rake < 135° (reverse), else 0."""
    return coefficients["FR"] if 45.0 < rake < 135.0 else 0.0


def magnitude_squared_term(p: float, reference: float, q: float, w: float, magnitude: float) -> float:
    """P·(M − Mc) + Q·(M − Mc)² + W (eq. 5)."""
    return p * (magnitude - reference) + q * (magnitude - reference) ** 2 + w


def distance_term(coefficients: CoefficientRow, magnitude: float, rrup: FloatArray) -> FloatArray:
    """b·x − ln(x + c·exp(d·M))."""
    term = rrup + coefficients["c"] * math.exp(coefficients["d"] * magnitude)
    term = np.log(term, out=term) if isinstance(term, np.ndarray) else np.log(term)
    term *= -1.0
    term += coefficients["b"] * rrup
    return term


def site_class_term(coefficients: CoefficientRow, vs30: FloatArray) -> FloatArray:
    """S_k: the site-class coefficient for each Vs30 (classes of Zhao et al. 2006, Table 2)."""
    values = [coefficients[column] for column in SITE_CLASS_COLUMNS]
    if np.ndim(vs30) == 0:
        return values[int(np.searchsorted(SITE_CLASS_BOUNDS, vs30, side="left"))]
    term = np.full(np.shape(vs30), values[0])
    for bound, lower, upper in zip(SITE_CLASS_BOUNDS, values, values[1:], strict=False):
        term[vs30 > bound] += upper - lower  # step up one class (cheaper than searchsorted on large arrays)
    return term


def crustal_ln_mean(
    coefficients: CoefficientRow,
    magnitude: float,
    hypo_depth: float,
    rake: float,
    rrup: FloatArray,
    vs30: FloatArray,
) -> FloatArray:
    """ln y in g for an active-shallow-crust event."""
    event = (
        coefficients["a"] * magnitude
        + focal_depth_term(coefficients, hypo_depth)
        + reverse_faulting_term(coefficients, rake)
        + magnitude_squared_term(0.0, 6.3, coefficients["QC"], coefficients["WC"], magnitude)
        + LN_CM_S2_TO_G
    )
    mean = distance_term(coefficients, magnitude, rrup)
    mean += event
    return mean + site_class_term(coefficients, vs30)


def slab_ln_mean(
    coefficients: CoefficientRow,
    slab: CoefficientRow,
    magnitude: float,
    hypo_depth: float,
    rrup: FloatArray,
    vs30: FloatArray,
) -> FloatArray:
    """ln y in g for a subduction in-slab event."""
    distance = np.maximum(rrup, SLAB_MINIMUM_DISTANCE_KM)
    event = (
        coefficients["a"] * magnitude
        + focal_depth_term(coefficients, hypo_depth)
        + magnitude_squared_term(slab["PS"], 6.5, slab["QS"], slab["WS"], magnitude)
        + slab["SS"]
        + LN_CM_S2_TO_G
    )
    mean = distance_term(coefficients, magnitude, distance)
    mean += event
    mean += slab["SSL"] * np.log(distance)
    return mean + site_class_term(coefficients, vs30)


@dataclass(frozen=True)
class ZhaoEtAl2006Model:
    """Zhao et al. (2006), crustal (``slab=False``) or in-slab (``slab=True``); rupture distance."""

    name: str
    slab: bool
    distance: str = "rrup"
    imts: frozenset[str] = frozenset(CRUSTAL_COEFFICIENTS)

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
        """ln PGA/SA in g with τ, φ, σ; ``rake`` is used by the crustal model only."""
        name = check_imt(self.name, imt, self.imts)
        magnitude, depth = as_magnitude(mag), as_depth(hypo_depth)
        rrup, site_vs30 = as_distances(distance, self.distance), as_vs30(vs30)
        coefficients = CRUSTAL_COEFFICIENTS[name]
        if self.slab:
            slab = SLAB_COEFFICIENTS[name]
            mean = slab_ln_mean(coefficients, slab, magnitude, depth, rrup, site_vs30)
            tau = slab["tauS"]
        else:
            mean = crustal_ln_mean(coefficients, magnitude, depth, as_rake(rake), rrup, site_vs30)
            tau = coefficients["tauC"]
        phi, shape = coefficients["sigma"], mean.shape
        return Prediction(
            mean, constant(np.hypot(phi, tau), shape), constant(tau, shape), constant(phi, shape)
        )


ZhaoEtAl2006Asc = ZhaoEtAl2006Model("ZhaoEtAl2006Asc", slab=False)
ZhaoEtAl2006SSlab = ZhaoEtAl2006Model("ZhaoEtAl2006SSlab", slab=True)
