"""Worden, Gerstenberger, Rhoades & Wald (2012) ground-motion ↔ intensity conversion (GMICE).

Reference: Worden, C. B., Gerstenberger, M. C., Rhoades, D. A. & Wald, D. J. (2012). "Probabilistic
relationships between ground-motion parameters and modified Mercalli intensity in California".
Bulletin of the Seismological Society of America 102(1), 204–221 (equations 3 and 5, Table 1).

Implemented as ShakeMap v4 does (usgs/shakemap ``shakelib/gmice/wgrw12.py``, class ``WGRW12``,
including its MMI 1–2 extension); coefficient table ``tables/worden2012_gmice_coeffs.csv``.

Units, as ShakeMap and as :mod:`hushdor.science.quake.models` return them: ground motion is passed
and returned as the natural logarithm of PGA or SA in g, or of PGV in cm/s.  Internally
Y = PGA·981 (cm/s²) or PGV (cm/s), and with L = log10 Y:

    MMI = C1_low + C2_low·L   if L < T1_low      (MMI 1–2, ShakeMap's extension)
    MMI = C1 + C2·L           if T1_low ≤ L < T1
    MMI = C3 + C4·L           if L ≥ T1
    [+ C5 + C6·log10(clip(Rrup, 10, 300 km)) + C7·clip(M, 3.0, 7.3)]   (eq. 5, residual correction)

clipped to [1, 10].  The inverse splits at MMI = T2_low (2.0) and T2, and subtracts the correction
first.  As in ShakeMap, the correction is applied only when BOTH ``mag`` and ``rrup`` are given.
Sigmas (Table 1): SMMI in intensity units for ground motion → MMI; SPGM·ln 10 in ln units for
MMI → ground motion (the same value with or without the correction, as ShakeMap uses them).
NaN inputs give NaN outputs.
"""

from __future__ import annotations

import math

import numpy as np

from hushdor.science.quake.models.base import (
    ArrayLike,
    FloatArray,
    UnsupportedIMTError,
    as_distances,
    as_magnitude,
    normalise_imt,
)
from hushdor.science.quake.models.coefficients import CoefficientRow, read_table

COEFFICIENTS = read_table("worden2012_gmice_coeffs.csv")
SUPPORTED_IMTS = frozenset(COEFFICIENTS)

CM_S2_PER_G = 981.0  # ShakeMap's conversion factor for PGA and SA
MMI_RANGE = (1.0, 10.0)
DISTANCE_RANGE_KM = (10.0, 300.0)
MAGNITUDE_RANGE = (3.0, 7.3)
LOG10_E = math.log10(math.e)
LN_10 = math.log(10.0)


def coefficients_for(imt: str) -> tuple[str, CoefficientRow]:
    """The normalised IMT and its coefficients, or :class:`UnsupportedIMTError`."""
    name = normalise_imt(imt)
    if name not in COEFFICIENTS:
        supported = ", ".join(sorted(SUPPORTED_IMTS))
        raise UnsupportedIMTError(
            f"Worden et al. (2012) does not convert IMT {imt!r}; it converts: {supported}"
        )
    return name, COEFFICIENTS[name]


def log10_units_offset(imt: str) -> float:
    """log10 of the factor taking g to cm/s² (PGA, SA) or cm/s to cm/s (PGV)."""
    return 0.0 if imt == "PGV" else math.log10(CM_S2_PER_G)


def residual_correction(
    coefficients: CoefficientRow, mag: float | None, rrup: ArrayLike | None
) -> FloatArray | float:
    """C5 + C6·log10(clip(Rrup, 10, 300)) + C7·clip(M, 3.0, 7.3); 0 unless both are given."""
    if mag is None or rrup is None:
        return 0.0
    distance = np.clip(as_distances(rrup, "rrup"), *DISTANCE_RANGE_KM)
    magnitude = min(max(as_magnitude(mag), MAGNITUDE_RANGE[0]), MAGNITUDE_RANGE[1])
    return coefficients["C5"] + coefficients["C6"] * np.log10(distance) + coefficients["C7"] * magnitude


def mmi_from_pgm(
    imt: str, ln_value: ArrayLike, *, mag: float | None = None, rrup: ArrayLike | None = None
) -> tuple[FloatArray, float]:
    """MMI from ln(PGA or SA in g) or ln(PGV in cm/s), and its sigma (MMI units).

    With both ``mag`` (moment magnitude) and ``rrup`` (km, one per value or one for all), the
    magnitude/distance correction of eq. 5 is added.
    """
    name, c = coefficients_for(imt)
    log10_motion = np.asarray(ln_value, dtype=np.float64) * LOG10_E + log10_units_offset(name)
    mmi = np.where(
        log10_motion < c["T1_low"],
        c["C1_low"] + c["C2_low"] * log10_motion,
        np.where(log10_motion < c["T1"], c["C1"] + c["C2"] * log10_motion, c["C3"] + c["C4"] * log10_motion),
    )
    mmi = mmi + residual_correction(c, mag, rrup)
    return np.clip(mmi, *MMI_RANGE), c["SMMI"]


def pgm_from_mmi(
    imt: str, mmi: ArrayLike, *, mag: float | None = None, rrup: ArrayLike | None = None
) -> tuple[FloatArray, float]:
    """ln(PGA or SA in g) or ln(PGV in cm/s) from MMI, and its sigma (ln units).

    With both ``mag`` and ``rrup`` the eq. 5 correction is removed from the intensity first.
    """
    name, c = coefficients_for(imt)
    intensity = np.asarray(mmi, dtype=np.float64) - residual_correction(c, mag, rrup)
    log10_motion = np.where(
        intensity < c["T2_low"],
        (intensity - c["C1_low"]) / c["C2_low"],
        np.where(intensity < c["T2"], (intensity - c["C1"]) / c["C2"], (intensity - c["C3"]) / c["C4"]),
    )
    ln_motion = (log10_motion - log10_units_offset(name)) * LN_10
    return ln_motion, c["SPGM"] * LN_10
