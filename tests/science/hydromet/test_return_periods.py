"""Gumbel by L-moments against an independent hand computation and the worked numbers of the notes."""

from __future__ import annotations

import itertools
import json
import math

import pytest
from django.core.management import CommandError, call_command

from hushdor.science.hydromet.return_periods import ReturnPeriodError, gumbel_l_moments

MAXIMA = [410.0, 520.0, 380.0, 690.0, 450.0, 600.0, 1210.0, 530.0, 475.0, 820.0]


def by_hand(values: list[float], years: float) -> float:
    """λ2 as half the mean absolute difference of all pairs (Hosking 1990, eq. 2.3), not from PWMs."""
    pairs = list(itertools.combinations(values, 2))
    lambda1 = sum(values) / len(values)
    lambda2 = sum(abs(a - b) for a, b in pairs) / len(pairs) / 2.0
    alpha = lambda2 / math.log(2.0)
    xi = lambda1 - 0.5772156649 * alpha
    return xi - alpha * math.log(-math.log(1.0 - 1.0 / years))


@pytest.mark.parametrize("years", [2, 5, 20, 100])
def test_return_levels_match_the_hand_computation_within_half_a_percent(years):
    fit = gumbel_l_moments(MAXIMA)
    assert fit.level(years) == pytest.approx(by_hand(MAXIMA, years), rel=5e-3)
    assert fit.level(years) == pytest.approx(by_hand(MAXIMA, years), rel=1e-9)  # in fact to rounding


def test_the_worked_example_of_the_glofas_formulas():
    # λ1 = 500, λ2 = 100 m³/s gives Q2 ≈ 470, Q5 ≈ 633, Q20 ≈ 845, Q100 ≈ 1080 (reference notes, A.2)
    alpha = 100.0 / math.log(2.0)
    fit = type(gumbel_l_moments(MAXIMA))(xi=500.0 - 0.5772156649 * alpha, alpha=alpha, n_years=30)
    assert [round(fit.level(t), -1) for t in (2, 5, 20, 100)] == [470.0, 630.0, 850.0, 1080.0]


def test_too_few_years_or_no_variation_is_a_clear_error():
    with pytest.raises(ReturnPeriodError, match="at least 5"):
        gumbel_l_moments([1.0, 2.0, 3.0])
    with pytest.raises(ReturnPeriodError, match="do not vary"):
        gumbel_l_moments([5.0] * 8)
    with pytest.raises(ReturnPeriodError, match="finite"):
        gumbel_l_moments([1.0, 2.0, float("nan"), 3.0, 4.0])


def test_the_command_prints_every_station_with_the_documented_keys(tmp_path, capsys):
    rows = ["station,year,annual_max"] + [f"VAKHSH-KOMSOMOLABAD,{2000 + k},{v}" for k, v in enumerate(MAXIMA)]
    rows += [f"VARZOB,{2000 + k},{v / 10}" for k, v in enumerate(MAXIMA)]
    path = tmp_path / "maxima.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    call_command("hydromet", "return-periods", str(path), "--json")
    document = json.loads(capsys.readouterr().out)
    assert [row["station"] for row in document["stations"]] == ["VAKHSH-KOMSOMOLABAD", "VARZOB"]
    first = document["stations"][0]
    assert set(first) == {"station", "n_years", "xi", "alpha", "T2", "T5", "T20", "T100"}
    assert first["n_years"] == 10
    for years in (2, 5, 20, 100):
        assert first[f"T{years}"] == pytest.approx(by_hand(MAXIMA, years), rel=5e-3)
    assert document["stations"][1]["T20"] == pytest.approx(first["T20"] / 10, rel=1e-4)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("station,year\nA,2001\n", "missing column"),
        ("station,year,annual_max\nA,2001,x\n", "row 2"),
        ("station,year,annual_max\nA,2001,3\nA,2001,4\n", "two annual maxima for 2001"),
        ("station,year,annual_max\nA,2001,3\nA,2002,4\n", "at least 5"),
    ],
)
def test_bad_files_are_refused_naming_the_row(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message) as raised:
        call_command("hydromet", "return-periods", str(path), "--json")
    assert raised.value.returncode == 2
