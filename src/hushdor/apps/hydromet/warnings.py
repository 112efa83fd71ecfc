"""From technical alarms to public warnings, through the same policy engine as earthquakes.

* **Mudflow, flood, avalanche**: a new alarm goes to ``alerts.alert_issue_automatic`` with the hazard's
  template (tg/ru/en), its severity from the alarm's level, and the station's district as the area (its
  ``TJ-district`` geocode); the stored Policy for (hazard, severity) decides — issue at once, hold for
  an approver, or (no template) nothing. While the chain's current message is issued and not expired, a
  higher alarm at the same station Updates that chain instead of opening another.
* **Sarez (lake outburst)**: never public from a sensor alone. The technical alarm goes to the duty
  officers; only when a person **verifies** it does a warning get written — with that person as its
  author, so that the two-person rule makes someone else approve it — listing the places downstream in
  order of arrival with their lead times (``science.hydromet.lead_times`` over
  ``data/tj/sarez_villages.csv``: planning estimates).

Severity from level (rules.py): mudflow/flood 1 Moderate, 2 Severe, 3 Extreme; avalanche (indicative
EAWS level) 3 Moderate, 4 Severe, 5 Extreme; Sarez 1 Severe, 2 Extreme.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

from django.utils import timezone

from hushdor.apps.alerts.models import Alert, AlertState, Template
from hushdor.apps.alerts.services import AreaDraft
from hushdor.apps.alerts.services.automatic import alert_issue_automatic, alert_update_automatic
from hushdor.apps.alerts.services.templates import template_info_drafts
from hushdor.apps.hydromet.models import TechnicalAlarm
from hushdor.science.hydromet.lead_times import DEFAULT_CELERITY_M_S, lead_times

HAZARD_OF_RULE = {
    "mudflow": "mudflow",
    "flood.rate_of_rise": "flood",
    "flood.return_period": "flood",
    "avalanche": "avalanche",
    "sarez.lake_level": "lake_outburst",
    "sarez.felt_earthquake": "lake_outburst",
}
ROMAN = {6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}
SEVERITY = {
    "mudflow": {1: "Moderate", 2: "Severe", 3: "Extreme"},
    "flood": {1: "Moderate", 2: "Severe", 3: "Extreme"},
    "avalanche": {3: "Moderate", 4: "Severe", 5: "Extreme"},
    "lake_outburst": {1: "Severe", 2: "Extreme"},
}
VALID_HOURS = {"mudflow": 12, "flood": 24, "avalanche": 24, "lake_outburst": 24}


def hazard_of(rule: str) -> str | None:
    return HAZARD_OF_RULE.get(rule)


def severity_of(hazard: str, level: int) -> str | None:
    table = SEVERITY[hazard]
    if level < min(table):
        return None
    return table[min(level, max(table))]


def _district_of(lat: float, lon: float):
    """The district a point lies in (bounding boxes first, then the polygon), or None."""
    from shapely.geometry import Point, shape

    from hushdor.apps.places.models import District

    point = Point(lon, lat)
    for district in District.objects.filter(min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat):
        if shape(json.loads(district.geometry)).covers(point):
            return district
    return None


def _names(place) -> dict[str, str]:
    return {"en": place.name, "ru": place.name_ru or place.name, "tg": place.name_tg or place.name}


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d.%m.%Y")


def _current_chain(alarm: TechnicalAlarm, hazard: str, now: datetime) -> Alert | None:
    """The issued, unexpired current message of the warning an earlier alarm here produced."""
    rules = [rule for rule, h in HAZARD_OF_RULE.items() if h == hazard]
    earlier = (
        TechnicalAlarm.objects.filter(station=alarm.station, rule__in=rules, alert__isnull=False)
        .exclude(pk=alarm.pk)
        .order_by("-pk")
        .first()
    )
    if earlier is None:
        return None
    root = earlier.alert.lineage_root_id or earlier.alert_id
    current = Alert.objects.filter(lineage_root_id=root, state=AlertState.ISSUED).order_by("-pk").first()
    if current is None or current.msg_type == "Cancel" or (current.expires and current.expires <= now):
        return None
    return current


def _supersede_pending(alarm: TechnicalAlarm, hazard: str) -> None:
    """An earlier alarm's warning still waiting for an approver is overtaken by this (higher) one: it is
    set aside (rejected, with the reason in its audit trail) so that one warning, not two, waits."""
    from hushdor.apps.alerts.services.audit import audit_record

    rules = [rule for rule, h in HAZARD_OF_RULE.items() if h == hazard]
    pending = Alert.objects.filter(
        pk__in=TechnicalAlarm.objects.filter(station=alarm.station, rule__in=rules, alert__isnull=False)
        .exclude(pk=alarm.pk)
        .values("alert_id"),
        state__in=[AlertState.SUBMITTED, AlertState.APPROVED],
        automatic=True,
    )
    for alert in pending:
        Alert.objects.filter(pk=alert.pk).update(state=AlertState.REJECTED)
        audit_record(
            actor=None,
            action="automatic.superseded",
            alert=alert,
            details={"by_alarm": alarm.pk, "rule": alarm.rule, "level": alarm.level},
        )


def forecaster_level(district_code: str, now: datetime) -> int | None:
    """The forecaster's avalanche level for the district, while it is valid."""
    from hushdor.apps.hydromet.models import AvalancheLevel

    row = AvalancheLevel.objects.filter(district_code=district_code, valid_until__gt=now).order_by("-set_at", "-pk").first()
    return row.level if row else None


