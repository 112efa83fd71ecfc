"""District boundaries for the warning's geocodes: the places app's districts, else the bundled ones.

The places app is the deployment's source of boundaries (``hushdor places load`` / imports). When it
holds no district yet (a fresh database, tests), the packaged dataset (:mod:`hushdor.geo.dataset`) is
used so that a warning still names the districts it touches. Parsed shapes are cached per process and
refreshed when the places table changes (count or highest id).
"""

from __future__ import annotations

from functools import cache

import shapely
from django.db.models import Count, Max

from hushdor.apps.monitoring.services.quake_message import DistrictShape, district_shapes_from_records
from hushdor.geo.dataset import load_districts


def district_shapes() -> list[DistrictShape]:
    from hushdor.apps.places.models import District

    summary = District.objects.aggregate(count=Count("id"), last=Max("id"))
    if not summary["count"]:
        return list(_bundled_shapes())
    return list(_stored_shapes(summary["count"], summary["last"]))


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
