"""Bindi et al. (2011) intensity prediction equations (IPEs) for Central Asia, MSK-64 intensity.

Reference: Bindi, D., Parolai, S., et al. (2011). "Intensity prediction equations for Central Asia".
Geophysical Journal International 187, 327–337; coefficients of Table 1.

Implemented as OpenQuake hazardlib 3.26.2 does (gem/oq-engine
``openquake/hazardlib/gsim/bindi_2011_ipe.py``); coefficient table
``tables/oq_coeffs_bindi2011_ipe.csv`` (extracted from that module).

* ``BindiEtAl2011Repi`` — epicentral distance R and hypocentral depth h::

      I = a1·M + a2 − a3·log10(√(R² + h²) / h) − a4·(√(R² + h²) − h)

* ``BindiEtAl2011RepiFixedH`` — the same form with h fixed at 15 km (paper eq. 5).
* ``BindiEtAl2011Rhypo`` — hypocentral distance r, with Mw ≤ 6.5 mapped to MS(20) =
  6.5 − 1.5·(6.5 − Mw)::

      I = a1·MS + a2 − a3·log10(r / 10) − a4·(r − 10)

  Its total sigma is √(we² + be²) = 0.4366 as OpenQuake 3.26.2 returns, not the 0.710 of the
  paper's table (see ``tests/data/reference/notes/oracles.md``).

Hushdor's two safeguards, beyond OpenQuake (which returns −inf for h = 0 or r = 0):
the depth (Repi) and the hypocentral distance (Rhypo) are floored at 1 km, and the predicted
intensity is clipped to the scale's range [1, 12].  The unclipped equations are
:func:`repi_intensity` and :func:`rhypo_intensity`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hushdor.science.quake.models.base import (
    ArrayLike,
    FloatArray,
    Prediction,
    as_depth,
    as_distances,
    as_magnitude,
    check_imt,
    constant,
    hypotenuse,
)
from hushdor.science.quake.models.coefficients import CoefficientRow, read_table

COEFFICIENTS = read_table("oq_coeffs_bindi2011_ipe.csv", key_is_imt=False)

#: Smallest depth (Repi) or hypocentral distance (Rhypo) used, km: keeps the logarithms finite.
MINIMUM_DEPTH_KM = 1.0
#: The MSK-64 scale runs from I to XII.
INTENSITY_RANGE = (1.0, 12.0)
#: Bindi et al. (2011) fixed depth for the RepiFixedH equation (paper eq. 5), km.
FIXED_DEPTH_KM = 15.0


def magnitude_term(coefficients: CoefficientRow, magnitude: float) -> float:
    """a1·M + a2."""
    return coefficients["a1"] * magnitude + coefficients["a2"]


def epicentral_attenuation(coefficients: CoefficientRow, repi: FloatArray, depth: float) -> FloatArray:
    """−a3·log10(√(R² + h²)/h) − a4·(√(R² + h²) − h), with R the epicentral distance, h the depth."""
    hypocentral = hypotenuse(repi, depth)
    attenuation = np.log10(hypocentral / depth)
    attenuation *= -coefficients["a3"]
    hypocentral -= depth
    hypocentral *= coefficients["a4"]
    attenuation -= hypocentral
    return attenuation


def ms20_from_mw(magnitude: float) -> float:
    """Mw → MS(20) as used by the Rhypo equation: 6.5 − 1.5·(6.5 − Mw) for Mw ≤ 6.5, else Mw."""
    return 6.5 - (6.5 - magnitude) * 1.5 if magnitude <= 6.5 else magnitude


def hypocentral_attenuation(coefficients: CoefficientRow, rhypo: FloatArray) -> FloatArray:
    """−a3·log10(r/10) − a4·(r − 10), with r the hypocentral distance in km."""
    attenuation = np.log10(rhypo / 10.0)
    attenuation *= -coefficients["a3"]
    attenuation -= coefficients["a4"] * (rhypo - 10.0)
    return attenuation


def repi_intensity(
    coefficients: CoefficientRow, magnitude: float, repi: FloatArray, depth: float
) -> FloatArray:
    """The unclipped epicentral-distance equation (OpenQuake's mean)."""
    intensity = epicentral_attenuation(coefficients, repi, depth)
    intensity += magnitude_term(coefficients, magnitude)
    return intensity


def rhypo_intensity(coefficients: CoefficientRow, magnitude: float, rhypo: FloatArray) -> FloatArray:
    """The unclipped hypocentral-distance equation (OpenQuake's mean)."""
    intensity = hypocentral_attenuation(coefficients, rhypo)
    intensity += magnitude_term(coefficients, ms20_from_mw(magnitude))
    return intensity


def total_sigma(coefficients: CoefficientRow) -> float:
    """Rhypo: √(we² + be²) (OpenQuake 3.26.2); the Repi forms: the tabulated sigma."""
    if np.isnan(coefficients["we"]):
        return coefficients["sigma"]
    return float(np.hypot(coefficients["we"], coefficients["be"]))


@dataclass(frozen=True)
class BindiEtAl2011:
    """One of the three Bindi et al. (2011) IPEs; ``imts`` is ``{"MMI"}`` (MSK-64 intensity)."""

    name: str
    variant: str  # "Repi" | "RepiFixedH" | "Rhypo" (row of the coefficient table)
    distance: str
    imts: frozenset[str] = frozenset({"MMI"})

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
        """MSK-64 intensity clipped to [1, 12] and its total sigma; ``vs30`` and ``rake`` are unused."""
        check_imt(self.name, imt, self.imts)
        magnitude = as_magnitude(mag)
        distances = as_distances(distance, self.distance)
        coefficients = COEFFICIENTS[self.variant]
        if self.variant == "Rhypo":
            intensity = rhypo_intensity(coefficients, magnitude, np.maximum(distances, MINIMUM_DEPTH_KM))
        else:
            depth = (
                FIXED_DEPTH_KM
                if self.variant == "RepiFixedH"
                else max(as_depth(hypo_depth), MINIMUM_DEPTH_KM)
            )
            intensity = repi_intensity(coefficients, magnitude, distances, depth)
        intensity = np.asarray(intensity)
        np.clip(intensity, *INTENSITY_RANGE, out=intensity)
        sigma = constant(total_sigma(coefficients), intensity.shape)
        if self.variant == "Rhypo":
            shape = intensity.shape
            return Prediction(
                intensity, sigma, constant(coefficients["be"], shape), constant(coefficients["we"], shape)
            )
        return Prediction(intensity, sigma)


BindiEtAl2011Repi = BindiEtAl2011("BindiEtAl2011Repi", "Repi", "repi")
BindiEtAl2011RepiFixedH = BindiEtAl2011("BindiEtAl2011RepiFixedH", "RepiFixedH", "repi")
BindiEtAl2011Rhypo = BindiEtAl2011("BindiEtAl2011Rhypo", "Rhypo", "rhypo")