def warning_for_alarm(alarm: TechnicalAlarm, *, now: datetime | None = None) -> Alert | None:
    """Mudflow, flood, avalanche: the policy decides what the alarm becomes. Sarez: nothing here.
    For avalanches a valid forecaster's level for the district wins over the indicators' level."""
    now = now or timezone.now()
    hazard = hazard_of(alarm.rule)
    if hazard is None or hazard == "lake_outburst":
        return None
    district = _district_of(alarm.station.lat, alarm.station.lon)
    level = alarm.level
    if hazard == "avalanche" and district is not None:
        level = forecaster_level(district.code, now) or level
    severity = severity_of(hazard, level)
    template = Template.objects.filter(hazard=hazard).order_by("name", "pk").first()
    if severity is None or template is None or district is None:
        return None
    return _district_warning(
        hazard=hazard, severity=severity, district=district, template=template,
        exercise=alarm.exercise, alarm=alarm, now=now,
        note=(
            f"Technical alarm #{alarm.pk}: {alarm.rule} level {alarm.level} at {alarm.station.name} "
            f"(value {alarm.value:.2f} at {alarm.time.isoformat()})"
            + (f"; the forecaster's level {level} wins" if level != alarm.level else "")
        ),
        trigger=f"hydromet:{alarm.rule}:{alarm.station.code}:level {level}",
    )


def _district_warning(*, hazard, severity, district, template, exercise, alarm, now, note, trigger):
    expires = now + timedelta(hours=VALID_HOURS[hazard])
    infos = [
        dataclasses.replace(info, severity=severity)
        for info in template_info_drafts(
            template,
            values={"area": _names(district), "time": _local(expires)},
            expires=expires,
            onset=None,  # the hazard is expected, not observed: CAP forbids an onset before the message
        )
    ]
    areas = [
        AreaDraft(
            kind="district",
            place_code=district.code,
            description=district.name,
            description_ru=district.name_ru,
            description_tg=district.name_tg,
            geocodes=[("TJ-district", district.code)],
        )
    ]
    if alarm is not None:
        _supersede_pending(alarm, hazard)
    current = _current_chain(alarm, hazard, now) if alarm is not None else _district_chain(district.code, hazard, now)
    if current is not None:
        alert = alert_update_automatic(alert=current, infos=infos, areas=areas, note=note, trigger=trigger, now=now)
    else:
        alert = alert_issue_automatic(
            hazard=hazard,
            severity=severity,
            infos=infos,
            areas=areas,
            status="Exercise" if exercise else "Actual",
            note=note,
            trigger=trigger,
            now=now,
        )
    if alarm is not None:
        TechnicalAlarm.objects.filter(pk=alarm.pk).update(alert=alert)
        alarm.alert = alert
    return alert


def _district_chain(district_code: str, hazard: str, now: datetime) -> Alert | None:
    """The issued, unexpired current message of a warning for the hazard in this district."""
    from hushdor.apps.alerts.models import AlertArea

    roots = set(
        AlertArea.objects.filter(place_code=district_code, alert__hazard=hazard, alert__state=AlertState.ISSUED)
        .values_list("alert__lineage_root_id", flat=True)
    )
    for root in roots:
        current = Alert.objects.filter(lineage_root_id=root, state=AlertState.ISSUED).order_by("-pk").first()
        in_force = current and current.msg_type != "Cancel" and not (current.expires and current.expires <= now)
        if in_force and not current.infos.filter(response_type="AllClear").exists():
            return current
    return None


