"""Turn an AreaDraft into what an AlertArea stores: polygons, circle and geocodes.

Places (regions, districts, settlements) are read from :mod:`hushdor.apps.places` read-only and
copied into the alert, so later boundary edits never change an issued alert. Boundaries become CAP
polygons of at most 100 points that still cover the whole place (:func:`hushdor.cap.geometry.
repair_polygon`). Regions carry an ISO 3166-2 geocode when their code is one (``TJ-SU``).
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from hushdor.apps.alerts.models import AreaKind
from hushdor.apps.alerts.services.drafts import AreaDraft
from hushdor.apps.alerts.services.errors import AlertRuleError
from hushdor.cap.geometry import repair_polygon

LatLon = tuple[float, float]
DEFAULT_SETTLEMENT_RADIUS_KM = 5.0


def area_fields(draft: AreaDraft) -> dict:
    """The AlertArea column values for ``draft`` (already checked)."""
    kind = AreaKind(draft.kind)
    fields = {
        "kind": kind,
        "description": draft.main_description(),
        "description_tg": draft.description_tg.strip(),
        "description_ru": draft.description_ru.strip(),
        "place_code": draft.place_code,
        "polygons": [_closed(polygon) for polygon in draft.polygons],
        "circle_lat": draft.circle[0] if draft.circle else None,
        "circle_lon": draft.circle[1] if draft.circle else None,
        "radius_km": draft.radius_km,
        "geocodes": [list(pair) for pair in draft.geocodes],
    }
    if kind in (AreaKind.REGION, AreaKind.DISTRICT):
        place = _place(kind, draft.place_code)
        if not fields["polygons"]:
            fields["polygons"] = polygons_from_geojson(place.geometry)
        if not fields["geocodes"]:
            fields["geocodes"] = [list(_geocode(kind, place.code))]
    elif kind == AreaKind.SETTLEMENT:
        place = _place(kind, draft.place_code)
        fields["circle_lat"], fields["circle_lon"] = place.lat, place.lon
        fields["radius_km"] = draft.radius_km or DEFAULT_SETTLEMENT_RADIUS_KM
    return fields


def polygons_from_geojson(text: str) -> list[list[list[float]]]:
    """Exterior rings of a GeoJSON (Multi)Polygon as CAP ``[lat, lon]`` rings of ≤ 100 points."""
    try:
        geometry = json.loads(text)
        kind = geometry["type"]
        coordinates = geometry["coordinates"]
    except (ValueError, KeyError, TypeError) as exc:
        raise AlertRuleError(
            _("the place boundary is not GeoJSON: %(problem)s") % {"problem": exc}, code="bad_input"
        ) from None
    rings = [coordinates[0]] if kind == "Polygon" else [polygon[0] for polygon in coordinates]
    result = []
    for ring in rings:
        points = tuple((float(lat), float(lon)) for lon, lat, *_rest in ring)
        repaired, _repairs = repair_polygon(points)
        result.append([[lat, lon] for lat, lon in repaired])
    return result


def _closed(polygon: list[LatLon] | list[list[float]]) -> list[list[float]]:
    points = [[float(lat), float(lon)] for lat, lon in polygon]
    if points and points[0] != points[-1]:
        points.append(list(points[0]))
    return points


def _geocode(kind: AreaKind, code: str) -> tuple[str, str]:
    if kind == AreaKind.REGION and code.startswith("TJ-"):
        return ("ISO3166-2", code)
    return (f"TJ-{kind.value}", code)


def _place(kind: AreaKind, code: str):
    from hushdor.apps.places.models import District, Region, Settlement

    model = {AreaKind.REGION: Region, AreaKind.DISTRICT: District, AreaKind.SETTLEMENT: Settlement}[kind]
    place = model.objects.filter(code=code).first()
    if place is None:
        raise AlertRuleError(
            _("no %(kind)s with the code %(code)r") % {"kind": kind.label, "code": code}, code="bad_input"
        )
    return place
