"""USGS PAGER empirical loss models: expected deaths and economic losses from exposure per MMI.

Models
    Jaiswal, K. & Wald, D. J. (2010). An empirical model for global earthquake fatality estimation.
    Earthquake Spectra 26(4):1017-1037 — fatality rate nu(MMI) = Phi(ln(MMI / theta) / beta).
    Jaiswal, K. & Wald, D. J. (2013). Estimating economic losses from earthquakes using an empirical
    approach. Earthquake Spectra 29(1):309-324 — the same form applied to economic exposure
    (population x per-capita GDP x alpha).

Parameters
    ``tables/pager_empirical_models_by_country.csv`` (usgs/pager ``losspager/data/fatality.xml`` and
    ``economy.xml`` at commit 081a55f8). Tajikistan shares the Central-Asian group fatality model
    theta = 20.476568, beta = 0.280662, G = 1.462592.

Conventions copied from usgs/pager ``losspager/models/emploss.py`` and ``losspager/utils/probs.py``
    * exposure is binned per integer MMI 1..10 ([MMI - 0.5, MMI + 0.5)); the MMI X bin is added to IX
      and only bins V..IX enter the sum (``EmpiricalLoss.getLosses``);
    * alert level from the expected loss: green < 1, yellow < 100, orange < 1000, red otherwise —
      deaths, or millions of US$ for economic losses (``getAlertLevel``);
    * range probabilities from a lognormal centred on the expected value E in log space with spread
      G (the model's ``gnormvalue``): P(a < L <= b) = Phi(ln((b + 1e-5)/(E + 1e-5)) / G)
      - Phi(ln((a + 1e-5)/(E + 1e-5)) / G); if E + 1e-5 < 1 and G > 1.7 then G = 1.7613; if
      E + 1e-5 < 0.001 then E = 0.5 (``calcEmpiricalProbFromRange``). PAGER evaluates this on the
      per-country loss truncated to an integer (``int(losses)``); so do we, for comparable numbers.
      For economic losses E and the ranges are in millions of US$.

Per-capita GDP
    PAGER multiplies by the World Bank per-capita GDP of the event year (``econexposure.py``). For
    Tajikistan the default here is the World Bank WDI NY.GDP.PCAP.CD value for 2023, US$ 1,189
    (current US$; as published in 2024 — later WDI vintages may revise it). Other countries default
    to the ``pcgdp`` stored in economy.xml. Pass ``per_capita_gdp_usd`` to override.

Secondary hazards (``steep_slope_exposure``)
    The shaking-only model misses the landslides and loess flow slides that dominated Tajik
    earthquake deaths: Khait 1949 (about 7,000-12,000 deaths) and Gissar 1989 (274 deaths, model
    11.1 — a factor of about 25; ``pager_model_replay_central_asia.csv``). We flag population on
    steep ground at MMI >= VI. "Steep" is slope >= tan(15 deg) = 0.268 m/m: Keefer (1984, GSA
    Bulletin 95(4):406-421) found about 15 deg to be the lowest slope of disrupted soil slides, the
    most abundant earthquake-triggered landslides, and MMI VI the usual lowest intensity at which
    they occur. Loess flow slides such as Gissar 1989 ran out on gentler slopes, and 1-km DEM slopes
    understate local relief, so the count is a lower bound, not a loss estimate.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

FloatArray = NDArray[np.float64]

MODEL_TABLE = "pager_empirical_models_by_country.csv"
LOSS_MMI_BINS = (5, 6, 7, 8, 9)
ALERT_LEVELS = ((1.0, "green"), (100.0, "yellow"), (1000.0, "orange"))
LOSS_RANGES: tuple[tuple[str, float, float], ...] = (
    ("0-1", 0.0, 1.0),
    ("1-10", 1.0, 10.0),
    ("10-100", 10.0, 100.0),
    ("100-1000", 100.0, 1000.0),
    ("1000-10000", 1000.0, 10_000.0),
    ("10000-100000", 10_000.0, 100_000.0),
    ("100000+", 100_000.0, 1e12),  # PAGER's '100000-10000000' with its upper end set to 1e12
)
TAJIKISTAN_PER_CAPITA_GDP_2023_USD = 1189.0
DEFAULT_PER_CAPITA_GDP_USD: Mapping[str, float] = {"TJ": TAJIKISTAN_PER_CAPITA_GDP_2023_USD}
STEEP_SLOPE_M_PER_M = math.tan(math.radians(15.0))
STEEP_SLOPE_MIN_MMI = 6.0


class LossModelError(ValueError):
    """Bad exposure input or an unknown country for the PAGER loss models."""


@dataclass(frozen=True)
class CountryLossModel:
    """One row of the PAGER model table."""

    country: str
    fatality_theta: float
    fatality_beta: float
    fatality_g: float
    fatality_status: str
    economic_theta: float
    economic_beta: float
    economic_alpha: float
    economic_g: float
    economic_zeta: float
    economic_status: str
    reference_per_capita_gdp_usd: float


@dataclass(frozen=True)
class LossEstimate:
    """Expected loss (deaths, or US$), PAGER alert colour and range probabilities."""

    expected: float
    unit: str
    alert: str
    probabilities: dict[str, float]
    model: str
    theta: float
    beta: float
    spread_g: float


@dataclass(frozen=True)
class SteepSlopeExposure:
    """Population on steep ground shaken at or above ``min_mmi``; ``flagged`` if anyone is."""

    population: float
    flagged: bool
    threshold_slope: float
    min_mmi: float


@cache
def country_models() -> dict[str, CountryLossModel]:
    """All rows of the packaged PAGER model table, keyed by ISO 3166-1 alpha-2 code."""
    text = resources.files("hushdor.science.quake").joinpath("tables", MODEL_TABLE).read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    return {
        row["ccode"]: CountryLossModel(
            country=row["ccode"],
            fatality_theta=float(row["fat_theta"]),
            fatality_beta=float(row["fat_beta"]),
            fatality_g=float(row["fat_gnormvalue"]),
            fatality_status=row["fat_status"],
            economic_theta=float(row["eco_theta"]),
            economic_beta=float(row["eco_beta"]),
            economic_alpha=float(row["eco_alpha"]),
            economic_g=float(row["eco_gnormvalue"]),
            economic_zeta=float(row["eco_zeta"]),
            economic_status=row["eco_status"],
            reference_per_capita_gdp_usd=float(row["eco_pcgdp_usd"]),
        )
        for row in rows
    }


def country_model(country: str) -> CountryLossModel:
    models = country_models()
    code = country.strip().upper()
    if code not in models:
        raise LossModelError(f"no PAGER loss model for country code {country!r} (ISO alpha-2 expected)")
    return models[code]


def loss_rates(theta: float, beta: float, mmi: ArrayLike = LOSS_MMI_BINS) -> FloatArray:
    """Loss ratio Phi(ln(MMI / theta) / beta) at each MMI."""
    return ndtr(np.log(np.asarray(mmi, dtype=np.float64) / theta) / beta)


def exposure_bins(exposure_by_mmi: Mapping[int, float] | Sequence[float] | ArrayLike) -> FloatArray:
    """The 10 exposure bins MMI I..X from a {mmi: population} mapping or a 10-element sequence."""
    if isinstance(exposure_by_mmi, Mapping):
        bins = np.zeros(10)
        for mmi, population in exposure_by_mmi.items():
            if not isinstance(mmi, int | np.integer) or not 1 <= int(mmi) <= 10:
                raise LossModelError(f"exposure keys must be integer MMI 1..10, got {mmi!r}")
            bins[int(mmi) - 1] = float(population)
    else:
        try:
            bins = np.asarray(exposure_by_mmi, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError) as error:
            raise LossModelError(f"exposure must be numeric: {error}") from error
        if bins.shape != (10,):
            raise LossModelError(f"exposure must have 10 bins (MMI I..X), got {bins.shape[0]}")
    if not np.all(np.isfinite(bins)) or bins.min() < 0.0:
        raise LossModelError("exposed population must be finite and non-negative in every MMI bin")
    return bins


def _loss_bins(bins: FloatArray) -> FloatArray:
    """Bins V..IX with X folded into IX, as emploss.getLosses."""
    folded = bins[4:9].copy()
    folded[-1] += bins[9]
    return folded


def alert_level(expected: float) -> str:
    """PAGER colour for expected deaths (or millions of US$)."""
    for upper, colour in ALERT_LEVELS:
        if expected < upper:
            return colour
    return "red"


def _normal_cdf(value: float) -> float:
    return float(ndtr(value))


def loss_range_probabilities(expected: float, spread_g: float) -> dict[str, float]:
    """Probability of each PAGER loss range, as losspager.utils.probs.calcEmpiricalProbFromRange."""
    centre = expected + 0.00001
    spread = spread_g
    if centre < 1.0 and spread > 1.7:
        spread = 1.7613
    if centre < 0.001:
        centre = 0.5
    log_centre = math.log(centre)
    probabilities = {}
    for key, low, high in LOSS_RANGES:
        upper = _normal_cdf((math.log(high + 0.00001) - log_centre) / spread)
        lower = _normal_cdf((math.log(low + 0.00001) - log_centre) / spread)
        probabilities[key] = upper - lower
    return probabilities


def fatality_estimate(
    exposure_by_mmi: Mapping[int, float] | Sequence[float] | ArrayLike, country: str = "TJ"
) -> LossEstimate:
    """PAGER empirical fatality estimate for population exposed per MMI bin in one country."""
    model = country_model(country)
    rates = loss_rates(model.fatality_theta, model.fatality_beta)
    expected = float(np.dot(rates, _loss_bins(exposure_bins(exposure_by_mmi))))
    return LossEstimate(
        expected=expected,
        unit="deaths",
        alert=alert_level(expected),
        probabilities=loss_range_probabilities(float(math.floor(expected)), model.fatality_g),
        model=f"PAGER empirical fatality (Jaiswal & Wald 2010), {model.country} {model.fatality_status}",
        theta=model.fatality_theta,
        beta=model.fatality_beta,
        spread_g=model.fatality_g,
    )


def economic_estimate(
    exposure_by_mmi: Mapping[int, float] | Sequence[float] | ArrayLike,
    country: str = "TJ",
    *,
    per_capita_gdp_usd: float | None = None,
) -> LossEstimate:
    """PAGER empirical economic loss (US$): rate x exposed population x per-capita GDP x alpha."""
    model = country_model(country)
    if per_capita_gdp_usd is None:
        gdp = DEFAULT_PER_CAPITA_GDP_USD.get(model.country, model.reference_per_capita_gdp_usd)
    else:
        gdp = float(per_capita_gdp_usd)
    if not (math.isfinite(gdp) and gdp > 0.0):
        raise LossModelError(f"per-capita GDP must be a positive number of US$, got {per_capita_gdp_usd!r}")
    rates = loss_rates(model.economic_theta, model.economic_beta)
    economic_exposure = _loss_bins(exposure_bins(exposure_by_mmi)) * gdp * model.economic_alpha
    expected = float(np.dot(rates, economic_exposure))
    millions = math.floor(expected) / 1e6
    return LossEstimate(
        expected=expected,
        unit="USD",
        alert=alert_level(millions),
        probabilities=loss_range_probabilities(millions, model.economic_g),
        model=(
            f"PAGER empirical economic (Jaiswal & Wald 2013), {model.country} {model.economic_status}, "
            f"per-capita GDP US$ {gdp:,.0f}, alpha {model.economic_alpha:g}"
        ),
        theta=model.economic_theta,
        beta=model.economic_beta,
        spread_g=model.economic_g,
    )


def steep_slope_exposure(
    population: ArrayLike,
    mmi: ArrayLike,
    slope: ArrayLike,
    *,
    threshold_slope: float = STEEP_SLOPE_M_PER_M,
    min_mmi: float = STEEP_SLOPE_MIN_MMI,
) -> SteepSlopeExposure:
    """Population on cells with slope >= ``threshold_slope`` (m/m) and MMI >= ``min_mmi``."""
    people = np.asarray(population, dtype=np.float64)
    intensity = np.asarray(mmi, dtype=np.float64)
    slopes = np.asarray(slope, dtype=np.float64)
    if not people.shape == intensity.shape == slopes.shape:
        raise LossModelError(
            f"population, mmi and slope must share a shape, got {people.shape}, {intensity.shape}, "
            f"{slopes.shape}"
        )
    if not np.all(np.isfinite(people)) or (people.size and people.min() < 0.0):
        raise LossModelError("population must be finite and non-negative")
    exposed = (slopes >= threshold_slope) & (intensity >= min_mmi)  # NaN slope or MMI: not counted
    total = float(people[exposed].sum())
    return SteepSlopeExposure(
        population=total, flagged=total > 0.0, threshold_slope=threshold_slope, min_mmi=min_mmi
    )
