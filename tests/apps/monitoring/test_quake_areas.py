"""The warning covers the authority's own territory: contour polygons are clipped to Tajikistan."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Polygon, shape

from hushdor.apps.monitoring.services.quake_areas import district_shapes, jurisdiction_outline
from hushdor.apps.monitoring.services.quake_impact import assess
from hushdor.apps.monitoring.services.quake_message import warning_areas
from hushdor.apps.monitoring.services.quake_policy import WarningPolicy
from hushdor.geo.dataset import load_layer

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sarez_contours() -> dict:
    # The 2015 Sarez earthquake: its MMI V area reaches well into Kyrgyzstan, China and Afghanistan.
    return assess(latitude=38.211, longitude=72.780, depth_km=22.0, magnitude=7.2)["contours_geojson"]


def test_warning_polygons_stay_inside_tajikistan(sarez_contours):
    country = shapely.union_all([shape(f["geometry"]) for f in load_layer("country")["features"]])
    level_v = next(shape(f["geometry"]) for f in sarez_contours["features"] if f["properties"]["mmi"] == 5)
    assert level_v.difference(country.buffer(0.05)).area > 1.0  # square degrees abroad before clipping

    areas = warning_areas(
        sarez_contours, district_shapes(), policy=WarningPolicy(), outline=jurisdiction_outline()
    )
    assert areas, "the Sarez earthquake must give warning areas"
    for area in areas:
        covered = shapely.union_all(
            [Polygon([(lon, lat) for lat, lon in points]) for points in area.polygons]
        )
        abroad = covered.difference(country.buffer(0.05)).area
        # CAP polygons of at most 100 points must cover what they simplify, so they bulge a little
        # past the border; before clipping the MMI V area lay more than half abroad.
        assert abroad <= 0.10 * covered.area, (area.description, abroad, covered.area)
        assert all(code.startswith("TJ-") for _kind, code in area.geocodes)


def test_without_an_outline_nothing_is_clipped(sarez_contours):
    unclipped = warning_areas(sarez_contours, district_shapes(), policy=WarningPolicy())
    clipped = warning_areas(
        sarez_contours, district_shapes(), policy=WarningPolicy(), outline=jurisdiction_outline()
    )

    def total(areas):
        return sum(
            shapely.union_all([Polygon([(lon, lat) for lat, lon in p]) for p in area.polygons]).area
            for area in areas
        )

    assert total(clipped) < total(unclipped)
