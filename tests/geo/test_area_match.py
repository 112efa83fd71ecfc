"""Subscriptions reached by an alert: place codes, circles, and the vectorised path agreeing with the exact one."""

from __future__ import annotations

import numpy as np

from hushdor.geo.area_match import AlertAreas, SubscriptionArea, reached, reached_points

SQUARE = [(38.0, 72.0), (38.0, 73.0), (39.0, 73.0), (39.0, 72.0), (38.0, 72.0)]
NOTCH = [(38.2, 70.0), (38.2, 71.0), (38.8, 71.0), (38.8, 70.6), (38.4, 70.6), (38.4, 70.4), (38.8, 70.4), (38.8, 70.0), (38.2, 70.0)]


def test_codes_reach_their_district_and_a_region_reaches_its_districts():
    alert = AlertAreas.of(["TJ-GB-MURGHOB"], [])
    areas = [SubscriptionArea(1, ("TJ-GB-MURGHOB",)), SubscriptionArea(2, ("TJ-GB",)), SubscriptionArea(3, ("TJ-GB-RUSHON",))]
    assert reached(alert, areas) == [1, 2]


def test_a_circle_reaches_a_polygon_it_touches_and_not_one_farther_than_its_radius():
    alert = AlertAreas.of([], [SQUARE])
    west_of_square_km = (72.0 - 71.9) * 111.19 * np.cos(np.radians(38.5))  # ~8.7 km
    areas = [
        SubscriptionArea(1, (), 38.5, 71.9, west_of_square_km - 0.3),
        SubscriptionArea(2, (), 38.5, 71.9, west_of_square_km + 0.3),
        SubscriptionArea(3, (), 38.5, 72.5, 0.0),
    ]
    assert reached(alert, areas) == [2, 3]


def test_the_vectorised_path_gives_the_exact_answer_on_thousands_of_random_subscribers():
    alert = AlertAreas.of([], [SQUARE, NOTCH])
    rng = np.random.default_rng(5)
    n = 4000
    lat = rng.uniform(37.8, 39.2, n)
    lon = rng.uniform(69.8, 73.3, n)
    radius = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(0.5, 25.0, n))
    keys = np.arange(100, 100 + n)
    exact = reached(alert, [SubscriptionArea(int(k), (), float(a), float(o), float(r)) for k, a, o, r in zip(keys, lat, lon, radius, strict=True)])
    fast = reached_points(alert, keys, lat, lon, radius)
    assert sorted(fast.tolist()) == sorted(exact)
    assert 0 < len(exact) < n  # the sample has points on both sides
