"""Akkar, Sandıkkaya & Bommer (2014) ground-motion model for Europe and the Middle East, R_JB form.

Reference: Akkar, S., Sandıkkaya, M. A. & Bommer, J. J. (2014). "Empirical ground-motion models for
point- and extended-source crustal earthquake scenarios in Europe and the Middle East". Bulletin of
Earthquake Engineering 12(1), 359–387 (equations 1–3, Table 4a).

Implemented as OpenQuake hazardlib 3.26.2 does (gem/oq-engine ``openquake/hazardlib/gsim/akkar_2014.py``,
class ``AkkarEtAlRjb2014``, geometric-mean component). Coefficient table:
``tables/oq_coeffs_akkar2014_rjb.csv``.

ln Y = ln Y_REF(M, R_JB, mechanism) + ln S(Vs30, PGA_REF)        (Y in g; PGV in cm/s)

* ln Y_REF, eq. 2: a1 + a2·(M − c1) [a7 above c1] + a3·(8.5 − M)² + [a4 + a5·(M − c1)]·ln√(R_JB² + a6²)
  + a8·F_N + a9·F_R, with c1 = 6.75, F_N for −135° < rake < −45°, F_R for 45° < rake < 135°.
* ln S, eq. 3: b1·ln(min(Vs30, Vcon)/Vref) + b2·ln[(PGA_REF + c·x^n)/((PGA_REF + c)·x^n)] with
  x = min(Vs30, Vref)/Vref (the nonlinear part vanishes at and above Vref = 750 m/s); Vcon = 1000 m/s.
* σ = √(φ² + τ²) with the table's ``sigma`` (φ, within-event) and ``tau`` (between-event).
"""

from __future__ import annotations

from dataclasses import dataclass

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
)
from hushdor.science.quake.models.coefficients import CoefficientRow, read_table

COEFFICIENTS = read_table("oq_coeffs_akkar2014_rjb.csv")

HINGE_MAGNITUDE = 6.75  # c1
REFERENCE_VS30 = 750.0  # Vref, m/s
LIMITING_VS30 = 1000.0  # Vcon, m/s


def faulting_style_term(coefficients: CoefficientRow, rake: float) -> float:
    """a8·F_N + a9·F_R (normal: −135° < rake < −45°; reverse: 45° < rake < 135°)."""
    if -135.0 < rake < -45.0:
        return coefficients["a8"]
    if 45.0 < rake < 135.0:
        return coefficients["a9"]
    return 0.0


def magnitude_term(coefficients: CoefficientRow, magnitude: float) -> float:
    """a1 + a2·(M − c1) (a7 above c1) + a3·(8.5 − M)²: a scalar per event."""
    slope = coefficients["a2"] if magnitude <= HINGE_MAGNITUDE else coefficients["a7"]
    return (
        coefficients["a1"]
        + slope * (magnitude - HINGE_MAGNITUDE)
        + coefficients["a3"] * (8.5 - magnitude) ** 2
    )


def distance_term(coefficients: CoefficientRow, magnitude: float, rjb: FloatArray) -> FloatArray:
    """[a4 + a5·(M − c1)]·ln√(R_JB² + a6²)."""
    slope = 0.5 * (coefficients["a4"] + coefficients["a5"] * (magnitude - HINGE_MAGNITUDE))
    term = np.square(rjb)
    term += coefficients["a6"] ** 2
    term = np.log(term, out=term) if isinstance(term, np.ndarray) else np.log(term)
    term *= slope
    return term


def reference_rock_ln_mean(
    coefficients: CoefficientRow, magnitude: float, rake: float, rjb: FloatArray
) -> FloatArray:
    """ln Y_REF (eq. 2) on Vs30 = 750 m/s."""
    mean = distance_term(coefficients, magnitude, rjb)
    mean += magnitude_term(coefficients, magnitude) + faulting_style_term(coefficients, rake)
    return mean


def linear_site_term(coefficients: CoefficientRow, vs30: FloatArray) -> FloatArray:
    """b1·ln(min(Vs30, Vcon)/Vref) (eq. 3b, 3c; also the first part of 3a)."""
    return coefficients["b1"] * np.log(np.minimum(vs30, LIMITING_VS30) / REFERENCE_VS30)


def nonlinear_site_term(
    coefficients: CoefficientRow, vs30: FloatArray, pga_reference: FloatArray
) -> FloatArray:
    """b2·ln[(PGA_REF + c·x^n)/((PGA_REF + c)·x^n)], x = min(Vs30, Vref)/Vref (eq. 3a); 0 for Vs30 >= Vref."""
    scaled = (np.minimum(vs30, REFERENCE_VS30) / REFERENCE_VS30) ** coefficients["n"]
    numerator = pga_reference + coefficients["c"] * scaled
    denominator = (pga_reference + coefficients["c"]) * scaled
    return coefficients["b2"] * np.log(numerator / denominator)


def has_soil_sites(vs30: FloatArray) -> bool:
    """False when the nonlinear term is zero everywhere: a single Vs30 at or above Vref."""
    return not (np.ndim(vs30) == 0 and vs30 >= REFERENCE_VS30)


@dataclass(frozen=True)
class AkkarEtAlRjb2014Model:
    """ASB14, Joyner–Boore distance form; PGA, PGV and SA at the tabulated periods."""

    name: str = "AkkarEtAlRjb2014"
    distance: str = "rjb"
    imts: frozenset[str] = frozenset(COEFFICIENTS)

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
        coefficients = COEFFICIENTS[name]

        mean = reference_rock_ln_mean(coefficients, magnitude, rake_angle, rjb)
        site = linear_site_term(coefficients, site_vs30)
        if has_soil_sites(site_vs30):
            ln_pga_reference = (
                mean
                if name == "PGA"
                else reference_rock_ln_mean(COEFFICIENTS["PGA"], magnitude, rake_angle, rjb)
            )
            site = site + nonlinear_site_term(coefficients, site_vs30, np.exp(ln_pga_reference))
        mean = mean + site

        tau, phi = coefficients["tau"], coefficients["sigma"]
        shape = mean.shape
        return Prediction(
            mean, constant(np.hypot(phi, tau), shape), constant(tau, shape), constant(phi, shape)
        )


AkkarEtAlRjb2014 = AkkarEtAlRjb2014Model()
