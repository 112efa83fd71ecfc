"""The working grid contract: 30″, 67.3–75.2 E × 36.6–41.1 N, row 0 north, flat = r * 948 + c."""

import numpy as np
import pytest

from hushdor.geo.errors import GridError
from hushdor.geo.grid import Grid, working_grid


def test_working_grid_has_the_agreed_size_and_shape():
    grid = working_grid()
    assert (grid.ncols, grid.nrows, grid.size) == (948, 540, 511_920)
    assert grid.shape == (540, 948)
    assert grid.resolution_deg == pytest.approx(1 / 120)


def test_row_zero_is_the_north_row_and_cell_centres_follow_the_formula():
    grid = working_grid()
    lat, lon = grid.cell_centres()
    assert lat.shape == lon.shape == (grid.size,)
    r, c = 7, 311
    assert lat[r * 948 + c] == pytest.approx(41.1 - (r + 0.5) / 120)
    assert lon[r * 948 + c] == pytest.approx(67.3 + (c + 0.5) / 120)
    lat2d, lon2d = grid.cell_centres("2d")
    assert lat2d.shape == grid.shape and lat2d[0, 0] > lat2d[-1, 0] and lon2d[0, -1] > lon2d[0, 0]


def test_index_of_round_trips_every_cell_centre():
    grid = working_grid()
    lat, lon = grid.cell_centres()
    np.testing.assert_array_equal(grid.index_of(lat, lon), np.arange(grid.size))
    back_lat, back_lon = grid.centres_of(np.arange(grid.size))
    np.testing.assert_allclose(back_lat, lat)
    np.testing.assert_allclose(back_lon, lon)


def test_index_of_handles_edges_and_points_off_the_grid():
    grid = working_grid()
    assert grid.index_of(41.1, 67.3) == 0
    assert grid.index_of(36.6, 75.2) == grid.size - 1
    assert grid.index_of(41.2, 70.0) == -1
    assert grid.index_of(np.nan, 70.0) == -1
    assert grid.index_of(38.0, 75.3) == -1


def test_cell_area_shrinks_northwards_and_sums_to_the_band_area():
    grid = working_grid()
    area = grid.cell_area_km2()
    assert np.all(np.diff(area) > 0)  # rows run north to south
    # spherical band area between 36.6 and 41.1 N over 7.9 degrees of longitude
    radius = 6371.0088
    expected = radius**2 * np.radians(7.9) * (np.sin(np.radians(41.1)) - np.sin(np.radians(36.6)))
    assert area.sum() * grid.ncols == pytest.approx(expected, rel=1e-9)


def test_inconsistent_grid_definitions_are_refused():
    with pytest.raises(GridError, match="east - west"):
        Grid(west=0, south=0, east=1, north=1, resolution_deg=0.5, ncols=3, nrows=2)
    with pytest.raises(GridError):
        working_grid().index_of([1.0, 2.0], [1.0])
    with pytest.raises(GridError):
        working_grid().centres_of([working_grid().size])
