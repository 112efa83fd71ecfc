"""The float32 fast path agrees with the reference distances, models and GMICE on the whole grid box."""

from __future__ import annotations

import numpy as np
import pytest

from hushdor.geo.grid import working_grid
from hushdor.science.quake import fast_shaking
from hushdor.science.quake.distances import compute_distances
from hushdor.science.quake.gmice import worden_2012
from hushdor.science.quake.models import get_model

EVENT = {"event_lat": 38.211, "event_lon": 72.780, "depth_km": 22.0, "mag": 7.2}


@pytest.fixture(scope="module")
def sites() -> fast_shaking.SiteSet:
    lat, lon = working_grid().cell_centres()
    vs30 = np.random.default_rng(7).uniform(180.0, 1000.0, lat.size)
    return fast_shaking.SiteSet(lat, lon, vs30)


@pytest.fixture(scope="module")
def reference(sites: fast_shaking.SiteSet):
    return compute_distances(sites.lat, sites.lon, **EVENT)


@pytest.fixture(scope="module")
def fast(sites: fast_shaking.SiteSet) -> fast_shaking.FastDistances:
    return fast_shaking.event_distances(sites, **EVENT)


@pytest.mark.parametrize("metric", ["repi", "rhypo", "rjb", "rrup"])
def test_distances_match_distances_py_within_two_metres(fast, reference, metric: str) -> None:
    ours = getattr(fast, metric).astype(np.float64)
    theirs = getattr(reference, metric)
    assert fast.source == reference.source == "averaged"
    assert np.max(np.abs(ours - theirs)) < 2e-3  # km


def test_point_source_below_magnitude_six(sites) -> None:
    small = fast_shaking.event_distances(sites, **{**EVENT, "mag": 5.5})
    assert small.source == "point"
    np.testing.assert_array_equal(small.rjb, small.repi)


def test_bindi_kernel_matches_the_model(sites, fast, reference) -> None:
    ours = fast_shaking.branch_mmi(
        "BindiEtAl2011Repi", "MMI", mag=7.2, depth_km=22.0, rake=0.0, distances=fast, sites=sites
    )
    theirs = get_model("BindiEtAl2011Repi").predict("MMI", mag=7.2, distance=reference.repi, hypo_depth=22.0)
    assert np.max(np.abs(ours - theirs.mean)) < 1e-4


@pytest.mark.parametrize("model", ["BooreEtAl2014", "BooreEtAl2014HighQ"])
@pytest.mark.parametrize("imt", ["PGA", "PGV"])
@pytest.mark.parametrize("rake", [0.0, 90.0, -90.0])
def test_bssa14_kernel_matches_the_model_in_ln_units(
    sites, fast, reference, model: str, imt: str, rake: float
) -> None:
    gmm = get_model(model)
    ours = fast_shaking.bssa14_ln_motion(gmm, imt, 7.2, rake, fast, sites)
    theirs = gmm.predict(imt, mag=7.2, distance=reference.rjb, vs30=sites.vs30, rake=rake).mean
    assert np.max(np.abs(ours - theirs)) < 1e-4  # 0.01 % in the ground motion


@pytest.mark.parametrize("imt", ["PGA", "PGV"])
def test_wgrw12_kernel_matches_the_gmice(imt: str) -> None:
    ln_motion = np.linspace(-12.0, 6.0, 200_001)
    theirs, _ = worden_2012.mmi_from_pgm(imt, ln_motion)
    ours = fast_shaking.wgrw12_intensity(imt, ln_motion.astype(np.float32))
    _, c = worden_2012.coefficients_for(imt)
    log10_motion = ln_motion * worden_2012.LOG10_E + worden_2012.log10_units_offset(imt)
    away_from_kinks = (np.abs(log10_motion - c["T1"]) > 1e-5) & (np.abs(log10_motion - c["T1_low"]) > 1e-5)
    assert np.max(np.abs(ours - theirs)[away_from_kinks]) < 1e-4
    assert ours.min() == 1.0 and ours.max() == 10.0


DEEP_EVENT = {"event_lat": 36.524, "event_lon": 70.368, "depth_km": 231.0, "mag": 7.5}  # Hindu Kush 2015


