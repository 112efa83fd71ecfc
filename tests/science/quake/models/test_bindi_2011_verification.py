"""Bindi et al. (2011) IPEs against OpenQuake's own verification tables (verbatim copies).

``tests/data/reference/oq_verif_Bindi*.csv`` are gem/oq-engine
``openquake/hazardlib/tests/gsim/data/bindi_2011_ipe/*.csv``; OpenQuake's tolerance is 0.1 %.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from hushdor.science.quake.models import bindi_2011, get_model

OPENQUAKE_TOLERANCE = 0.001  # MEAN_DISCREP = 0.1 percent

TABLES = [
    ("oq_verif_Bindi2011_Repi_mean.csv", "BindiEtAl2011Repi", 6786),
    ("oq_verif_Bindi_RepiFixedH_mean.csv", "BindiEtAl2011RepiFixedH", 1131),
    ("oq_verif_Bindi2011_Rhypo_mean.csv", "BindiEtAl2011Rhypo", 1102),
]


def equation_and_prediction(model_name: str, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The unclipped equation (OpenQuake's mean) and ``predict`` (clipped), row by row, vectorised per event."""
    model = get_model(model_name)
    coefficients = bindi_2011.COEFFICIENTS[model.variant]
    distances = table["dist_rhypo"] if model.variant == "Rhypo" else table["dist_repi"]
    depths = table["rup_hypo_depth"] if "rup_hypo_depth" in table.dtype.names else np.full(len(table), 10.0)
    equation, predicted = np.empty(len(table)), np.empty(len(table))
    for magnitude, depth in np.unique(np.column_stack([table["rup_mag"], depths]), axis=0):
        rows = np.flatnonzero((table["rup_mag"] == magnitude) & (depths == depth))
        if model.variant == "Rhypo":
            equation[rows] = bindi_2011.rhypo_intensity(coefficients, magnitude, distances[rows])
        else:
            fixed = bindi_2011.FIXED_DEPTH_KM if model.variant == "RepiFixedH" else depth
            equation[rows] = bindi_2011.repi_intensity(coefficients, magnitude, distances[rows], fixed)
        predicted[rows] = model.predict("MMI", mag=magnitude, distance=distances[rows], hypo_depth=depth).mean
    return equation, predicted


@pytest.mark.parametrize(("file_name", "model_name", "row_count"), TABLES)
def test_bindi_matches_every_row_of_the_openquake_verification_table(
    file_name: str, model_name: str, row_count: int, read_reference_csv: Callable[[str], np.ndarray]
) -> None:
    table = read_reference_csv(file_name)
    assert len(table) == row_count
    equation, predicted = equation_and_prediction(model_name, table)

    expected = table["mmi"]
    equation_error = np.abs(equation - expected) / expected
    worst = int(equation_error.argmax())
    assert equation_error[worst] <= OPENQUAKE_TOLERANCE, (
        f"row {worst}: mag {table['rup_mag'][worst]}, equation {equation[worst]:.5f} vs table {expected[worst]}"
    )
    clipped = np.clip(expected, *bindi_2011.INTENSITY_RANGE)
    prediction_error = np.abs(predicted - clipped) / clipped
    worst = int(prediction_error.argmax())
    assert prediction_error[worst] <= OPENQUAKE_TOLERANCE, (
        f"row {worst}: predicted {predicted[worst]:.5f} vs clipped table {clipped[worst]}"
    )


def test_rhypo_total_sigma_is_what_openquake_3_26_2_returns_not_the_paper_table() -> None:
    prediction = get_model("BindiEtAl2011Rhypo").predict("MMI", mag=6.0, distance=np.array([10.0, 50.0]))
    np.testing.assert_allclose(prediction.sigma_total, np.hypot(0.373, 0.227))
    np.testing.assert_allclose(prediction.sigma_total, 0.4366, atol=5e-5)
    np.testing.assert_allclose(prediction.sigma_inter, 0.373)
    np.testing.assert_allclose(prediction.sigma_intra, 0.227)


@pytest.mark.parametrize(
    ("model_name", "sigma"), [("BindiEtAl2011Repi", 0.737), ("BindiEtAl2011RepiFixedH", 0.689)]
)
def test_repi_forms_return_the_tabulated_total_sigma(model_name: str, sigma: float) -> None:
    prediction = get_model(model_name).predict(
        "MMI", mag=6.0, distance=np.array([0.0, 30.0]), hypo_depth=12.0
    )
    np.testing.assert_allclose(prediction.sigma_total, sigma)
    assert prediction.sigma_inter is None and prediction.sigma_intra is None


def test_intensity_is_clipped_to_the_msk64_range() -> None:
    near_great = get_model("BindiEtAl2011Rhypo").predict("MMI", mag=9.5, distance=np.array([1.0]))
    far_small = get_model("BindiEtAl2011Rhypo").predict("MMI", mag=3.0, distance=np.array([2000.0]))
    coefficients = bindi_2011.COEFFICIENTS["Rhypo"]
    assert bindi_2011.rhypo_intensity(coefficients, 9.5, np.array([1.0]))[0] > 12.0
    assert bindi_2011.rhypo_intensity(coefficients, 3.0, np.array([2000.0]))[0] < 1.0
    assert near_great.mean[0] == 12.0 and far_small.mean[0] == 1.0


def test_zero_depth_and_zero_rhypo_are_floored_at_one_kilometre_not_infinite() -> None:
    at_surface = get_model("BindiEtAl2011Repi").predict(
        "MMI", mag=6.0, distance=np.array([0.0, 5.0]), hypo_depth=0.0
    )
    at_one_km = get_model("BindiEtAl2011Repi").predict(
        "MMI", mag=6.0, distance=np.array([0.0, 5.0]), hypo_depth=1.0
    )
    np.testing.assert_array_equal(at_surface.mean, at_one_km.mean)
    at_hypocentre = get_model("BindiEtAl2011Rhypo").predict("MMI", mag=6.0, distance=np.array([0.0, 1.0]))
    assert np.isfinite(at_hypocentre.mean).all() and at_hypocentre.mean[0] == at_hypocentre.mean[1]


def test_fixed_depth_form_ignores_the_given_depth() -> None:
    model = get_model("BindiEtAl2011RepiFixedH")
    shallow = model.predict("MMI", mag=6.5, distance=np.array([0.0, 40.0]), hypo_depth=3.0)
    deep = model.predict("MMI", mag=6.5, distance=np.array([0.0, 40.0]), hypo_depth=60.0)
    np.testing.assert_array_equal(shallow.mean, deep.mean)
