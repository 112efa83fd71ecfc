"""District boundaries for the warning's geocodes, and the outline of the country the warning may cover.

A national authority warns for its own territory: the contour polygons are clipped to the union of
the districts, widened by ``OUTLINE_MARGIN_DEG`` (about 2 km) so that simplified district edges and
border settlements are never cut off.

The places app is the deployment's source of boundaries (``hushdor places load`` / imports). When it
holds no district yet (a fresh database, tests), the packaged dataset (:mod:`hushdor.geo.dataset`) is
used so that a warning still names the districts it touches. Parsed shapes are cached per process and
refreshed when the places table changes (count or highest id).
"""

from __future__ import annotations

from functools import cache

import shapely
from django.db.models import Count, Max
from shapely.geometry.base import BaseGeometry

from hushdor.apps.monitoring.services.quake_message import DistrictShape, district_shapes_from_records
from hushdor.geo.dataset import load_districts

OUTLINE_MARGIN_DEG = 0.02


def district_shapes() -> list[DistrictShape]:
    summary = _districts_summary()
    if not summary["count"]:
        return list(_bundled_shapes())
    return list(_stored_shapes(summary["count"], summary["last"]))


def jurisdiction_outline() -> BaseGeometry:
    """The territory warnings cover: every district, united and widened by ``OUTLINE_MARGIN_DEG``."""
    summary = _districts_summary()
    if not summary["count"]:
        return _bundled_outline()
    return _stored_outline(summary["count"], summary["last"])


def _districts_summary() -> dict:
    from hushdor.apps.places.models import District

    return District.objects.aggregate(count=Count("id"), last=Max("id"))


@cache
def _bundled_outline() -> BaseGeometry:
    return _outline(_bundled_shapes())


@cache
def _stored_outline(count: int, last: int) -> BaseGeometry:
    return _outline(_stored_shapes(count, last))


def _outline(shapes: tuple[DistrictShape, ...]) -> BaseGeometry:
    united = shapely.union_all([shape.geometry for shape in shapes])
    outline = united.buffer(OUTLINE_MARGIN_DEG).simplify(OUTLINE_MARGIN_DEG / 4)
    shapely.prepare(outline)
    return outline


@cache
def _bundled_shapes() -> tuple[DistrictShape, ...]:
    return tuple(
        DistrictShape(
            code=district.code,
            region_code=district.region_code,
            name=district.name,
            geometry=shapely.make_valid(district.geometry),
        )
        for district in load_districts()
    )


@cache
def _stored_shapes(count: int, last: int) -> tuple[DistrictShape, ...]:
    from hushdor.apps.places.models import District

    records = [
        (code, region_code, name, geometry)
        for code, region_code, name, geometry in District.objects.values_list(
            "code", "region__code", "name", "geometry"
        )
    ]
    shapes = district_shapes_from_records(records)
    for shape in shapes:
        shapely.prepare(shape.geometry)
    return tuple(shapes)
