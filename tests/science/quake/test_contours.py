"""MMI contours: areas of a synthetic radial field, holes, validity and GeoJSON form."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from hushdor.science.quake.contours import InvalidGridError, mmi_contours, roman

RESOLUTION = 0.0125
ROWS, COLUMNS = 540, 948
NORTH, WEST = 41.0, 66.0
CENTRE = (NORTH - RESOLUTION * (ROWS - 1) / 2, WEST + RESOLUTION * (COLUMNS - 1) / 2)


def radial_distance_deg():
    lats = NORTH - RESOLUTION * np.arange(ROWS)
    lons = WEST + RESOLUTION * np.arange(COLUMNS)
    lon_grid, lat_grid = np.meshgrid(lons, lats)
    return np.hypot(lon_grid - CENTRE[1], lat_grid - CENTRE[0])


def geometries(collection):
    return {f["properties"]["mmi"]: shapely.geometry.shape(f["geometry"]) for f in collection["features"]}


@pytest.fixture(scope="module")
def radial():
    return mmi_contours(10.0 - 2.0 * radial_distance_deg(), west=WEST, north=NORTH, resolution=RESOLUTION)


def test_radial_field_areas_match_circles_within_half_a_cell_of_perimeter(radial):
    shapes = geometries(radial)
    assert sorted(shapes) == [4, 5, 6, 7, 8, 9]  # the peak (10) falls between grid nodes
    for level, shape in shapes.items():
        radius = (10.0 - level) / 2.0
        # Simplification (tolerance half a cell) moves the boundary by at most half a cell.
        tolerance = 2.0 * math.pi * radius * RESOLUTION / 2.0
        assert abs(shape.area - math.pi * radius**2) <= tolerance, level


def test_features_are_valid_ccw_multipolygons_with_roman_labels_and_rounded_coordinates(radial):
    for feature in radial["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "MultiPolygon"
        assert feature["properties"]["label"] == roman(feature["properties"]["mmi"])
        shape = shapely.geometry.shape(feature["geometry"])
        assert shape.is_valid
        for polygon in shape.geoms:
            assert polygon.exterior.is_ccw
        coordinates = np.array(shapely.get_coordinates(shape))
        np.testing.assert_allclose(coordinates * 1e4, np.round(coordinates * 1e4), atol=1e-6)


def test_holes_are_preserved():
    distance = radial_distance_deg()
    field = 9.0 - 2.0 * np.abs(distance - 1.5)  # a ring of strong shaking, weaker inside and out
    shapes = geometries(mmi_contours(field, west=WEST, north=NORTH, resolution=RESOLUTION, levels=[7]))
    (polygon,) = shapes[7].geoms
    assert len(polygon.interiors) == 1
    assert not polygon.interiors[0].is_ccw
    expected = math.pi * (2.5**2 - 0.5**2)  # MMI >= 7 where |distance - 1.5| <= 1
    assert abs(polygon.area - expected) <= 2.0 * math.pi * (2.5 + 0.5) * RESOLUTION / 2.0


def test_threshold_offset_gives_pager_rounded_bins():
    distance = radial_distance_deg()
    shapes = geometries(
        mmi_contours(
            10.0 - 2.0 * distance,
            west=WEST,
            north=NORTH,
            resolution=RESOLUTION,
            levels=[6],
            threshold_offset=-0.5,
        )
    )
    radius = 4.5 / 2.0
    assert abs(shapes[6].area - math.pi * radius**2) <= math.pi * radius * RESOLUTION


def test_levels_not_reached_are_omitted_and_nan_cells_are_outside():
    field = np.full((50, 60), 5.2)
    field[:10, :10] = np.nan
    collection = mmi_contours(field, west=70.0, north=39.0, resolution=0.01)
    assert [f["properties"]["mmi"] for f in collection["features"]] == [4, 5]
    shape = geometries(collection)[5]
    assert shape.is_valid
    assert shape.area < 49 * 59 * 0.01**2


def test_roman_numerals():
    assert [roman(n) for n in (1, 4, 6, 9, 10, 12)] == ["I", "IV", "VI", "IX", "X", "XII"]
    with pytest.raises(ValueError, match=r"1\.\.12"):
        roman(0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"mmi": np.zeros(5)}, "2-D"),
        ({"resolution": 0.0}, "resolution"),
        ({"north": 95.0}, "latitudes"),
        ({"mmi": np.full((3, 3), np.nan)}, "no finite"),
    ],
)
def test_bad_grids_raise(arguments, message):
    call = {"mmi": np.zeros((3, 3)), "west": 70.0, "north": 39.0, "resolution": 0.1} | arguments
    with pytest.raises(InvalidGridError, match=message):
        mmi_contours(**call)


def test_noisy_field_gives_valid_disjoint_parts_of_at_least_one_cell():
    """Speckle like a slope-based Vs30 site term: islands, holes and islands in holes, all cleaned."""
    noise = np.random.default_rng(11).normal(0.0, 0.35, (ROWS, COLUMNS))
    field = 10.0 - 2.0 * radial_distance_deg() + noise
    collection = mmi_contours(field, west=WEST, north=NORTH, resolution=RESOLUTION, threshold_offset=-0.5)
    assert [f["properties"]["mmi"] for f in collection["features"]] == [4, 5, 6, 7, 8, 9, 10]
    for feature in collection["features"]:
        shape = shapely.geometry.shape(feature["geometry"])
        assert shape.is_valid, feature["properties"]["label"]
        assert len(shape.geoms) > 1 or feature["properties"]["mmi"] >= 9  # speckle survives as islands
        for polygon in shape.geoms:
            assert polygon.exterior.is_ccw
            assert all(not hole.is_ccw for hole in polygon.interiors)
