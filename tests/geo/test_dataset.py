"""The committed Tajikistan dataset (src/hushdor/data/tj), read through hushdor.geo.dataset.

Expected figures come from outside the code: the official regional totals for 1 July 2023
(Agency on Statistics, reference/README.md) and the GEBCO spot heights measured at the nearest
15″ cell in reference/notes/data-tajikistan.md section 7.1.
"""

import re

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from hushdor.geo import dataset
from hushdor.geo.errors import DatasetError

OFFICIAL_2023 = {
    "TJ-KT": 3_649_300,
    "TJ-SU": 2_889_400,
    "TJ-RA": 2_163_600,
    "TJ-DU": 1_228_400,
    "TJ-GB": 232_700,
}


@pytest.fixture(scope="module")
def population():
    return dataset.load_population()


@pytest.fixture(scope="module")
def outline():
    return shape(dataset.load_layer("country")["features"][0]["geometry"])


def _settlement(name):
    return next(s for s in dataset.load_settlements() if s.name == name)


def test_five_regions_carry_iso_3166_2_codes_and_three_languages():
    regions = dataset.load_regions()
    assert [region.code for region in regions] == sorted(OFFICIAL_2023)
    for region in regions:
        assert region.name and region.name_ru and region.name_tg
        assert region.population == OFFICIAL_2023[region.code]
        assert region.geometry.is_valid and region.geometry.area > 0


def test_each_region_total_on_the_grid_is_its_official_figure(population):
    codes = [region.code for region in dataset.load_regions()]
    sums = np.bincount(population.region_index, weights=population.population.astype(np.float64))
    for number, code in enumerate(codes):
        assert sums[number] == pytest.approx(OFFICIAL_2023[code], rel=0.005)
        assert sums[number] == pytest.approx(OFFICIAL_2023[code], abs=1.0)  # exact up to float32 rounding


def test_national_total_is_the_sum_of_the_official_regional_figures(population):
    assert population.total() == pytest.approx(10_163_400, rel=0.005)
    assert population.metadata["modeled"] is True
    assert population.metadata["national_total"] == 10_163_400


def test_every_district_has_a_region_and_a_readable_code():
    districts = dataset.load_districts()
    region_codes = {region.code for region in dataset.load_regions()}
    assert len(districts) >= 58
    assert len({d.code for d in districts}) == len(districts)
    for district in districts:
        assert district.region_code in region_codes
        assert re.fullmatch(rf"{district.region_code}-[A-Z0-9]+(-[A-Z0-9]+)*", district.code)
    assert "TJ-DU-DUSHANBE" in {d.code for d in districts}
    assert "TJ-SU-ISFARA" in {d.code for d in districts}


def test_district_totals_on_the_grid_match_the_district_records(population):
    districts = dataset.load_districts()
    sums = np.bincount(
        population.district_index, weights=population.population.astype(np.float64), minlength=len(districts)
    )
    for number, district in enumerate(districts):
        assert sums[number] == pytest.approx(district.population, abs=1.0)
    regions = [region.code for region in dataset.load_regions()]
    parent = np.array([regions.index(d.region_code) for d in districts])
    np.testing.assert_array_equal(parent[population.district_index], population.region_index)


def test_dushanbe_unit_was_carved_out_of_rudaki():
    districts = {d.code: d for d in dataset.load_districts()}
    dushanbe, rudaki = districts["TJ-DU-DUSHANBE"], districts["TJ-RA-RUDAKI"]
    assert dushanbe.geometry.intersection(rudaki.geometry).area < 1e-6 * dushanbe.geometry.area + 1e-9
    assert dushanbe.geometry.covers(shapely.Point(68.77905, 38.53575))


def test_settlements_lie_in_their_district_and_in_tajikistan(outline):
    settlements = dataset.load_settlements()
    districts = {d.code: d for d in dataset.load_districts()}
    assert len(settlements) >= 100
    # Natural Earth 10m is a 1:10 million generalisation; two border towns on the Panj and in
    # Sughd (Panji Poyon, Zarxoq) lie up to 0.3 km outside its line (note section 3.2), so the
    # outline is taken with 0.005° (~0.5 km, less than one 30″ cell) of slack. The districts
    # (geoBoundaries) are checked strictly.
    slack_outline = outline.buffer(0.005)
    for place in settlements:
        point = shapely.Point(place.lon, place.lat)
        assert districts[place.district_code].geometry.covers(point), place.name
        assert districts[place.district_code].region_code == place.region_code
        assert slack_outline.covers(point), place.name


