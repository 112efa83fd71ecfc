"""Distances: haversine, hypocentral, finite-rupture approximations and input validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod

from hushdor.science.quake.distances import (
    EARTH_RADIUS_KM,
    InvalidEventError,
    compute_distances,
    epicentral_distance_km,
    project_local_km,
)
from hushdor.science.quake.rupture import (
    mean_rjb_over_strikes_unit,
    orientation_averaged_rjb,
    rupture_width_km,
    subsurface_rupture_length_km,
)

SPHERE = Geod(a=EARTH_RADIUS_KM * 1000.0, b=EARTH_RADIUS_KM * 1000.0)
DUSHANBE = (38.5598, 68.7870)
KHUJAND = (40.2826, 69.6222)
EVENT = {"event_lat": 38.2, "event_lon": 72.8, "depth_km": 20.0}


def sphere_distance_km(lat, lon, lat0, lon0):
    _, _, metres = SPHERE.inv(np.full_like(lon, lon0), np.full_like(lat, lat0), lon, lat)
    return np.asarray(metres) / 1000.0


def random_sites(count, seed=0, spread=4.0, centre=(38.2, 72.8)):
    rng = np.random.default_rng(seed)
    return centre[0] + rng.uniform(-spread, spread, count), centre[1] + rng.uniform(-spread, spread, count)


def test_dushanbe_to_khujand_is_about_200_km_and_matches_an_independent_geodesic():
    distance = epicentral_distance_km(np.array([KHUJAND[0]]), np.array([KHUJAND[1]]), *DUSHANBE)[0]
    assert 195.0 < distance < 210.0
    assert distance == pytest.approx(
        sphere_distance_km(np.array([KHUJAND[0]]), np.array([KHUJAND[1]]), *DUSHANBE)[0], abs=1e-3
    )


def test_one_degree_of_latitude_is_pi_r_over_180():
    distance = epicentral_distance_km(np.array([39.0]), np.array([70.0]), 38.0, 70.0)[0]
    assert distance == pytest.approx(math.pi * EARTH_RADIUS_KM / 180.0, abs=1e-3)


def test_float32_haversine_stays_within_a_metre_of_a_float64_geodesic_out_to_500_km():
    lat, lon = random_sites(20_000, spread=4.5)
    expected = sphere_distance_km(lat, lon, 38.2, 72.8)
    assert expected.max() > 450.0
    np.testing.assert_allclose(epicentral_distance_km(lat, lon, 38.2, 72.8), expected, atol=1e-3)


def test_hypocentral_distance_adds_depth_in_quadrature():
    lat, lon = random_sites(100)
    result = compute_distances(lat, lon, mag=5.0, **EVENT)
    np.testing.assert_allclose(result.rhypo, np.sqrt(result.repi**2 + 20.0**2))


def test_small_events_are_point_sources():
    lat, lon = random_sites(100)
    result = compute_distances(lat, lon, mag=5.9, **EVENT)
    assert result.source == "point"
    np.testing.assert_array_equal(result.rjb, result.repi)
    np.testing.assert_array_equal(result.rrup, result.rhypo)


def test_wells_coppersmith_table_2a_all_slip_types():
    assert subsurface_rupture_length_km(7.0) == pytest.approx(10 ** (-2.44 + 0.59 * 7.0))
    assert rupture_width_km(7.0) == pytest.approx(10 ** (-1.01 + 0.32 * 7.0))
    assert 40.0 < subsurface_rupture_length_km(7.0) < 60.0


def test_orientation_average_never_exceeds_repi_and_is_exact_inside_the_half_length():
    lat, lon = random_sites(5000)
    result = compute_distances(lat, lon, mag=7.0, **EVENT)
    assert result.source == "averaged"
    assert np.all(result.rjb <= result.repi + 1e-9)
    half = 0.5 * result.rupture_length_km
    inside = result.repi <= half
    assert inside.any()
    np.testing.assert_allclose(result.rjb[inside], 2.0 * result.repi[inside] / np.pi, rtol=1e-12)


def test_orientation_average_tends_to_repi_minus_two_a_over_pi_far_away():
    repi = np.array([1e4, 1e5])
    np.testing.assert_allclose(repi - orientation_averaged_rjb(repi, 10.0), 20.0 / np.pi, atol=0.01)


def test_orientation_average_table_matches_direct_quadrature_between_nodes():
    rho = np.array([1.001, 1.3, 2.7, 9.9, 47.0, 333.0])
    np.testing.assert_allclose(orientation_averaged_rjb(rho, 1.0), mean_rjb_over_strikes_unit(rho), atol=1e-4)


def test_orientation_average_equals_the_mean_of_line_sources_over_strikes():
    lat, lon = random_sites(300, spread=1.0)
    averaged = compute_distances(lat, lon, mag=7.0, **EVENT)
    strikes = np.arange(0.0, 180.0, 0.5) + 0.25
    lines = [compute_distances(lat, lon, mag=7.0, strike=s, **EVENT).rjb for s in strikes]
    np.testing.assert_allclose(averaged.rjb, np.mean(lines, axis=0), rtol=2e-3, atol=0.05)


def _segment_samples(start, end, count=4001):
    fractions = np.linspace(0.0, 1.0, count)
    return start[0] + fractions * (end[0] - start[0]), start[1] + fractions * (end[1] - start[1])


def test_trace_rjb_matches_brute_force_sampling_of_the_segment():
    start, end = (72.6, 38.0), (73.0, 38.35)  # (lon, lat), about 52 km
    lat, lon = random_sites(400, seed=3, spread=2.0)
    result = compute_distances(lat, lon, mag=7.0, trace=[start, end], **EVENT)
    sample_lon, sample_lat = _segment_samples(start, end)
    brute = np.array(
        [
            epicentral_distance_km(sample_lat, sample_lon, la, lo).min()
            for la, lo in zip(lat, lon, strict=True)
        ]
    )
    np.testing.assert_allclose(result.rjb, brute, rtol=3e-3, atol=0.05)


def test_vertical_line_source_is_zero_along_strike_and_grows_perpendicular():
    x_km = np.array([0.0, 10.0, 0.0, 0.0])
    y_km = np.array([0.0, 0.0, 15.0, 100.0])
    lat = EVENT["event_lat"] + y_km / (EARTH_RADIUS_KM * math.pi / 180.0)
    lon = EVENT["event_lon"] + x_km / (EARTH_RADIUS_KM * math.pi / 180.0 * math.cos(math.radians(38.2)))
    result = compute_distances(lat, lon, mag=7.0, strike=0.0, **EVENT)  # north-south, length ~49 km
    assert result.rjb[0] == pytest.approx(0.0, abs=1e-9)
    assert result.rjb[2] == pytest.approx(0.0, abs=1e-9)
    assert result.rjb[1] == pytest.approx(10.0, rel=1e-3)
    assert result.rjb[3] == pytest.approx(100.0 - 0.5 * result.rupture_length_km, rel=2e-3)
    top = 20.0 - 0.5 * result.rupture_width_km
    # rtol: the haversine is float32 (relative error < 1e-6, module docstring) and rescales Rrup
    np.testing.assert_allclose(result.rrup, np.sqrt(result.rjb**2 + top**2), rtol=1e-6)


def test_dipping_line_source_hanging_wall_distance_is_perpendicular_to_the_plane():
    dip = 30.0
    x0, _ = project_local_km(EVENT["event_lat"], EVENT["event_lon"], EVENT["event_lat"], EVENT["event_lon"])
    width = rupture_width_km(7.0)
    top = 20.0 - 0.5 * width * math.sin(math.radians(dip))
    up_dip = (20.0 - top) / math.tan(math.radians(dip))
    # Horizontal distances down-dip of the top edge's surface projection (strike 0 dips east):
    # at 12 km the foot of the perpendicular lies inside the plane; at 5 km it would lie above the
    # top edge, so the top edge itself is closest.
    t = np.array([12.0, 5.0])
    lat = np.full(2, EVENT["event_lat"])
    lon = EVENT["event_lon"] + (t - up_dip) / (
        EARTH_RADIUS_KM * math.pi / 180.0 * math.cos(math.radians(38.2))
    )
    result = compute_distances(lat, lon, mag=7.0, strike=0.0, dip=dip, **EVENT)
    assert float(x0) == 0.0
    np.testing.assert_allclose(result.rjb, 0.0, atol=1e-9)
    in_plane = t[0] * math.sin(math.radians(dip)) + top * math.cos(math.radians(dip))
    assert result.rrup[0] == pytest.approx(in_plane, rel=1e-6)
    assert result.rrup[1] == pytest.approx(math.hypot(t[1], top), rel=1e-6)


def test_rescaled_line_source_is_consistent_with_repi_at_500_km():
    rng = np.random.default_rng(5)
    azimuth = rng.uniform(0.0, 360.0, 500)
    lon, lat, _ = SPHERE.fwd(np.full(500, 72.8), np.full(500, 38.2), azimuth, np.full(500, 500_000.0))
    result = compute_distances(np.asarray(lat), np.asarray(lon), mag=7.0, strike=30.0, **EVENT)
    half = 0.5 * result.rupture_length_km
    assert np.all(result.rjb <= result.repi + 1e-6)
    assert np.all(result.rjb >= result.repi - half - 0.001 * result.repi)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"event_lat": 91.0}, "event latitude"),
        ({"event_lon": -181.0}, "event longitude"),
        ({"depth_km": -1.0}, "depth_km"),
        ({"depth_km": 701.0}, "depth_km"),
        ({"mag": 10.5}, "magnitude"),
        ({"mag": float("nan")}, "magnitude"),
        ({"strike": 400.0}, "strike"),
        ({"dip": 0.0}, "dip"),
        ({"trace": [(72.0, 38.0)]}, "trace"),
        ({"trace": [(72.0, 38.0), (200.0, 38.0)]}, "longitude"),
    ],
)
def test_bad_event_parameters_raise_a_named_error(arguments, message):
    event = {"event_lat": 38.2, "event_lon": 72.8, "depth_km": 20.0, "mag": 7.0} | arguments
    with pytest.raises(InvalidEventError, match=message):
        compute_distances(np.array([38.0]), np.array([70.0]), **event)


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ([95.0], [70.0], "site latitude"),
        ([38.0], [190.0], "site longitude"),
        ([np.nan], [70.0], "site latitude"),
        ([38.0, 39.0], [70.0], "same shape"),
    ],
)
def test_bad_sites_raise_a_named_error(lat, lon, message):
    with pytest.raises(InvalidEventError, match=message):
        compute_distances(np.array(lat), np.array(lon), mag=6.5, **EVENT)


def test_invalid_event_error_is_a_value_error():
    assert issubclass(InvalidEventError, ValueError)
