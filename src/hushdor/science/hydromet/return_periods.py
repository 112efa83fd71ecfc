"""Flood return periods: a Gumbel distribution fitted by L-moments to a station's annual maxima.

The GloFAS/EFAS practice (CEMS-Flood documentation, "GloFAS flood thresholds"): annual maxima →
Gumbel (EV1) fitted with the first two L-moments → the discharge (or level) of return period T.
With the sample sorted ascending x₍₁₎ ≤ … ≤ x₍ₙ₎ (Hosking 1990, J. R. Statist. Soc. B 52:105–124;
Hosking & Wallis 1997, *Regional Frequency Analysis*, § 2.3 and A.7):

* b₀ = mean x; b₁ = (1/n) Σ (i − 1)/(n − 1) · x₍ᵢ₎  (unbiased probability-weighted moments)
* λ₁ = b₀; λ₂ = 2 b₁ − b₀
* α = λ₂ / ln 2; ξ = λ₁ − γ α  (γ = 0.5772156649…, the Euler–Mascheroni constant)
* Q_T = ξ − α · ln(−ln(1 − 1/T))

Warning levels use T = 2, 5 and 20 years (GloFAS yellow, red and purple; EFAS 2/5/20).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

EULER_GAMMA = 0.5772156649015329
RETURN_PERIODS = (2, 5, 20, 100)
MIN_YEARS = 5


class ReturnPeriodError(ValueError):
    """Too few or unusable annual maxima for a fit."""


@dataclass(frozen=True)
class GumbelFit:
    xi: float
    alpha: float
    n_years: int

    def level(self, years: float) -> float:
        """Q_T: the value exceeded on average once in ``years`` years."""
        if years <= 1.0:
            raise ReturnPeriodError(f"a return period must exceed 1 year, got {years}")
        return self.xi - self.alpha * math.log(-math.log(1.0 - 1.0 / years))


def gumbel_l_moments(annual_maxima: ArrayLike) -> GumbelFit:
    values = np.sort(np.asarray(annual_maxima, dtype=np.float64))
    if values.size < MIN_YEARS:
        raise ReturnPeriodError(f"{values.size} annual maxima; at least {MIN_YEARS} are needed for a fit")
    if not np.all(np.isfinite(values)):
        raise ReturnPeriodError("annual maxima must be finite numbers")
    n = values.size
    b0 = values.mean()
    b1 = float(np.sum(np.arange(n) / (n - 1) * values) / n)
    lambda2 = 2.0 * b1 - b0
    if lambda2 <= 0.0:
        raise ReturnPeriodError("the annual maxima do not vary (λ2 = 0): no distribution can be fitted")
    alpha = lambda2 / math.log(2.0)
    return GumbelFit(xi=b0 - EULER_GAMMA * alpha, alpha=alpha, n_years=n)
