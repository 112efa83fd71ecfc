"""The model registry, the common interface, and bad input."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from hushdor.science.quake.models import (
    MODELS,
    GroundMotionModel,
    InvalidInputError,
    UnknownModelError,
    UnsupportedIMTError,
    get_model,
)
from hushdor.science.quake.models.base import normalise_imt

COPIED_TABLES = [
    "oq_coeffs_bssa14.csv",
    "oq_coeffs_akkar2014_rjb.csv",
    "oq_coeffs_zhao2006_asc.csv",
    "oq_coeffs_zhao2006_sslab.csv",
    "oq_coeffs_kanno2006_shallow_base.csv",
    "oq_coeffs_kanno2006_deep_base.csv",
    "oq_coeffs_kanno2006_site.csv",
    "worden2012_gmice_coeffs.csv",
]
GROUND_MOTION_MODELS = sorted(name for name, model in MODELS.items() if "MMI" not in model.imts)
INTENSITY_MODELS = sorted(name for name, model in MODELS.items() if "MMI" in model.imts)


def test_registry_holds_the_ten_models_under_their_openquake_names() -> None:
    assert set(MODELS) == {
        "BindiEtAl2011Repi",
        "BindiEtAl2011RepiFixedH",
        "BindiEtAl2011Rhypo",
        "BooreEtAl2014",
        "BooreEtAl2014HighQ",
        "AkkarEtAlRjb2014",
        "ZhaoEtAl2006Asc",
        "ZhaoEtAl2006SSlab",
        "Kanno2006Shallow",
        "Kanno2006Deep",
    }
    for name, model in MODELS.items():
        assert model.name == name
        assert isinstance(model, GroundMotionModel)
        assert model.distance in {"repi", "rhypo", "rjb", "rrup"}
        assert get_model(name) is model


def test_unknown_model_is_refused_with_the_known_names() -> None:
    with pytest.raises(
        UnknownModelError, match=r"unknown ground-motion model 'BooreEtAl2008'.*BooreEtAl2014HighQ"
    ):
        get_model("BooreEtAl2008")


@pytest.mark.parametrize("model_name", INTENSITY_MODELS)
def test_intensity_models_refuse_ground_motion_imts(model_name: str) -> None:
    with pytest.raises(UnsupportedIMTError, match=f"{model_name} does not define IMT 'PGA'.*MMI"):
        get_model(model_name).predict("PGA", mag=6.0, distance=np.array([10.0]))


@pytest.mark.parametrize("model_name", GROUND_MOTION_MODELS)
@pytest.mark.parametrize("imt", ["MMI", "SA(0.333)", "PGD", "SA()", ""])
def test_ground_motion_models_refuse_imts_they_do_not_define(model_name: str, imt: str) -> None:
    with pytest.raises(UnsupportedIMTError):
        get_model(model_name).predict(imt, mag=6.0, distance=np.array([10.0]))


def test_zhao_2006_has_no_pgv() -> None:
    for name in ("ZhaoEtAl2006Asc", "ZhaoEtAl2006SSlab"):
        with pytest.raises(UnsupportedIMTError, match="does not define IMT 'PGV'"):
            get_model(name).predict("PGV", mag=6.0, distance=np.array([10.0]))


def test_imt_names_are_normalised() -> None:
    assert normalise_imt(" pga ") == "PGA"
    assert normalise_imt("SA(0.30)") == "SA(0.3)" == normalise_imt("sa(.3)")
    assert normalise_imt("SA(1)") == "SA(1.0)"
    model = get_model("BooreEtAl2014")
    np.testing.assert_array_equal(
        model.predict("sa(1)", mag=6.0, distance=np.array([10.0])).mean,
        model.predict("SA(1.0)", mag=6.0, distance=np.array([10.0])).mean,
    )


USES_VS30 = {name for name, model in MODELS.items() if model.distance in {"rjb", "rrup"}}
USES_DEPTH = {"BindiEtAl2011Repi", "ZhaoEtAl2006Asc", "ZhaoEtAl2006SSlab"}
USES_RAKE = {"BooreEtAl2014", "BooreEtAl2014HighQ", "AkkarEtAlRjb2014", "ZhaoEtAl2006Asc"}
BAD_INPUTS = [
    ({"distance": np.array([10.0, -1.0])}, "distances must be finite and >= 0", set(MODELS)),
    ({"distance": np.array([10.0, np.nan])}, "distances must be finite and >= 0", set(MODELS)),
    ({"distance": np.array([np.inf])}, "distances must be finite and >= 0", set(MODELS)),
    ({"mag": float("nan")}, "magnitude must be finite", set(MODELS)),
    ({"mag": "six"}, "magnitude must be a number", set(MODELS)),
    ({"vs30": np.array([760.0, 0.0])}, "vs30 must be finite and > 0", USES_VS30),
    ({"hypo_depth": -5.0}, "hypocentral depth", USES_DEPTH),
    ({"rake": 270.0}, "rake must be in", USES_RAKE),
]


@pytest.mark.parametrize(
    ("model_name", "arguments", "message"),
    [(name, arguments, message) for arguments, message, users in BAD_INPUTS for name in sorted(users)],
)
def test_bad_input_is_refused_with_a_clear_message(model_name: str, arguments: dict, message: str) -> None:
    model = get_model(model_name)
    imt = "MMI" if "MMI" in model.imts else "PGA"
    with pytest.raises(InvalidInputError, match=message):
        model.predict(imt, **({"mag": 6.0, "distance": np.array([10.0])} | arguments))


@pytest.mark.parametrize("model_name", sorted(MODELS))
def test_predict_broadcasts_a_grid_of_distances_against_vs30(model_name: str) -> None:
    model = get_model(model_name)
    imt = "MMI" if "MMI" in model.imts else "PGA"
    distances = np.linspace(0.0, 200.0, 12).reshape(3, 4) + 1.0
    vs30 = np.array([250.0, 400.0, 760.0, 1200.0])
    grid = model.predict(imt, mag=6.5, distance=distances, hypo_depth=12.0, vs30=vs30)
    assert grid.mean.shape == grid.sigma_total.shape == (3, 4)
    for row in range(3):
        for column in range(4):
            single = model.predict(
                imt, mag=6.5, distance=distances[row, column], hypo_depth=12.0, vs30=vs30[column]
            )
            assert np.ndim(single.mean) == 0
            np.testing.assert_allclose(grid.mean[row, column], single.mean, rtol=1e-13)
            np.testing.assert_allclose(grid.sigma_total[row, column], single.sigma_total, rtol=1e-13)


@pytest.mark.parametrize("model_name", GROUND_MOTION_MODELS)
def test_shaking_decreases_with_distance_and_grows_with_magnitude(model_name: str) -> None:
    model = get_model(model_name)
    distances = np.array([5.0, 20.0, 60.0, 150.0])
    small = model.predict("PGA", mag=5.0, distance=distances, hypo_depth=40.0, vs30=400.0).mean
    large = model.predict("PGA", mag=7.0, distance=distances, hypo_depth=40.0, vs30=400.0).mean
    assert np.all(np.diff(small) < 0) and np.all(np.diff(large) < 0)
    assert np.all(large > small)


def test_packaged_coefficient_tables_are_copies_of_the_reference_tables(reference_dir: Path) -> None:
    tables = resources.files("hushdor.science.quake").joinpath("tables")
    for name in COPIED_TABLES:
        packaged = tables.joinpath(name).read_bytes()
        assert packaged == (reference_dir / name).read_bytes(), f"{name} differs from the reference"


def test_high_q_table_differs_from_the_base_table_only_in_dc3(
    read_reference_csv: Callable[[str], np.ndarray],
) -> None:
    from hushdor.science.quake.models.boore_2014 import BASE_COEFFICIENTS, HIGH_Q_COEFFICIENTS

    reference = read_reference_csv("oq_coeffs_bssa14.csv")
    assert (
        list(HIGH_Q_COEFFICIENTS)
        == list(BASE_COEFFICIENTS)
        == [normalise_imt(str(name)) for name in reference["imt"]]
    )
    for imt, row in HIGH_Q_COEFFICIENTS.items():
        differing = {column for column, value in row.items() if value != BASE_COEFFICIENTS[imt][column]}
        assert differing <= {"Dc3"}, (imt, differing)
    assert HIGH_Q_COEFFICIENTS["PGA"]["Dc3"] > 0.0 and HIGH_Q_COEFFICIENTS["PGV"]["Dc3"] > 0.0


def test_packaged_pager_loss_table_has_the_reference_rows(reference_dir: Path) -> None:
    """The packaged PAGER θ/β/G table equals the reference copy line for line, but for our own note lines."""
    packaged = resources.files("hushdor.science.quake").joinpath("tables", "pager_empirical_models_by_country.csv")
    ours = [line for line in packaged.read_text(encoding="utf-8").splitlines() if "(Hushdor)" not in line]
    theirs = (reference_dir / "pager_empirical_models_by_country.csv").read_text(encoding="utf-8").splitlines()
    assert ours == theirs
    assert len([line for line in theirs if not line.startswith("#")]) > 250
