"""Compose an earthquake warning: CAP texts in tg/ru/en and its areas, from an event and its assessment.

Texts: the alerts app's earthquake Template (the first by name) fills ``{magnitude}``, ``{area}`` (the
most shaken settlement, else the agency's place name), ``{distance}`` (km from it), ``{time}`` (origin
time in Asia/Dushanbe), ``{depth}``; a template may also place ``{exposure}``, ``{districts}``,
``{settlements}``, ``{alert_level}`` and ``{alert_meaning}`` itself — whatever it does not place is
appended to the description as one impact paragraph (:mod:`.quake_texts`). Without a Template the
built-in texts are used. Place names (``{area}``, ``{districts}``, ``{settlements}``) are written in
each info's language from ``names`` (:func:`hushdor.apps.places.selectors.place_names`): the Tajik
info says "Мурғоб", the Russian "Мургаб"; a place without a name in that language keeps its English one.

Areas: one CAP area per modelled intensity level from ``policy.area_mmi`` (V) up, described in each
language ("MMI VIII+ shaking: Murghob, Rushon", "Зона сотрясений 8 баллов и более: Мургаб, Рушан"),
each with the contour polygons of "shaken at this level or more" (each simplified to ≤ 100 points that still cover
it, :func:`hushdor.cap.geometry.repair_polygon`; at most ``MAX_POLYGONS_PER_AREA``, largest first) and
the geocodes of the districts they touch: ISO 3166-2 of the region (``ISO3166-2``, e.g. ``TJ-GB``)
and the district code (``TJ-district``, the alerts app's convention).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from shapely.geometry import shape

from hushdor.apps.alerts.services import AreaDraft, InfoDraft
from hushdor.apps.alerts.services.templates import fill_placeholders
from hushdor.apps.monitoring.services import quake_texts as texts
from hushdor.apps.monitoring.services.quake_policy import WarningDecision, WarningPolicy, roman
from hushdor.apps.places.selectors import PlaceNames
from hushdor.cap.geometry import repair_polygon
from hushdor.geo.place_cases import from_place

DUSHANBE = ZoneInfo("Asia/Dushanbe")
MAX_POLYGONS_PER_AREA = 10
MAX_NAMES = 5
EVENT_PARAMETER = "quakeEventId"


@dataclass(frozen=True)
class QuakeFacts:
    """What the message says about the earthquake itself (from the event's preferred origin)."""

    event_key: str
    time: datetime
    latitude: float
    longitude: float
    depth_km: float
    magnitude: float
    place: str


@dataclass(frozen=True)
class DistrictShape:
    code: str
    region_code: str
    name: str
    geometry: Any  # shapely geometry, lon/lat


def warning_infos(
    facts: QuakeFacts,
    result: dict[str, Any],
    decision: WarningDecision,
    *,
    template: Any | None,
    now: datetime,
    policy: WarningPolicy,
    exercise: bool = False,
    names: PlaceNames | None = None,
) -> list[InfoDraft]:
    """One InfoDraft per language (tg, ru, en); place names from ``names`` (English without it)."""
    values = _values(facts, result, decision, names or PlaceNames())
    expires = now + timedelta(hours=policy.expires_h)
    parameters = {
        EVENT_PARAMETER: facts.event_key,
        "magnitude": f"{facts.magnitude:.1f}",
        "depthKm": f"{facts.depth_km:.0f}",
        "maxMMI": roman(decision.max_populated_mmi) or "none",
        "alertLevel": decision.alert_level,
    }
    infos = []
    for language in texts.LANGUAGES:
        localized = {
            name: value[language] if isinstance(value, dict) else value for name, value in values.items()
        }
        parts = _template_parts(template, language)
        description = _fill(parts["description"], localized)
        impact = [localized[name] for name in _IMPACT_KEYS if "{" + name + "}" not in _all_text(parts)]
        impact.append(texts.MODELLED_NOTE[language])
        if exercise:
            impact.insert(0, texts.REPLAY_NOTE[language])
        infos.append(
            InfoDraft(
                language=language,
                event=parts["event"],
                headline=_fill(parts["headline"], localized)[:255],
                description="\n\n".join([description, " ".join(part for part in impact if part)]),
                instruction=_fill(parts["instruction"], localized),
                urgency="Immediate",
                severity=decision.severity,
                certainty="Observed",
                category="Geo",
                response_type="Prepare" if decision.action != "log" else "Monitor",
                onset=facts.time,
                expires=expires,
                parameters=dict(parameters),
            )
        )
    return infos


def warning_areas(
    contours: dict[str, Any] | None,
    districts: list[DistrictShape],
    *,
    policy: WarningPolicy,
    names: PlaceNames | None = None,
    outline: Any = None,
) -> list[AreaDraft]:
    """One polygon area per intensity level ≥ ``policy.area_mmi`` with the districts it touches,
    described in tg/ru/en (district names from ``names``; English without it), clipped to ``outline``
    (the territory the authority warns for) when it is given."""
    names = names or PlaceNames()
    areas = []
    for feature in (contours or {}).get("features", []):
        level = int(feature.get("properties", {}).get("mmi", 0))
        if level < policy.area_mmi:
            continue
        geometry = shape(feature["geometry"])
        if outline is not None:
            geometry = geometry.intersection(outline)
        if geometry.is_empty:
            continue
        polygons = _cap_polygons(geometry)
        touched = [district for district in districts if district.geometry.intersects(geometry)]
        described = _area_descriptions(level, [district.name for district in touched], names)
        areas.append(
            AreaDraft(
                kind="polygon",
                description=described["en"],
                description_tg=described["tg"],
                description_ru=described["ru"],
                polygons=polygons,
                geocodes=_geocodes(touched),
            )
        )
    return areas


def _area_descriptions(level: int, district_names: list[str], names: PlaceNames) -> dict[str, str]:
    """Per language: "Зона сотрясений 8 баллов и более: Мургаб, Рушан"; at most ``MAX_NAMES`` names."""
    more = f" (+{len(district_names) - MAX_NAMES})" if len(district_names) > MAX_NAMES else ""
    described = {}
    for language in texts.LANGUAGES:
        line = texts.AREA_LINE[language].format(mmi=texts.intensity(level, language))
        listed = ", ".join(names.district(name, language) for name in district_names[:MAX_NAMES])
        described[language] = line + (f": {listed}{more}" if listed else "")
    return described


def _cap_polygons(geometry: Any) -> list[list[tuple[float, float]]]:
    parts = sorted(getattr(geometry, "geoms", [geometry]), key=lambda part: -part.area)
    polygons = []
    for part in parts[:MAX_POLYGONS_PER_AREA]:
        if part.geom_type != "Polygon":
            continue
        ring = tuple((round(lat, 4), round(lon, 4)) for lon, lat in part.exterior.coords)
        repaired, _ = repair_polygon(ring)
        polygons.append([(lat, lon) for lat, lon in repaired])
    return polygons


def _geocodes(districts: list[DistrictShape]) -> list[tuple[str, str]]:
    regions = sorted(
        {district.region_code for district in districts if district.region_code.startswith("TJ-")}
    )
    return [("ISO3166-2", code) for code in regions] + [("TJ-district", d.code) for d in districts]


_IMPACT_KEYS = ("exposure", "districts", "settlements", "alert_level")


def _values(
    facts: QuakeFacts, result: dict[str, Any], decision: WarningDecision, names: PlaceNames
) -> dict[str, Any]:
    settlements = [row for row in result.get("settlements") or [] if row.get("mmi")]
    nearest = settlements[0] if settlements else None
    local = facts.time.astimezone(DUSHANBE)
    level = decision.alert_level
    return {
        "magnitude": f"{facts.magnitude:.1f}",
        "depth": f"{facts.depth_km:.0f}",
        "time": local.strftime("%Y-%m-%d %H:%M"),
        "area": (
            {language: names.settlement(nearest["name"], language) for language in texts.LANGUAGES}
            if nearest
            else facts.place
        ),
        "area_from": (
            {
                language: from_place(names.settlement(nearest["name"], language), language)
                for language in texts.LANGUAGES
            }
            if nearest
            else {language: texts.FROM_UNNAMED[language].format(place=facts.place) for language in texts.LANGUAGES}
        ),
        "distance": f"{nearest['distance_km']:.0f}" if nearest else "—",
        "exposure": _per_language(texts.EXPOSURE_LINE, rows=_exposure_rows(result)),
        "districts": _named_line(
            texts.DISTRICTS_LINE, result.get("districts") or [], "max_mmi", names.district
        ),
        "settlements": _named_line(texts.SETTLEMENTS_LINE, settlements, "mmi", names.settlement),
        "alert_level": {
            language: texts.ALERT_LINE[language].format(
                level=texts.ALERT_NAMES[level][language], meaning=texts.ALERT_MEANINGS[level][language]
            )
            for language in texts.LANGUAGES
        },
        "alert_meaning": {language: texts.ALERT_MEANINGS[level][language] for language in texts.LANGUAGES},
    }


def _exposure_rows(result: dict[str, Any]) -> dict[str, str]:
    exposure = result.get("exposure_by_mmi") or {}
    shown = [(int(key), round(float(people))) for key, people in exposure.items() if int(key) >= 4 and people]
    shown.sort(reverse=True)
    return {
        language: "; ".join(
            texts.EXPOSURE_ROW[language].format(
                mmi=texts.intensity(level, language), people=f"{people:,}".replace(",", "\u202f")
            )
            for level, people in shown
        )
        or "—"
        for language in texts.LANGUAGES
    }


def _named_line(
    lines: dict[str, str], rows: list[dict[str, Any]], key: str, translate: Callable[[str, str], str]
) -> dict[str, str]:
    shaken = [row for row in rows if (row.get(key) or 0) >= 4.5][:MAX_NAMES]
    if not shaken:
        return dict.fromkeys(texts.LANGUAGES, "")
    return {
        language: lines[language].format(
            names=", ".join(
                f"{translate(row['name'], language)} ({texts.intensity(round(row[key]), language)})"
                for row in shaken
            )
        )
        for language in texts.LANGUAGES
    }


def _per_language(lines: dict[str, str], *, rows: dict[str, str]) -> dict[str, str]:
    return {language: lines[language].format(rows=rows[language]) for language in texts.LANGUAGES}


def _template_parts(template: Any | None, language: str) -> dict[str, str]:
    if template is None:
        return {part: texts.FALLBACK_TEMPLATE[part][language] for part in texts.FALLBACK_TEMPLATE}
    return {
        part: getattr(template, f"{part}_{language}")
        for part in ("event", "headline", "description", "instruction")
    }


def _all_text(parts: dict[str, str]) -> str:
    return " ".join(parts.values())


def _fill(text: str, values: dict[str, str]) -> str:
    return fill_placeholders(text, values)


def district_shapes_from_records(records: list[tuple[str, str, str, str]]) -> list[DistrictShape]:
    """(code, region code, name, GeoJSON text) rows → shapes, invalid ones repaired."""
    shapes = []
    for code, region_code, name, geometry_text in records:
        geometry = shapely.make_valid(shape(json.loads(geometry_text)))
        shapes.append(DistrictShape(code=code, region_code=region_code, name=name, geometry=geometry))
    return shapes