def _lake_cells(point_lon, point_lat):
    lake = next(
        shape(f["geometry"])
        for f in dataset.load_layer("lakes")["features"]
        if shape(f["geometry"]).covers(shapely.Point(point_lon, point_lat))
    )
    lat, lon = dataset.working_grid().cell_centres()
    return np.flatnonzero(shapely.contains_xy(lake, lon, lat))


@pytest.mark.parametrize(("name", "lon", "lat"), [("Sarez", 72.65, 38.23), ("Karakul", 73.40, 39.03)])
def test_nobody_lives_on_lake_cells(population, name, lon, lat):
    cells = _lake_cells(lon, lat)
    assert cells.size > 50, f"{name} should cover many 30″ cells"
    assert not np.isin(cells, population.cell_index).any(), f"people placed on {name}"


def test_nobody_lives_above_the_elevation_limit_except_in_a_settlement_cell(population):
    limit = population.metadata["parameters"]["max_elevation_m"]
    elevation = dataset.load_elevation().ravel()[population.cell_index]
    high = population.cell_index[elevation > limit]
    settlement_cells = dataset.working_grid().index_of(
        [s.lat for s in dataset.load_settlements()], [s.lon for s in dataset.load_settlements()]
    )
    assert np.isin(high, settlement_cells).all()


# Spot heights of the note (section 7.1): GEBCO's 15″ cell nearest to the town point. Dushanbe and
# Khujand were sampled at their GeoNames points; Murghob's 3,659 m is the 15″ cell at 38.17 N 73.96 E
# (the GeoNames point, 0.6 km east, sits on 3,593 m), so each test samples where the note did.
# A 30″ cell is the mean of four 15″ cells, each within one 15″ step (0.36 km E-W, 0.46 km N-S) of
# the sampled one, so the mean can differ by up to the height change over one step: a few metres
# per step on the flat valley floors of Dushanbe and Khujand (tolerance 25 m), ~60 m per step at
# the foot of the valley side at Murghob, where GEBCO rises from 3,593 m to 3,659 m over two steps
# and to 3,686 m over three (tolerance 60 m).
@pytest.mark.parametrize(
    ("lat", "lon", "expected_m", "tolerance_m"),
    [
        (38.53575, 68.77905, 768, 25),  # Dushanbe, GeoNames 1221874
        (40.28256, 69.62216, 340, 25),  # Khujand, GeoNames 1514879
        (38.17, 73.96, 3659, 60),  # Murghob, the note's sampling point
    ],
)
def test_elevation_matches_gebco_spot_heights(lat, lon, expected_m, tolerance_m):
    index = dataset.working_grid().index_of(lat, lon)
    assert dataset.load_elevation().ravel()[index] == pytest.approx(expected_m, abs=tolerance_m)


def test_dushanbe_cell_is_densely_populated(population):
    # 1,500 inhabitants per km² is the "urban centre" density threshold of the degree of
    # urbanisation (Dijkstra, L. and Poelman, H. 2014, European Commission Regional Working Paper 01/2014).
    grid = dataset.working_grid()
    place = _settlement("Dushanbe")
    index = int(grid.index_of(place.lat, place.lon))
    density = population.dense().ravel()[index] / grid.cell_area_km2()[index // grid.ncols]
    assert density > 1_500
    assert population.dense().ravel()[index] >= np.quantile(population.population, 0.99)


def test_population_arrays_are_sparse_sorted_and_typed(population):
    assert population.cell_index.dtype == np.int32 and population.population.dtype == np.float32
    assert population.district_index.dtype == np.int16 and population.region_index.dtype == np.int8
    assert np.all(np.diff(population.cell_index) > 0)
    assert np.all(population.population > 0)
    assert population.dense().shape == dataset.working_grid().shape


def test_elevation_grid_has_the_working_shape_and_is_read_only():
    elevation = dataset.load_elevation()
    assert elevation.shape == (540, 948) and elevation.dtype == np.int16
    with pytest.raises(ValueError):
        elevation[0, 0] = 1


def test_basemap_layers_are_geojson_and_copies():
    for name in dataset.LAYER_NAMES:
        layer = dataset.load_layer(name)
        assert layer["type"] == "FeatureCollection" and layer["features"]
    dataset.load_layer("rivers")["features"].clear()
    assert dataset.load_layer("rivers")["features"]


def test_bad_requests_raise_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="unknown layer"):
        dataset.load_layer("roads")
    with pytest.raises(DatasetError, match=r"regions\.geojson is missing"):
        dataset.load_regions(tmp_path)
    (tmp_path / "population_30s.npz").write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match=r"population_30s\.npz"):
        dataset.load_population(tmp_path)