@pytest.mark.parametrize(
    ("model", "imt", "rake", "event"),
    [
        ("ZhaoEtAl2006SSlab", "PGA", 0.0, DEEP_EVENT),
        ("ZhaoEtAl2006SSlab", "SA(0.3)", 0.0, {**DEEP_EVENT, "depth_km": 95.0, "mag": 6.4}),
        ("ZhaoEtAl2006SSlab", "PGA", 0.0, {**DEEP_EVENT, "depth_km": 60.0, "mag": 5.5}),  # point source
        ("ZhaoEtAl2006Asc", "PGA", 90.0, EVENT),
        ("ZhaoEtAl2006Asc", "PGA", 0.0, EVENT),
    ],
)
def test_zhao2006_kernel_matches_the_model_in_ln_units(
    sites, model: str, imt: str, rake: float, event
) -> None:
    fast = fast_shaking.event_distances(sites, **event)
    reference = compute_distances(sites.lat, sites.lon, **event)
    gmm = get_model(model)
    ours = fast_shaking.zhao2006_ln_motion(gmm, imt, event["mag"], event["depth_km"], rake, fast, sites)
    theirs = gmm.predict(
        imt,
        mag=event["mag"],
        distance=reference.rrup,
        hypo_depth=event["depth_km"],
        vs30=sites.vs30,
        rake=rake,
    ).mean
    assert ours.dtype == np.float32
    assert np.max(np.abs(ours - theirs)) < 1e-4  # 0.01 % in the ground motion


def test_deep_branch_uses_the_zhao_kernel_and_matches_the_gmice(sites) -> None:
    fast = fast_shaking.event_distances(sites, **DEEP_EVENT)
    reference = compute_distances(sites.lat, sites.lon, **DEEP_EVENT)
    ours = fast_shaking.branch_mmi(
        "ZhaoEtAl2006SSlab", "PGA", mag=7.5, depth_km=231.0, rake=0.0, distances=fast, sites=sites
    )
    ln_pga = (
        get_model("ZhaoEtAl2006SSlab")
        .predict("PGA", mag=7.5, distance=reference.rrup, hypo_depth=231.0, vs30=sites.vs30)
        .mean
    )
    theirs, _ = worden_2012.mmi_from_pgm("PGA", ln_pga)
    # WGRW12 steps by 0.0045 MMI at T1 (C1 + C2·T1 ≠ C3 + C4·T1): compare away from the kinks, as above.
    _, c = worden_2012.coefficients_for("PGA")
    log10_pga = ln_pga * worden_2012.LOG10_E + worden_2012.log10_units_offset("PGA")
    away_from_kinks = (np.abs(log10_pga - c["T1"]) > 1e-5) & (np.abs(log10_pga - c["T1_low"]) > 1e-5)
    assert ours.dtype == np.float32
    assert away_from_kinks.mean() > 0.999
    # 1e-4 in ln PGA is < 2e-4 MMI (C4 = 3.70 MMI per log10 unit)
    assert np.max(np.abs(ours - theirs)[away_from_kinks]) < 1e-3


def test_lazy_distances_are_computed_once_and_given_ones_are_kept(sites) -> None:
    fast = fast_shaking.event_distances(sites, **EVENT)
    assert fast.rrup is fast.rrup and fast.rhypo is fast.rhypo
    point = fast_shaking.event_distances(sites, **{**EVENT, "mag": 5.5})
    assert point.rrup is point.rhypo
    given = fast_shaking.FastDistances.given(fast.repi, fast.repi, fast.rjb, fast.rjb, "test")
    assert given.rhypo is fast.repi and given.rrup is fast.rjb


@pytest.mark.parametrize("largest_km", [0.5, 30.0, 300.0, 1_200.0, 3_000.0, 3_300.0, 12_000.0])
def test_the_arcsine_series_equals_the_float64_arcsine_to_float32_resolution(largest_km):
    """2R·asin(√a) by the series (inside ~3,200 km) or np.arcsin (beyond), against float64 arcsin."""
    from hushdor.science.quake.fast_shaking import EARTH_RADIUS_KM, _two_r_arcsin_sqrt

    distance = np.linspace(0.0, largest_km, 20_001)
    a = np.sin(distance / (2.0 * EARTH_RADIUS_KM)) ** 2
    got = _two_r_arcsin_sqrt(a.astype(np.float32)).astype(np.float64)
    expected = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a.astype(np.float32).astype(np.float64)))
    assert np.max(np.abs(got - expected) / np.maximum(expected, 1e-3)) < 3e-7
