"""Read the compose form (tg/ru/en side by side + the area picker's JSON) into service drafts."""

from __future__ import annotations

import json
from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from hushdor.apps.alerts.services import AlertRuleError, AreaDraft, InfoDraft
from hushdor.apps.alerts.services.drafts import LANGUAGE_CODES

TEXT_FIELDS = ("event", "headline", "description", "instruction")
COMMON_FIELDS = ("urgency", "severity", "certainty", "category", "response_type")


def drafts_from_post(data: QueryDict) -> tuple[str, list[InfoDraft], list[AreaDraft], str]:
    """``(hazard, infos, areas, note)``; a language whose headline is empty is left out."""
    hazard = data.get("hazard", "").strip()
    if not hazard:
        raise AlertRuleError(_("choose a hazard"), code="bad_input")
    try:
        expires = timezone.now() + timedelta(hours=float(data.get("expires_hours") or 6))
    except (ValueError, OverflowError):  # not a number, NaN, or beyond the calendar
        raise AlertRuleError(_("the validity must be a number of hours"), code="bad_input") from None
    common = {name: data.get(name, "").strip() for name in COMMON_FIELDS}
    infos = []
    for language in LANGUAGE_CODES:
        texts = {name: data.get(f"{name}_{language}", "").strip() for name in TEXT_FIELDS}
        if not texts["headline"]:
            continue
        infos.append(
            InfoDraft(
                language=language,
                expires=expires,
                urgency=common["urgency"],
                severity=common["severity"],
                certainty=common["certainty"],
                category=common["category"] or "Geo",
                response_type=common["response_type"] or None,
                **texts,
            )
        )
    return hazard, infos, areas_from_json(data.get("areas_json", "")), data.get("note", "").strip()


def areas_from_json(text: str) -> list[AreaDraft]:
    """The area picker posts ``[{"kind", "description", "description_tg"?, "description_ru"?,
    "place_code"?, "polygon"?: [[lat, lon], …]}]`` (``description`` is the English one)."""
    if not text.strip():
        return []
    try:
        items = json.loads(text)
        return [
            AreaDraft(
                kind=item["kind"],
                description=str(item.get("description", "")),
                description_tg=str(item.get("description_tg", "")),
                description_ru=str(item.get("description_ru", "")),
                place_code=str(item.get("place_code", "")),
                polygons=[[(float(lat), float(lon)) for lat, lon in item["polygon"]]]
                if item.get("polygon")
                else [],
                circle=tuple(item["circle"]) if item.get("circle") else None,
                radius_km=float(item["radius_km"]) if item.get("radius_km") else None,
            )
            for item in items
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise AlertRuleError(
            _("the areas could not be read: %(problem)s") % {"problem": exc}, code="bad_input"
        ) from None


def initial_from_alert(alert) -> dict:
    """Form values of an existing draft (to edit it)."""
    initial: dict = {"hazard": alert.hazard, "note": alert.note}
    areas = []
    for area in alert.areas.all():
        item = {
            "kind": area.kind,
            "description": area.description,
            "description_tg": area.description_tg,
            "description_ru": area.description_ru,
            "place_code": area.place_code,
        }
        if area.kind not in ("region", "district") and area.polygons:
            item["polygon"] = area.polygons[0]
        if area.kind == "circle":
            item["circle"], item["radius_km"] = [area.circle_lat, area.circle_lon], area.radius_km
        areas.append(item)
    initial["areas_json"] = json.dumps(areas, ensure_ascii=False)
    for info in alert.infos.all():
        for name in TEXT_FIELDS:
            initial[f"{name}_{info.language}"] = getattr(info, name)
        for name in COMMON_FIELDS:
            initial[name] = getattr(info, name)
        if info.expires:
            hours = (info.expires - timezone.now()).total_seconds() / 3600
            initial["expires_hours"] = max(1, round(hours))
    return initial


def initial_from_template(template, values: dict[str, str]) -> dict:
    from hushdor.apps.alerts.services.templates import fill_placeholders

    initial = {"hazard": template.hazard, "template": template.pk}
    for name in COMMON_FIELDS:
        initial[name] = getattr(template, name)
    for language in LANGUAGE_CODES:
        for name in TEXT_FIELDS:
            initial[f"{name}_{language}"] = fill_placeholders(getattr(template, f"{name}_{language}"), values)
    return initial
