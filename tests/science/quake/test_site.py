"""Vs30 from topographic slope (Wald & Allen 2007, active tectonic) and slope from a DEM."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hushdor.science.quake.site import (
    ALLEN_WALD_2009_ACTIVE,
    EARTH_RADIUS_M,
    WALD_ALLEN_2007_ACTIVE,
    InvalidSiteInputError,
    slope_from_elevation,
    uniform_vs30,
    vs30_from_slope,
)

# (slope m/m, Vs30 m/s) at the class boundaries of Wald & Allen (2007) Table 1, active tectonic.
CLASS_BOUNDARIES = [
    (1.0e-4, 180.0),
    (2.2e-3, 240.0),
    (6.3e-3, 300.0),
    (0.018, 360.0),
    (0.05, 490.0),
    (0.10, 620.0),
    (0.138, 760.0),
]


@pytest.mark.parametrize(("slope", "vs30"), CLASS_BOUNDARIES)
def test_class_boundaries_map_to_the_table_velocities(slope, vs30):
    assert vs30_from_slope(np.array([slope]))[0] == pytest.approx(vs30, rel=1e-9)


def test_inside_a_class_vs30_is_log_log_interpolated():
    for v_low, v_high, s_low, s_high in WALD_ALLEN_2007_ACTIVE:
        middle = vs30_from_slope(np.array([math.sqrt(s_low * s_high)]))[0]
        assert middle == pytest.approx(math.sqrt(v_low * v_high), rel=1e-9)


def test_vs30_never_decreases_with_slope_and_stays_within_180_and_900():
    vs30 = vs30_from_slope(np.geomspace(1e-7, 10.0, 2000))
    assert np.all(np.diff(vs30) >= 0.0)
    assert vs30.min() == 180.0
    assert vs30.max() == 900.0


def test_flat_ground_gets_the_lowest_class_and_steep_ground_rock():
    assert vs30_from_slope(np.array([0.0, 1e-6, 5e-5])).tolist() == [180.0, 180.0, 180.0]
    steep = vs30_from_slope(np.array([0.2, 0.5, 1.0]))
    assert np.all(steep >= 760.0)
    assert np.all(steep <= 900.0)


def test_water_cells_get_600_whatever_their_slope():
    slope = np.array([[0.0, 0.3], [np.nan, 0.01]])
    water = np.array([[True, False], [True, False]])
    vs30 = vs30_from_slope(slope, water=water)
    assert vs30[0, 0] == 600.0
    assert vs30[1, 0] == 600.0
    assert vs30[0, 1] > 760.0


def test_allen_wald_2009_table_is_available_with_its_own_first_bound():
    assert vs30_from_slope(np.array([3.0e-4]), table=ALLEN_WALD_2009_ACTIVE)[0] == pytest.approx(180.0)
    assert vs30_from_slope(np.array([3.0e-4]))[0] > 180.0


@pytest.mark.parametrize("bad", [[-0.1], [np.nan], [np.inf]])
def test_bad_land_slopes_raise(bad):
    with pytest.raises(InvalidSiteInputError, match="slope"):
        vs30_from_slope(np.array(bad))


def test_a_north_facing_plane_has_its_gradient_as_slope():
    resolution = 1.0 / 120.0
    lats = 40.0 - resolution * np.arange(30)
    northing_m = (lats - lats[-1]) * EARTH_RADIUS_M * math.pi / 180.0
    elevation = np.repeat((0.05 * northing_m)[:, None], 25, axis=1)
    np.testing.assert_allclose(slope_from_elevation(elevation, lats, resolution), 0.05, rtol=1e-9)


def test_east_west_spacing_shrinks_with_cos_latitude():
    resolution = 1.0 / 120.0
    lats = np.array([60.0, 60.0 - resolution, 60.0 - 2 * resolution])
    step_m = 10.0  # metres of rise per column
    elevation = np.tile(step_m * np.arange(20, dtype=float), (3, 1))
    slope = slope_from_elevation(elevation, lats, resolution)
    spacing = EARTH_RADIUS_M * math.radians(resolution) * np.cos(np.radians(lats))
    np.testing.assert_allclose(slope, (step_m / spacing)[:, None] * np.ones((1, 20)), rtol=1e-12)


def test_slope_input_errors_name_the_problem():
    with pytest.raises(InvalidSiteInputError, match="lat_centres"):
        slope_from_elevation(np.zeros((4, 4)), np.zeros(3), 0.01)
    with pytest.raises(InvalidSiteInputError, match="2-D"):
        slope_from_elevation(np.zeros(4), np.zeros(4), 0.01)
    with pytest.raises(InvalidSiteInputError, match="resolution"):
        slope_from_elevation(np.zeros((4, 4)), np.zeros(4), 0.0)


def test_uniform_vs30():
    assert uniform_vs30(3).tolist() == [760.0, 760.0, 760.0]
    assert uniform_vs30(2, 400.0).tolist() == [400.0, 400.0]
    with pytest.raises(InvalidSiteInputError):
        uniform_vs30(2, 50.0)