def avalanche_level_set(*, actor, district_code: str, level: int, hours: int = 24, note: str = "",
                        exercise: bool = False, now: datetime | None = None) -> Alert | None:
    """The forecaster sets the avalanche danger level for a district; it wins over the indicators. At
    level 3 or more the district's avalanche warning is written or updated at that level (the forecaster
    is its author: a second person approves it under the policy); below 3 a warning in force is cleared."""
    from hushdor.apps.accounts.roles import EDITOR, has_role
    from hushdor.apps.alerts.services.automatic import alert_all_clear_automatic
    from hushdor.apps.hydromet.models import AvalancheLevel
    from hushdor.apps.places.models import District

    now = now or timezone.now()
    if not has_role(actor, EDITOR):
        raise ValueError("setting the avalanche level needs the editor role (the forecaster)")
    if level not in (1, 2, 3, 4, 5):
        raise ValueError(f"the avalanche danger level is 1 to 5 (EAWS), not {level!r}")
    if not 1 <= hours <= 168:
        raise ValueError("the level is valid for 1 to 168 hours")
    district = District.objects.filter(code=district_code).first()
    if district is None:
        raise ValueError(f"unknown district {district_code!r}")
    AvalancheLevel.objects.create(
        district_code=district.code, level=level, note=note[:500], set_by=actor, valid_until=now + timedelta(hours=hours)
    )
    current = _district_chain(district.code, "avalanche", now)
    if level < 3:
        if current is None:
            return None
        return alert_all_clear_automatic(alert=current, note=f"the forecaster set level {level}", trigger="hydromet:avalanche:forecaster", now=now)
    template = Template.objects.filter(hazard="avalanche").order_by("name", "pk").first()
    if template is None:
        return None
    alert = _district_warning(
        hazard="avalanche", severity=severity_of("avalanche", level), district=district, template=template,
        exercise=exercise, alarm=None, now=now,
        note=f"Avalanche danger level {level} set by the forecaster {actor.get_username()}" + (f": {note}" if note else ""),
        trigger="hydromet:avalanche:forecaster",
    )
    if alert is not None and alert.state != AlertState.ISSUED:
        Alert.objects.filter(pk=alert.pk).update(author=actor)
        alert.author = actor
    return alert


