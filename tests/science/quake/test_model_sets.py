"""Model sets: registry, depth selection, weights, mixture sigma, and the Tajik scenario sanity table."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from hushdor.science.quake.gmice.worden_2012 import SUPPORTED_IMTS, mmi_from_pgm
from hushdor.science.quake.model_sets import (
    DEFAULT_MODEL_SET,
    INTERMEDIATE_DEPTH_KM,
    MODEL_SETS,
    Branch,
    InvalidModelSetError,
    ModelSet,
    UnknownModelSetError,
    get_model_set,
)
from hushdor.science.quake.models import get_model
from hushdor.science.quake.shaking import mixture


def test_default_set_uses_bindi_and_bssa14_high_q_for_shallow_events() -> None:
    shallow = get_model_set().branches_for(22.0)
    assert [(b.model, b.imt) for b in shallow] == [
        ("BindiEtAl2011Repi", "MMI"),
        ("BooreEtAl2014HighQ", "PGV"),
    ]
    assert sum(b.weight for b in shallow) == pytest.approx(1.0)


def test_depth_split_picks_the_in_slab_model_at_and_below_the_boundary() -> None:
    model_set = get_model_set(DEFAULT_MODEL_SET)
    assert model_set.branches_for(INTERMEDIATE_DEPTH_KM - 0.1) == model_set.shallow
    assert [b.model for b in model_set.branches_for(INTERMEDIATE_DEPTH_KM)] == ["ZhaoEtAl2006SSlab"]
    assert model_set.regime_for(213.0) == "intermediate-depth"
    assert [b.model for b in get_model_set("tajikistan-kanno-deep").branches_for(192.0)] == ["Kanno2006Deep"]


@pytest.mark.parametrize("name", sorted(MODEL_SETS))
def test_every_branch_names_a_registered_model_that_defines_its_route(name: str) -> None:
    for branch in (*MODEL_SETS[name].shallow, *MODEL_SETS[name].deep):
        model = get_model(branch.model)
        assert branch.imt in model.imts
        if branch.via_gmice:
            assert branch.imt in SUPPORTED_IMTS


def test_unknown_set_names_the_choices() -> None:
    with pytest.raises(UnknownModelSetError, match="tajikistan-kanno-deep"):
        get_model_set("no-such-set")
    assert get_model_set(" Tajikistan ").name == "tajikistan"


def test_weights_must_sum_to_one_and_routes_must_be_known() -> None:
    with pytest.raises(InvalidModelSetError, match="sum to 1"):
        ModelSet(
            "bad", "", (Branch("BindiEtAl2011Repi", 0.7, "MMI"),), (Branch("ZhaoEtAl2006SSlab", 1.0, "PGA"),)
        )
    with pytest.raises(InvalidModelSetError, match="SA"):
        ModelSet(
            "bad", "", (Branch("BooreEtAl2014", 1.0, "SA(1.0)"),), (Branch("ZhaoEtAl2006SSlab", 1.0, "PGA"),)
        )


def test_mixture_sigma_adds_the_spread_between_branches() -> None:
    means = [np.array([6.0, 5.0]), np.array([7.0, 5.0])]
    sigmas = [np.array([0.6, 0.6]), np.array([0.8, 0.8])]
    mean, sigma = mixture([0.5, 0.5], means, sigmas)
    np.testing.assert_allclose(mean, [6.5, 5.0])
    expected_first = np.sqrt(0.5 * (0.36 + 0.25) + 0.5 * (0.64 + 0.25))
    expected_second = np.sqrt(0.5 * 0.36 + 0.5 * 0.64)
    np.testing.assert_allclose(sigma, [expected_first, expected_second])


def _scenario_rows(reference_dir: Path) -> list[dict[str, float]]:
    text = (reference_dir / "tajik_scenarios_oq_predictions.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return [
        {key: (value if key == "event" else float(value)) for key, value in row.items()} for row in reader
    ]


def test_component_models_reproduce_the_tajik_scenario_table(reference_dir: Path) -> None:
    """Every row of tajik_scenarios_oq_predictions.csv (OQ 3.26.2 + WGRW12), to its printed precision."""
    rows = _scenario_rows(reference_dir)
    assert len(rows) == 40
    worst: dict[str, float] = {}

    def check(column: str, ours: float, table: float, decimals: int) -> None:
        error = abs(ours - table)
        worst[column] = max(worst.get(column, 0.0), error)
        assert error <= 0.5 * 10.0**-decimals + 1e-9, (column, ours, table)

    for row in rows:
        mag, depth, rake, repi = row["Mw"], row["depth_km"], row["rake"], row["repi_km"]
        rhypo = float(np.hypot(repi, depth))
        bindi = get_model("BindiEtAl2011Repi").predict("MMI", mag=mag, distance=repi, hypo_depth=depth)
        check("bindi_repi", float(bindi.mean), row["MMI_Bindi2011Repi(MSK64)"], 2)
        rhypo_mmi = get_model("BindiEtAl2011Rhypo").predict("MMI", mag=mag, distance=rhypo)
        check("bindi_rhypo", float(rhypo_mmi.mean), row["MMI_Bindi2011Rhypo"], 2)
        for model, label in (("BooreEtAl2014", "BSSA14"), ("AkkarEtAlRjb2014", "Akkar14")):
            gmm = get_model(model)
            pga = gmm.predict("PGA", mag=mag, distance=repi, vs30=760.0, rake=rake).mean
            pgv = gmm.predict("PGV", mag=mag, distance=repi, vs30=760.0, rake=rake).mean
            check(f"{label}_pga", float(np.exp(pga)), row[f"PGA_g_{label}"], 4)
            check(f"{label}_pgv", float(np.exp(pgv)), row[f"PGV_cms_{label}"], 2)
            check(f"{label}_mmi", float(mmi_from_pgm("PGV", pgv)[0]), row[f"MMI_WGRW12_from_{label}_PGV"], 2)
    assert set(worst) == {
        "bindi_repi",
        "bindi_rhypo",
        "BSSA14_pga",
        "BSSA14_pgv",
        "BSSA14_mmi",
        "Akkar14_pga",
        "Akkar14_pgv",
        "Akkar14_mmi",
    }
