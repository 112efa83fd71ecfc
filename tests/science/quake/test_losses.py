"""PAGER empirical losses: replay of the Central-Asian EXPO-CAT events, alerts and probabilities."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from scipy.stats import norm

from hushdor.science.quake.losses import (
    LOSS_RANGES,
    STEEP_SLOPE_M_PER_M,
    TAJIKISTAN_PER_CAPITA_GDP_2023_USD,
    LossModelError,
    alert_level,
    country_model,
    economic_estimate,
    fatality_estimate,
    loss_range_probabilities,
    loss_rates,
    steep_slope_exposure,
)

# The replay prints expected deaths with one decimal: a correct model is within half of that digit.
REPLAY_DEATHS_TOLERANCE = 0.05 + 1e-9


def read_rows(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.fixture(scope="module")
def replay(reference_dir):
    expocat = {row["EventID"]: row for row in read_rows(reference_dir / "pager_expocat_central_asia.csv")}
    rows = read_rows(reference_dir / "pager_model_replay_central_asia.csv")
    assert len(rows) == 38
    return [(row, expocat[row["EventID"]]) for row in rows]


def expocat_exposure(event):
    return {
        5: float(event["MMI5"]),
        6: float(event["MMI6"]),
        7: float(event["MMI7"]),
        8: float(event["MMI8"]),
        9: float(event["MMI9+"]),
    }


def test_replay_exposures_are_the_expocat_exposures(replay):
    for row, event in replay:
        columns = ["pop_MMI5", "pop_MMI6", "pop_MMI7", "pop_MMI8", "pop_MMI9plus"]
        assert [float(row[c]) for c in columns] == list(expocat_exposure(event).values()), row["EventID"]


def test_every_replayed_event_is_reproduced_from_its_expocat_exposure(replay):
    for row, event in replay:
        estimate = fatality_estimate(expocat_exposure(event), country=row["CountryCode"])
        assert estimate.theta == pytest.approx(float(row["theta"]), abs=5e-7), row["EventID"]
        assert estimate.beta == pytest.approx(float(row["beta"]), abs=5e-7), row["EventID"]
        assert abs(estimate.expected - float(row["model_expected_deaths"])) <= REPLAY_DEATHS_TOLERANCE, (
            row["EventID"],
            estimate.expected,
            row["model_expected_deaths"],
        )
        assert estimate.alert == row["model_alert"], row["EventID"]


def test_gissar_1989_shows_the_shaking_model_missing_the_loess_flow_deaths(replay):
    row, event = next(pair for pair in replay if pair[0]["EventID"] == "198901222302")
    estimate = fatality_estimate(expocat_exposure(event), country="TJ")
    assert row["Landslide_flag"] == "1"
    assert float(row["TotalDeaths_obs"]) / estimate.expected > 20.0


def test_tajikistan_uses_the_central_asian_group_model():
    model = country_model("tj")
    assert (model.fatality_theta, model.fatality_beta, model.fatality_g) == (20.476568, 0.280662, 1.462592)
    assert model.fatality_status == "InGroup"
    assert country_model("KG").fatality_theta == model.fatality_theta


def test_loss_rates_rise_with_intensity_and_equal_one_half_at_theta():
    rates = loss_rates(20.476568, 0.280662)
    assert np.all(np.diff(rates) > 0.0)
    assert loss_rates(20.476568, 0.280662, [20.476568])[0] == pytest.approx(0.5)


def test_mmi_ten_is_folded_into_nine_and_bins_below_five_are_ignored():
    folded = fatality_estimate({9: 3000.0, 10: 2000.0})
    together = fatality_estimate({9: 5000.0})
    assert folded.expected == pytest.approx(together.expected, rel=1e-12)
    bins = np.zeros(10)
    bins[:4] = 1e9
    assert fatality_estimate(bins).expected == 0.0


@pytest.mark.parametrize(
    ("expected", "colour"),
    [
        (0.0, "green"),
        (0.999, "green"),
        (1.0, "yellow"),
        (99.9, "yellow"),
        (100.0, "orange"),
        (999.9, "orange"),
        (1000.0, "red"),
        (5e6, "red"),
    ],
)
def test_alert_thresholds(expected, colour):
    assert alert_level(expected) == colour


@pytest.mark.parametrize("expected", [0.0, 0.3, 4.0, 57.0, 999.0, 25_000.0, 2e6])
@pytest.mark.parametrize("spread", [1.0, 1.462592, 2.5])
def test_range_probabilities_sum_to_one(expected, spread):
    probabilities = loss_range_probabilities(expected, spread)
    assert list(probabilities) == [key for key, _, _ in LOSS_RANGES]
    assert all(p >= 0.0 for p in probabilities.values())
    assert sum(probabilities.values()) == pytest.approx(1.0, abs=1e-6)


def test_the_lognormal_is_centred_on_the_expected_value():
    below = loss_range_probabilities(1000.0, 1.462592)
    assert below["0-1"] + below["1-10"] + below["10-100"] + below["100-1000"] == pytest.approx(0.5, abs=1e-6)
    assert max(below, key=below.get) in {"100-1000", "1000-10000"}


def test_pager_small_loss_conventions_cap_the_spread_and_recentre():
    probabilities = loss_range_probabilities(0.0, 2.5)
    centre, spread = 0.5, 1.7613
    expected = norm.cdf(math.log(1.00001 / centre) / spread) - norm.cdf(math.log(0.00001 / centre) / spread)
    assert probabilities["0-1"] == pytest.approx(expected, rel=1e-12)


def test_fatality_probabilities_use_the_truncated_integer_as_pager_does():
    estimate = fatality_estimate({7: 10_000.0})  # about 0.6 expected deaths
    assert 0.0 < estimate.expected < 1.0
    assert estimate.probabilities == loss_range_probabilities(0.0, estimate.spread_g)


def test_economic_loss_scales_with_gdp_and_defaults_to_the_2023_tajik_figure():
    exposure = {6: 200_000.0, 7: 50_000.0, 8: 5_000.0}
    default = economic_estimate(exposure)
    doubled = economic_estimate(exposure, per_capita_gdp_usd=2 * TAJIKISTAN_PER_CAPITA_GDP_2023_USD)
    assert doubled.expected == pytest.approx(2.0 * default.expected, rel=1e-12)
    model = country_model("TJ")
    manual = (
        TAJIKISTAN_PER_CAPITA_GDP_2023_USD
        * model.economic_alpha
        * sum(
            population * loss_rates(model.economic_theta, model.economic_beta, [mmi])[0]
            for mmi, population in exposure.items()
        )
    )
    assert default.expected == pytest.approx(manual, rel=1e-12)
    assert default.unit == "USD"
    assert default.alert == alert_level(default.expected / 1e6)
    assert default.spread_g == model.economic_g


@pytest.mark.parametrize(
    ("exposure", "message"),
    [
        ({5: -1.0}, "non-negative"),
        ({11: 5.0}, "MMI 1..10"),
        ([1.0] * 9, "10 bins"),
        ({5: float("nan")}, "finite"),
    ],
)
def test_bad_exposure_raises_a_loss_model_error(exposure, message):
    with pytest.raises(LossModelError, match=message):
        fatality_estimate(exposure)


def test_unknown_country_raises():
    with pytest.raises(LossModelError, match="XX"):
        fatality_estimate({7: 1.0}, country="XX")


def test_steep_slope_exposure_counts_people_on_steep_strongly_shaken_cells():
    population = np.array([100.0, 200.0, 300.0, 400.0])
    mmi = np.array([6.0, 5.9, 7.5, 8.0])
    slope = np.array([0.3, 0.5, 0.1, np.nan])
    result = steep_slope_exposure(population, mmi, slope)
    assert result.population == 100.0
    assert result.flagged
    assert pytest.approx(math.tan(math.radians(15.0))) == STEEP_SLOPE_M_PER_M
    assert not steep_slope_exposure(population, mmi, np.zeros(4)).flagged
    with pytest.raises(LossModelError, match="shape"):
        steep_slope_exposure(population, mmi, slope[:3])
