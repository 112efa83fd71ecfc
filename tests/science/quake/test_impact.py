"""The rapid-impact assessment: exposure bookkeeping, model-set choice, real and far-away events, input checks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hushdor.geo.grid import Grid
from hushdor.science.quake.distances import InvalidEventError, compute_distances
from hushdor.science.quake.exposure import Exposure, Settlements
from hushdor.science.quake.impact import EarthquakeInput, assess, exposure_bins

SAREZ = EarthquakeInput(lat=38.211, lon=72.780, depth_km=22.0, mag=7.2)


def small_exposure(vs30: float | None = None) -> Exposure:
    """A 0.05-degree grid around the Pamir, 2 regions, 3 districts, 3 settlements (synthetic)."""
    grid = Grid(west=71.0, south=37.0, east=75.0, north=40.0, resolution_deg=0.05, ncols=80, nrows=60)
    rng = np.random.default_rng(3)
    cells = np.sort(rng.choice(grid.size, 1500, replace=False))
    _, lon = grid.centres_of(cells)
    vs30_grid = np.full(grid.size, vs30) if vs30 is not None else rng.uniform(250.0, 900.0, grid.size)
    settlements = Settlements(
        name=("Near", "Middle", "Far"),
        lat=np.array([38.2, 38.6, 39.9]),
        lon=np.array([72.8, 73.5, 71.1]),
        population=np.array([5000.0, 20000.0, 800.0]),
        vs30=np.array([760.0, 760.0, 760.0]),
        region=("East", "East", "West"),
    )
    return Exposure.from_grid(
        grid,
        vs30=vs30_grid,
        cell_index=cells,
        population=rng.uniform(1.0, 500.0, cells.size),
        region_index=(lon > 73.0).astype(np.intp),
        district_index=np.minimum(((lon - 71.0) / 1.4).astype(np.intp), 2),
        slope=rng.uniform(0.0, 0.5, cells.size),
        region_names=("West", "East"),
        district_names=("D1", "D2", "D3"),
        settlements=settlements,
    )


def test_exposure_bins_round_to_the_nearest_intensity_like_pager() -> None:
    bins, per_bin = exposure_bins(np.array([5.49, 5.5, 0.0, 10.7, 1.2], dtype=np.float32), np.ones(5))
    assert bins.tolist() == [5, 6, 0, 10, 1]
    assert per_bin.tolist() == [1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1]


def test_exposure_sums_to_the_population_of_the_grid() -> None:
    exposure = small_exposure()
    result = assess(SAREZ, exposure)
    assert set(result.exposure_by_mmi) == {str(k) for k in range(1, 11)}
    assert sum(result.exposure_by_mmi.values()) == pytest.approx(exposure.total_population, abs=10)
    regions = {row["name"]: row for row in result.regions}
    assert sum(row["population"] for row in regions.values()) == pytest.approx(
        exposure.total_population, abs=2
    )
    assert (
        regions["East"]["exposed_mmi6_plus"]
        <= regions["East"]["exposed_mmi5_plus"]
        <= regions["East"]["population"]
    )


def test_intensity_decreases_with_distance_on_uniform_ground() -> None:
    exposure = small_exposure(vs30=500.0)
    result = assess(SAREZ, exposure)
    lat, lon = exposure.grid.cell_centres()
    distance = compute_distances(
        lat, lon, event_lat=SAREZ.lat, event_lon=SAREZ.lon, depth_km=22.0, mag=7.2
    ).repi
    order = np.argsort(distance)
    along = result.grid_mmi[order].astype(np.float64)
    assert along[0] > along[-1] + 2.0
    assert np.all(np.diff(along) <= 1e-4)  # float32 rounding only


def test_depth_chooses_the_shallow_or_the_intermediate_depth_branches() -> None:
    exposure = small_exposure()
    shallow = assess(SAREZ, exposure)
    deep = assess(EarthquakeInput(lat=36.52, lon=70.37, depth_km=213.0, mag=7.5), exposure)
    assert shallow.regime == "shallow crustal"
    assert [b["model"] for b in shallow.branches] == ["BindiEtAl2011Repi", "BooreEtAl2014HighQ"]
    assert deep.regime == "intermediate-depth"
    assert [b["model"] for b in deep.branches] == ["ZhaoEtAl2006SSlab"]
    kanno = assess(
        EarthquakeInput(lat=36.52, lon=70.37, depth_km=213.0, mag=7.5, model_set="tajikistan-kanno-deep"),
        exposure,
    )
    assert [b["model"] for b in kanno.branches] == ["Kanno2006Deep"]


def test_settlements_are_listed_most_shaken_first_with_a_sigma() -> None:
    result = assess(SAREZ, small_exposure())
    names = [row["name"] for row in result.settlements]
    assert names[0] == "Near"
    mmi = [row["mmi"] for row in result.settlements]
    assert mmi == sorted(mmi, reverse=True)
    assert all(0.4 < row["sigma"] < 1.5 for row in result.settlements)


def test_a_strike_gives_a_line_source_with_more_shaking_along_it() -> None:
    exposure = small_exposure(vs30=500.0)
    along_north = assess(EarthquakeInput(lat=38.2, lon=72.8, depth_km=15.0, mag=7.5, strike=0.0), exposure)
    along_east = assess(EarthquakeInput(lat=38.2, lon=72.8, depth_km=15.0, mag=7.5, strike=90.0), exposure)
    north_cell = exposure.grid.index_of(38.6, 72.8)
    assert along_north.grid_mmi[north_cell] > along_east.grid_mmi[north_cell]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("mag", 10.5, "magnitude"),
        ("mag", -0.1, "magnitude"),
        ("depth_km", 701.0, "depth"),
        ("depth_km", -1.0, "depth"),
        ("lat", 91.0, "latitude"),
        ("lon", float("nan"), "longitude"),
        ("mag", "seven", "magnitude must be a number"),
        ("strike", 400.0, "strike"),
    ],
)
def test_bad_input_is_refused_with_one_clear_sentence(field: str, value: object, words: str) -> None:
    event = EarthquakeInput(**{**SAREZ.__dict__, field: value})
    with pytest.raises(InvalidEventError, match=words) as caught:
        assess(event, small_exposure())
    assert "\n" not in str(caught.value)


@pytest.fixture(scope="module")
def tajikistan() -> Exposure:
    return Exposure.bundled()


def test_sarez_2015_shakes_gbao_at_viii_near_the_epicentre(tajikistan: Exposure) -> None:
    result = assess(SAREZ, tajikistan)
    assert result.max_mmi is not None and result.max_mmi >= 8.0
    gbao = next(row for row in result.regions if row["name"] == "Gorno-Badakhshan")
    assert gbao["exposed_mmi6_plus"] > 0 and gbao["max_mmi"] == result.max_mmi
    assert sum(result.exposure_by_mmi.values()) == pytest.approx(tajikistan.total_population, abs=10)
    assert result.fatalities.alert in {"green", "yellow", "orange", "red"}
    document = json.loads(json.dumps(result.to_json()))
    for key in (
        "exposure_by_mmi",
        "max_mmi",
        "fatalities",
        "economic",
        "regions",
        "districts",
        "settlements",
        "model_set",
        "timings_ms",
        "notes",
        "coverage",
    ):
        assert key in document
    assert set(document["fatalities"]) >= {"expected", "alert", "probabilities"}
    assert document["timings_ms"]["total"] >= document["timings_ms"]["distances"] > 0.0
    assert document["coverage"] == "Tajikistan only"
    assert set(document["settlements"][0]) >= {"name", "mmi", "population"}


def test_an_event_in_chile_assesses_with_zero_exposure(tajikistan: Exposure) -> None:
    result = assess(EarthquakeInput(lat=-33.45, lon=-70.66, depth_km=30.0, mag=8.2), tajikistan)
    assert set(result.exposure_by_mmi.values()) == {0}
    assert result.max_mmi is None
    assert result.settlements == []
    assert result.fatalities.expected == 0.0 and result.fatalities.alert == "green"


def test_contours_come_from_the_same_full_grid_field() -> None:
    result = assess(SAREZ, small_exposure(vs30=500.0), contours=True)
    assert result.contours is not None and result.contours["type"] == "FeatureCollection"
    levels = [feature["properties"]["mmi"] for feature in result.contours["features"]]
    assert levels and max(levels) == round(float(result.grid_mmi.max()))
    assert "contours" in result.timings_ms


@pytest.mark.parametrize("step", [1, 2, 3])
def test_stepped_shaking_equals_the_box_taken_every_step_cells(step):
    from hushdor.science.quake.impact import stepped_shaking

    exposure = Exposure.bundled()
    event = EarthquakeInput(lat=38.211, lon=72.780, depth_km=22.0, mag=7.2)
    box = assess(event, exposure).grid_mmi.reshape(exposure.grid.shape)
    np.testing.assert_allclose(stepped_shaking(event, exposure, step), box[::step, ::step], rtol=1e-6, atol=1e-6)


def test_the_populated_cells_carry_the_same_shaking_as_the_box():
    exposure = Exposure.bundled()
    result = assess(EarthquakeInput(lat=39.0, lon=70.3, depth_km=12.0, mag=6.4), exposure)
    from hushdor.science.quake.impact import site_shaking
    from hushdor.science.quake.model_sets import get_model_set

    cells, _ = site_shaking(result.event, get_model_set(None), exposure.cell_sites)
    np.testing.assert_allclose(cells, result.grid_mmi[exposure.cell_index], rtol=1e-6, atol=1e-6)
    assert result.max_mmi == round(float(cells.max()), 2)
