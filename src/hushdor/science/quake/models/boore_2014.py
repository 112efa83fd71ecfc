"""Boore, Stewart, Seyhan & Atkinson (2014) NGA-West2 ground-motion model (BSSA14), RotD50.

Reference: Boore, D. M., Stewart, J. P., Seyhan, E. & Atkinson, G. M. (2014). "NGA-West2 equations
for predicting PGA, PGV, and 5% damped PSA for shallow crustal earthquakes". Earthquake Spectra
30(3), 1057–1085.

Implemented as OpenQuake hazardlib 3.26.2 does (gem/oq-engine ``openquake/hazardlib/gsim/boore_2014.py``,
classes ``BooreEtAl2014`` and ``BooreEtAl2014HighQ`` with their defaults: style of faulting from rake,
no basin term because z1.0 is unknown). Coefficient tables: ``tables/oq_coeffs_bssa14.csv`` and
``tables/oq_coeffs_bssa14_highq.csv`` (the high-Q variant for China/Turkey differs only in Dc3).

ln Y = F_E(M, mechanism) + F_P(R_JB, M) + F_S(Vs30, PGA_r)      (paper eq. 1; Y in g, PGV in cm/s)

* F_E, eq. 2: e_mech + e4·(M − Mh) + e5·(M − Mh)²  for M ≤ Mh, else e_mech + e6·(M − Mh);
  mechanism from rake: |rake| ≤ 30° or ≥ 150° strike-slip (e1), 30° < rake < 150° reverse (e3),
  otherwise normal (e2).
* F_P, eqs. 3–4: [c1 + c2·(M − 4.5)]·ln(R/1) + (c3 + Δc3)·(R − 1),  R = √(R_JB² + h²).
* F_S, eqs. 5–8: c·ln(min(Vs30, Vc)/760) + f4·[exp(f5·(min(Vs30, 760) − 360)) − exp(f5·400)]·
  ln((PGA_r + 0.1)/0.1), with PGA_r the median PGA on Vs30 = 760 m/s rock.
* Sigma, eqs. 13–17: τ(M), φ(M, R_JB, Vs30), σ = √(τ² + φ²).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from hushdor.science.quake.models.base import (
    ArrayLike,
    FloatArray,
    Prediction,
    as_distances,
    as_magnitude,
    as_rake,
    as_vs30,
    check_imt,
    constant,
    hypotenuse,
)
from hushdor.science.quake.models.coefficients import CoefficientRow, read_table

#: IMT-independent constants of BSSA14 (paper eqs. 3, 6, 7, 15; OpenQuake ``CONSTS``).
REFERENCE_MAGNITUDE = 4.5  # Mref
REFERENCE_DISTANCE_KM = 1.0  # Rref
REFERENCE_VS30 = 760.0  # Vref, m/s
NONLINEAR_F1 = 0.0  # f1
NONLINEAR_F3 = 0.1  # f3, g
SIGMA_V1, SIGMA_V2 = 225.0, 300.0  # m/s

BASE_COEFFICIENTS = read_table("oq_coeffs_bssa14.csv")
HIGH_Q_COEFFICIENTS = read_table("oq_coeffs_bssa14_highq.csv")


def mechanism_coefficient(coefficients: CoefficientRow, rake: float) -> float:
    """e1 (strike-slip), e2 (normal) or e3 (reverse) from the rake angle, as OpenQuake classifies it."""
    if abs(rake) <= 30.0 or 180.0 - abs(rake) <= 30.0:
        return coefficients["e1"]
    if 30.0 < rake < 150.0:
        return coefficients["e3"]
    return coefficients["e2"]


def magnitude_scaling(coefficients: CoefficientRow, magnitude: float, rake: float) -> float:
    """F_E (eq. 2), a scalar per event."""
    excess = magnitude - coefficients["Mh"]
    if magnitude <= coefficients["Mh"]:
        hinge = coefficients["e4"] * excess + coefficients["e5"] * excess**2
    else:
        hinge = coefficients["e6"] * excess
    return mechanism_coefficient(coefficients, rake) + hinge


def path_scaling(coefficients: CoefficientRow, magnitude: float, rjb: FloatArray) -> FloatArray:
    """F_P (eqs. 3–4): geometric spreading and anelastic attenuation."""
    radius = hypotenuse(rjb, coefficients["h"])
    spreading = coefficients["c1"] + coefficients["c2"] * (magnitude - REFERENCE_MAGNITUDE)
    anelastic = coefficients["c3"] + coefficients["Dc3"]
    scaling = np.log(radius / REFERENCE_DISTANCE_KM)
    scaling *= spreading
    radius -= REFERENCE_DISTANCE_KM
    radius *= anelastic
    scaling += radius
    return scaling


def linear_site_term(coefficients: CoefficientRow, vs30: FloatArray) -> FloatArray:
    """F_lin (eq. 6): c·ln(min(Vs30, Vc)/Vref)."""
    return coefficients["c"] * np.log(np.minimum(vs30, coefficients["Vc"]) / REFERENCE_VS30)


def nonlinear_slope(coefficients: CoefficientRow, vs30: FloatArray) -> FloatArray:
    """f2 (eq. 8): f4·[exp(f5·(min(Vs30, 760) − 360)) − exp(f5·400)]; zero for Vs30 >= 760 m/s."""
    capped = np.minimum(vs30, REFERENCE_VS30)
    f5 = coefficients["f5"]
    return coefficients["f4"] * (np.exp(f5 * (capped - 360.0)) - np.exp(f5 * 400.0))


def nonlinear_site_term(coefficients: CoefficientRow, vs30: FloatArray, pga_rock: FloatArray) -> FloatArray:
    """F_nl (eq. 7): f1 + f2(Vs30)·ln((PGA_r + f3)/f3), PGA_r in g on Vs30 = 760 m/s rock."""
    return NONLINEAR_F1 + nonlinear_slope(coefficients, vs30) * np.log1p(pga_rock / NONLINEAR_F3)


def between_event_sigma(coefficients: CoefficientRow, magnitude: float) -> float:
    """τ(M) (eq. 14): tau1 below M4.5, tau2 above M5.5, linear between."""
    weight = min(max(magnitude - 4.5, 0.0), 1.0)
    return coefficients["tau1"] + (coefficients["tau2"] - coefficients["tau1"]) * weight


def within_event_sigma(
    coefficients: CoefficientRow, magnitude: float, rjb: FloatArray, vs30: FloatArray
) -> FloatArray:
    """φ(M, R_JB, Vs30) (eqs. 15–17)."""
    weight = min(max(magnitude - 4.5, 0.0), 1.0)
    phi_magnitude = coefficients["f1"] + (coefficients["f2"] - coefficients["f1"]) * weight
    r1, r2 = coefficients["R1"], coefficients["R2"]
    distance_weight = np.minimum(np.log(np.maximum(rjb, r1) / r1) * (1.0 / np.log(r2 / r1)), 1.0)
    phi = distance_weight * coefficients["DfR"]
    phi += phi_magnitude
    site_weight = np.clip(np.log(SIGMA_V2 / vs30) / np.log(SIGMA_V2 / SIGMA_V1), 0.0, 1.0)
    return phi - coefficients["DfV"] * site_weight


@dataclass(frozen=True)
class BooreEtAl2014Model:
    """BSSA14 with one coefficient table (base or high-Q); distance metric R_JB."""

    name: str
    coefficients: Mapping[str, CoefficientRow] = field(repr=False)
    distance: str = "rjb"

    @property
    def imts(self) -> frozenset[str]:
        return frozenset(self.coefficients)

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
        """ln PGA/SA (g) or ln PGV (cm/s) with τ, φ, σ; ``hypo_depth`` is unused."""
        name = check_imt(self.name, imt, self.imts)
        magnitude, rake_angle = as_magnitude(mag), as_rake(rake)
        rjb, site_vs30 = as_distances(distance, self.distance), as_vs30(vs30)
        coefficients, pga_coefficients = self.coefficients[name], self.coefficients["PGA"]

        mean = path_scaling(coefficients, magnitude, rjb)
        mean += magnitude_scaling(coefficients, magnitude, rake_angle)
        site = linear_site_term(coefficients, site_vs30)
        f2 = nonlinear_slope(coefficients, site_vs30)
        if np.ndim(f2) or f2 != 0.0:  # a single Vs30 >= 760 m/s has no nonlinear term
            if name == "PGA":
                ln_pga_rock = mean  # the same two terms: evaluate them once
            else:
                ln_pga_rock = path_scaling(pga_coefficients, magnitude, rjb)
                ln_pga_rock += magnitude_scaling(pga_coefficients, magnitude, rake_angle)
            site = site + (f2 * np.log1p(np.exp(ln_pga_rock) / NONLINEAR_F3) + NONLINEAR_F1)
        mean = mean + site

        tau = between_event_sigma(coefficients, magnitude)
        phi = np.broadcast_to(within_event_sigma(coefficients, magnitude, rjb, site_vs30), mean.shape)
        sigma = np.sqrt(phi * phi + tau * tau)
        return Prediction(mean, sigma, constant(tau, mean.shape), phi)


BooreEtAl2014 = BooreEtAl2014Model("BooreEtAl2014", BASE_COEFFICIENTS)
BooreEtAl2014HighQ = BooreEtAl2014Model("BooreEtAl2014HighQ", HIGH_Q_COEFFICIENTS)
