"""repair_polygon's simplification: at most 100 points, never less coverage (property tests)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from hushdor.cap.geometry import MAX_POINTS, covers, repair_polygon


def star_ring(
    radii: list[float], centre_lat: float, centre_lon: float, scale: float
) -> tuple[tuple[float, float], ...]:
    """A star-shaped (so simple) ring, one vertex per radius at equal angles, closed, (lat, lon)."""
    count = len(radii)
    ring = [
        (
            round(centre_lat + scale * radius * math.sin(2 * math.pi * k / count), 4),
            round(centre_lon + scale * radius * math.cos(2 * math.pi * k / count), 4),
        )
        for k, radius in enumerate(radii)
    ]
    return (*ring, ring[0])


rings = st.builds(
    star_ring,
    st.lists(st.floats(0.2, 1.0), min_size=101, max_size=1500),
    st.floats(36.0, 41.0),
    st.floats(67.0, 75.5),
    st.sampled_from([0.01, 0.3, 2.0]),
)


@settings(max_examples=40, deadline=None)
@given(rings)
def test_the_simplified_polygon_has_at_most_100_points_and_covers_the_original(ring) -> None:
    if not Polygon([(lon, lat) for lat, lon in ring]).is_valid:  # rounding can pinch a tiny star
        return
    repaired, findings = repair_polygon(ring)
    assert [finding.code for finding in findings] == ["polygon.too_many_points"]
    assert 4 <= len(repaired) <= MAX_POINTS
    assert repaired[0] == repaired[-1]
    assert Polygon([(lon, lat) for lat, lon in repaired]).is_valid
    assert covers(repaired, ring)


def test_a_7000_point_wiggly_ring_is_simplified_and_still_covered() -> None:
    count = 7000
    radii = [
        1.0 + 0.2 * math.sin(2 * math.pi * 9 * k / count) + 0.02 * math.sin(2 * math.pi * 700 * k / count)
        for k in range(count)
    ]
    ring = star_ring(radii, 38.5, 70.5, 1.5)
    repaired, findings = repair_polygon(ring)
    assert [finding.code for finding in findings] == ["polygon.too_many_points"]
    assert len(repaired) <= MAX_POINTS
    assert covers(repaired, ring)
    original, simplified = (Polygon([(lon, lat) for lat, lon in r]) for r in (ring, repaired))
    assert simplified.area < 1.2 * original.area  # covers without swallowing the map (its box: 1.8×)


def test_rings_at_the_limit_are_left_alone() -> None:
    ring = star_ring([0.5 + 0.01 * (k % 3) for k in range(MAX_POINTS - 1)], 38.0, 70.0, 1.0)
    repaired, findings = repair_polygon(ring)
    assert len(ring) == MAX_POINTS
    assert repaired == ring and findings == []
