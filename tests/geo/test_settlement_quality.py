"""Settlement data a duty officer can trust: one row per place, a population for every place.

The bundled table is checked as shipped (no duplicates, no place without people, modeled figures
marked), and the build's two repair rules are checked on small hand-made inputs.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from hushdor.geo import dataset
from hushdor.geo.grid import Grid

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
def quality():
    """scripts/tjdata/settlement_quality.py, the build's rules (scripts/ is not an installed package)."""
    spec = importlib.util.spec_from_file_location("tj_settlement_quality", SCRIPTS / "tjdata" / "settlement_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_no_place_appears_twice_in_its_district(quality):
    by_key = defaultdict(list)
    for place in dataset.load_settlements():
        by_key[(place.district_code, quality._key(place.name))].append(place)
    twins = [
        (a.id, b.id)
        for places in by_key.values()
        for i, a in enumerate(places)
        for b in places[i + 1 :]
        if quality.distance_km(vars(a), vars(b)) < quality.DUPLICATE_KM
    ]
    assert twins == []
    roghun = [place for place in dataset.load_settlements() if place.name == "Roghun"]
    assert [(place.id, place.population, place.population_source) for place in roghun] == [
        (1220701, 7731, "geonames")
    ]


def test_every_place_has_people_and_says_where_the_figure_comes_from():
    places = dataset.load_settlements()
    assert [place.name for place in places if place.population <= 0] == []
    assert {place.population_source for place in places} == {"geonames", "modeled"}


@pytest.mark.parametrize("name", ["Tajikobod", "Khovaling", "Fayzobod", "Baljuvon"])
def test_the_rasht_district_centres_carry_a_modeled_population(name):
    (place,) = [place for place in dataset.load_settlements() if place.name == name]
    assert place.population_source == "modeled" and place.population > 100


def test_a_modeled_population_is_the_grid_within_two_kilometres():
    grid = dataset.load_population()
    dense = grid.dense()
    (place,) = [place for place in dataset.load_settlements() if place.name == "Tajikobod"]
    lat, lon = grid.grid.row_centres(), grid.grid.column_centres()
    dy = (lat - place.lat)[:, None] * 111.19492664455873
    dx = (lon - place.lon)[None, :] * 111.19492664455873 * np.cos(np.radians(place.lat))
    assert place.population == round(float(dense[dx**2 + dy**2 <= 4.0].sum()))


def _place(pid, name, lat, lon, population, district="D1"):
    return {"id": pid, "name": name, "lat": lat, "lon": lon, "population": population, "district_code": district}


def test_duplicates_merge_to_the_populated_row_and_namesakes_elsewhere_stay(quality):
    places = [
        _place(3, "Roghun", 38.69, 69.74, 0),
        _place(1, "Roghun", 38.78, 69.87, 7731),
        _place(2, "Vahdat", 38.56, 69.01, 45693, "D2"),
        _place(4, "Vahdat", 39.22, 71.19, 6400, "D3"),
        _place(5, "Rasht", 39.03, 70.37, 10771),
        _place(6, "Rasht", 39.60, 70.37, 500),  # same district, 63 km away: another place
    ]
    kept, dropped = quality.merge_duplicates(places)
    assert [place["id"] for place in kept] == [1, 2, 4, 5, 6]
    assert dropped == [(3, 1)]


def test_equal_populations_keep_the_older_record(quality):
    kept, dropped = quality.merge_duplicates([_place(9, "Obi-Garm", 38.7, 69.7, 0), _place(8, "Obigarm", 38.71, 69.7, 0)])
    assert [place["id"] for place in kept] == [8] and dropped == [(9, 8)]


def test_missing_populations_are_filled_from_the_grid_and_marked(quality):
    grid = Grid(west=70.0, south=38.0, east=71.0, north=39.0, resolution_deg=1 / 120, ncols=120, nrows=120)
    population = np.zeros(grid.shape)
    population[60, 60] = 1000.0  # the cell under the place
    population[60, 61] = 500.0  # ~0.72 km east: inside 2 km
    population[60, 70] = 9999.0  # ~7 km east: outside
    lat, lon = grid.row_centres()[60], grid.column_centres()[60]
    places = [_place(1, "Empty", lat, lon, 0), _place(2, "Counted", lat, lon, 1234)]
    filled = quality.fill_missing_populations(places, population, grid)
    assert places[0]["population"] == 1500 and places[0]["population_source"] == "modeled"
    assert places[1]["population"] == 1234 and places[1]["population_source"] == "geonames"
    assert filled == ["Empty 1,500"]


def test_the_rasht_2021_assessment_names_each_place_once_with_a_figure():
    """The event page that showed Roghun twice and four district centres with 0 people."""
    from hushdor.science.quake.impact import EarthquakeInput, assess

    result = assess(EarthquakeInput(lat=38.917, lon=70.554, depth_km=12.0, mag=5.7)).to_json()
    rows = result["settlements"]
    names = [row["name"] for row in rows]
    assert names.count("Roghun") == 1
    # The only name twice is Vahdat: the city east of Dushanbe and the village in Jirgatol, 160 km apart.
    assert {name for name in names if names.count(name) > 1} == {"Vahdat"}
    by_name = {row["name"]: row for row in rows}
    for centre in ("Tajikobod", "Khovaling", "Fayzobod", "Baljuvon"):
        assert by_name[centre]["population"] > 0 and by_name[centre]["population_modeled"] is True
    assert by_name["Rasht"]["population_modeled"] is False