@cache
def sarez_places() -> tuple[dict, ...]:
    text = resources.files("hushdor").joinpath("data", "tj", "sarez_villages.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple({**row, "river_km": float(row["river_km"])} for row in rows)


def sarez_arrivals(celerity_m_s: float = DEFAULT_CELERITY_M_S):
    """Places downstream in order of arrival: (place row, Arrival)."""
    places = {row["name"]: row for row in sarez_places()}
    return [(places[a.village], a) for a in lead_times([(n, p["river_km"]) for n, p in places.items()], celerity_m_s=celerity_m_s)]


def _duration(minutes: float, language: str) -> str:
    hours, rest = divmod(round(minutes), 60)
    unit = {"en": ("h", "min"), "ru": ("ч", "мин"), "tg": ("соат", "дақ")}[language]
    return f"{hours} {unit[0]} {rest:02d} {unit[1]}" if hours else f"{rest} {unit[1]}"


ARRIVAL_INTRO = {
    "en": "Planning estimate of the flood wave's arrival (distance along the river / {speed} m/s):",
    "ru": "Плановая оценка времени добегания волны (расстояние по реке / {speed} м/с):",
    "tg": "Арзёбии тахминии вақти расидани мавҷ (масофа аз рӯи дарё / {speed} м/с):",
}
LAKE = {"en": "Sarez", "ru": "Сарез", "tg": "Сарез"}
OBSERVATION = {
    "sarez.lake_level": {
        "en": "lake level up {value:.2f} m in 24 hours",
        "ru": "подъём уровня на {value:.2f} м за 24 часа",
        "tg": "баландшавии сатҳ ба {value:.2f} м дар 24 соат",
    },
    "sarez.felt_earthquake": {
        "en": "an earthquake shook the dam at intensity {roman}",
        "ru": "землетрясение силой {roman} баллов на завале",
        "tg": "заминларза бо шиддати {roman} балл дар сарбанд",
    },
}


def sarez_warning_for_verified_alarm(alarm: TechnicalAlarm, *, verifier, now: datetime | None = None) -> Alert | None:
    """A verified Sarez alarm becomes a public warning draft, authored by the verifier (so a second
    person approves it), listing the places downstream with their lead times."""
    now = now or timezone.now()
    if hazard_of(alarm.rule) != "lake_outburst":
        return None
    template = Template.objects.filter(hazard="lake_outburst").order_by("name", "pk").first()
    if template is None:
        return None
    from hushdor.apps.places.models import District

    arrivals = sarez_arrivals()
    codes = list(dict.fromkeys(place["district_code"] for place, _ in arrivals))
    districts = {d.code: d for d in District.objects.filter(code__in=codes)}
    first_hours = arrivals[0][1].minutes / 60 if arrivals else 0
    area_names = {
        language: ", ".join(_names(districts[c])[language] for c in codes if c in districts)
        for language in ("en", "ru", "tg")
    }
    expires = now + timedelta(hours=VALID_HOURS["lake_outburst"])
    infos = []
    for info in template_info_drafts(
        template,
        values={
            "lake": LAKE,
            "area": area_names,
            "arrival": f"{first_hours:.1f}",
            "observation": {
                lang: text.format(value=alarm.value, roman=ROMAN.get(min(int(alarm.value + 0.5), 10), str(alarm.value)))
                for lang, text in OBSERVATION[alarm.rule].items()
            },
        },
        expires=expires,
        onset=now,
    ):
        lines = [ARRIVAL_INTRO[info.language].format(speed=f"{DEFAULT_CELERITY_M_S:g}")]
        for place, arrival in arrivals:
            name = {"en": place["name"], "ru": place["name_ru"], "tg": place["name_tg"]}[info.language]
            lines.append(f"{name} — {arrival.river_km:.0f} km, {_duration(arrival.minutes, info.language)}")
        infos.append(
            dataclasses.replace(
                info,
                severity=severity_of("lake_outburst", alarm.level) or "Severe",
                description=info.description + "\n" + "\n".join(lines),
            )
        )
    areas = [
        AreaDraft(
            kind="district",
            place_code=code,
            description=districts[code].name,
            description_ru=districts[code].name_ru,
            description_tg=districts[code].name_tg,
            geocodes=[("TJ-district", code)],
        )
        for code in codes
        if code in districts
    ]
    alert = alert_issue_automatic(
        hazard="lake_outburst",
        severity=infos[0].severity,
        infos=infos,
        areas=areas,
        status="Exercise" if alarm.exercise else "Actual",
        note=f"Technical alarm #{alarm.pk} ({alarm.rule} level {alarm.level}) verified by {verifier.get_username()}",
        trigger=f"hydromet:{alarm.rule}:verified",
        now=now,
    )
    if alert.state != AlertState.ISSUED:  # the verifier counts as its writer: someone else approves
        Alert.objects.filter(pk=alert.pk).update(author=verifier)
        alert.author = verifier
    TechnicalAlarm.objects.filter(pk=alarm.pk).update(alert=alert)
    alarm.alert = alert
    return alert


# --- the end of a condition: an automatic all-clear ---------------------------------------------------

DRY_HOURS = 6  # a rain event ends after 6 dry hours (< 0.2 mm/h; Brunetti et al. 2010, as rainfall.py)
CLEAR_HOURS = 6  # a river counts as fallen when 6 hourly values in a row are below its 2-year level


def _ended(station, hazard: str) -> str:
    """Why the condition at ``station`` has ended (empty: it has not, or cannot be told)."""
    from hushdor.apps.hydromet.models import Observation
    from hushdor.science.hydromet.observations import VARIABLE_CODE

    if hazard == "mudflow":
        values = list(
            Observation.objects.filter(station=station, variable=VARIABLE_CODE["precipitation_mm"], qc_flag=0)
            .order_by("-time").values_list("value", flat=True)[:DRY_HOURS]
        )
        if len(values) == DRY_HOURS and all(v is not None and v < 0.2 for v in values):
            return f"no rain for {DRY_HOURS} hours at {station.name}"
    if hazard == "flood":
        levels = (station.thresholds or {}).get("return_levels") or []
        if not levels:
            return ""
        values = list(
            Observation.objects.filter(station=station, variable=VARIABLE_CODE["discharge_m3s"], qc_flag=0)
            .order_by("-time").values_list("value", flat=True)[:CLEAR_HOURS]
        )
        if len(values) == CLEAR_HOURS and all(v is not None and v < levels[0] for v in values):
            return f"discharge below the 2-year level ({levels[0]:g} m³/s) for {CLEAR_HOURS} hours at {station.name}"
    return ""


def all_clear_if_ended(station, *, now: datetime | None = None) -> list[Alert]:
    """For the mudflow and flood warnings this station raised and that are still in force: an
    automatic all-clear once the condition has ended (avalanche danger is the forecaster's to end)."""
    from hushdor.apps.alerts.services.automatic import alert_all_clear_automatic

    now = now or timezone.now()
    cleared = []
    for hazard in ("mudflow", "flood"):
        rules = [rule for rule, h in HAZARD_OF_RULE.items() if h == hazard]
        latest = (
            TechnicalAlarm.objects.filter(station=station, rule__in=rules, alert__isnull=False)
            .select_related("alert").order_by("-pk").first()
        )
        if latest is None:
            continue
        root = latest.alert.lineage_root_id or latest.alert_id
        current = Alert.objects.filter(lineage_root_id=root, state=AlertState.ISSUED).order_by("-pk").first()
        if current is None or current.msg_type == "Cancel" or (current.expires and current.expires <= now):
            continue
        if current.infos.filter(response_type="AllClear").exists():
            continue
        reason = _ended(station, hazard)
        if reason:
            cleared.append(
                alert_all_clear_automatic(alert=current, note=reason[:500], trigger=f"hydromet:{hazard}:ended", now=now)
            )
    return cleared
