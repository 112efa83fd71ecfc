"""Damage reports and situation reports: every write, and the PDF / EDXL-SitRep rendering.

A sitrep is **generated from the records** (the latest damage report per district and its change since
the previous published sitrep, needs and assistance contributed by other apps, the logbook of the
period as the actions taken), **edited** by an officer while it is a draft, and **published** by a
second person (two-person rule, as for warnings). Publishing renders the PDF and the EDXL-SitRep XML,
stores both (a published sitrep never changes), logs it, and tells the listeners (``assistance``
sends it to the peer nodes).

Apps downstream of operations contribute without operations importing them: ``contribute(fn)``
registers ``fn(incident) -> {"needs": [NeedLine], "assistance": [AssistanceLine]}`` and
``on_published(fn)`` registers ``fn(sitrep)``, both called in ``AppConfig.ready()``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hushdor.apps.accounts.roles import APPROVER, EDITOR, has_role
from hushdor.apps.operations.models import DAMAGE_FIGURES, DamageReport, Incident, Sitrep, SitrepState
from hushdor.apps.operations.services import OperationsError, logbook_write
from hushdor.edxl import sitrep as sitrep_xml
from hushdor.reports import sitrep_pdf

FIGURE_KEYS = tuple(key for key, _label in DAMAGE_FIGURES)
MAX_FIGURE = 50_000_000  # more than the population of the country: a typing error

_contributors: list[Callable] = []
_published: list[Callable] = []


def contribute(fn: Callable) -> None:
    if fn not in _contributors:
        _contributors.append(fn)


def on_published(fn: Callable) -> None:
    if fn not in _published:
        _published.append(fn)


@transaction.atomic
def damage_report(
    *, actor, incident: Incident, district_code: str, figures: dict, source: str, reported_at: datetime | None = None
) -> DamageReport:
    """Record the figures a district reports (each with its source and time); older reports stay."""
    from hushdor.apps.places.models import District

    if actor is not None and not has_role(actor, EDITOR):
        raise OperationsError("reporting damage needs the editor role")
    district = District.objects.filter(code=district_code).first()
    if district is None:
        raise OperationsError(f"unknown district {district_code!r}")
    if not source.strip():
        raise OperationsError("every figure needs its source (who reported it)")
    clean: dict[str, int] = {}
    for key, value in figures.items():
        if key not in FIGURE_KEYS:
            raise OperationsError(f"unknown figure {key!r}; known: {', '.join(FIGURE_KEYS)}")
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise OperationsError(f"{key}: {value!r} is not a whole number") from None
        if number < 0 or number > MAX_FIGURE or str(number) != str(value).strip().lstrip("+"):
            raise OperationsError(f"{key}: {value!r} must be a whole number from 0 to {MAX_FIGURE:,}")
        clean[key] = number
    if not clean:
        raise OperationsError("the report has no figures")
    report = DamageReport.objects.create(
        incident=incident,
        district_code=district.code,
        district_name=district.name,
        figures=clean,
        source=source.strip()[:200],
        reported_at=reported_at or timezone.now(),
        reported_by=actor,
    )
    logbook_write(
        incident=incident,
        author=actor,
        source=source.strip()[:200],
        text=f"Damage report {district.name}: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in clean.items()),
    )
    return report


def current_figures(incident: Incident) -> dict[str, dict]:
    """The latest report per district, merged figure by figure (a later report of one figure does not
    erase the others): {code: {"name", "values", "source", "reported_at"}}."""
    current: dict[str, dict] = {}
    for report in incident.damage_reports.order_by("reported_at", "pk"):
        entry = current.setdefault(
            report.district_code, {"name": report.district_name, "values": {}, "source": "", "reported_at": None}
        )
        entry["values"].update(report.figures)
        entry["source"], entry["reported_at"] = report.source, report.reported_at
    return current


def totals(figures: dict[str, dict]) -> dict[str, int]:
    total = dict.fromkeys(FIGURE_KEYS, 0)
    for entry in figures.values():
        for key, value in entry["values"].items():
            total[key] += value
    return {key: value for key, value in total.items() if value}


def _previous(incident: Incident, before: int | None = None) -> Sitrep | None:
    published = incident.sitreps.filter(state=SitrepState.PUBLISHED)
    if before is not None:
        published = published.filter(number__lt=before)
    return published.order_by("-number").first()


def _data(incident: Incident, number: int) -> dict:
    previous = _previous(incident, before=number)
    before = {d["code"]: d["values"] for d in (previous.data.get("figures", []) if previous else [])}
    figures = []
    for code, entry in sorted(current_figures(incident).items(), key=lambda item: item[1]["name"]):
        changes = {
            key: value - before.get(code, {}).get(key, 0)
            for key, value in entry["values"].items()
            if value != before.get(code, {}).get(key, 0)
        }
        figures.append(
            {
                "code": code,
                "name": entry["name"],
                "values": entry["values"],
                "changes": changes,
                "source": entry["source"],
                "reported_at": entry["reported_at"].isoformat() if entry["reported_at"] else None,
            }
        )
    data: dict = {"figures": figures, "needs": [], "assistance": [], "model_note": ""}
    estimate = impact_estimate(incident)
    if estimate:
        for row in figures:
            model = estimate["districts"].get(row["name"])
            if model and model.get("max_mmi"):
                row["model"] = f"MMI {model['max_mmi']:.1f} · {model['exposed_mmi6_plus']:,} ≥ VI"
        fatalities = estimate.get("fatalities")
        data["model_note"] = (
            f"Impact model (M{estimate['magnitude']:.1f}): strongest shaking MMI {estimate['max_mmi'] or 0:.1f}"
            + (f", PAGER expected fatalities {fatalities:,.0f} ({estimate['alert']})" if fatalities is not None else "")
            + " — a model, not a count."
        )
    for contributor in _contributors:
        contribution = contributor(incident) or {}
        data["needs"] += [vars(line) for line in contribution.get("needs", [])]
        data["assistance"] += [vars(line) for line in contribution.get("assistance", [])]
    return json.loads(json.dumps(data, default=str))


def _situation(incident: Incident, data: dict) -> str:
    total = dict.fromkeys(FIGURE_KEYS, 0)
    for district in data["figures"]:
        for key, value in district["values"].items():
            total[key] += value
    said = ", ".join(f"{label} {total[key]:,}" for key, label in DAMAGE_FIGURES if total[key])
    districts = len(data["figures"])
    text = f"{incident.title}. "
    if districts:
        text += f"{districts} district(s) have reported: {said}."
    else:
        text += "No district has reported figures yet."
    return text


@transaction.atomic
def sitrep_draft(*, actor, incident: Incident, language: str = "en", next_in_hours: int = 24) -> Sitrep:
    """A new numbered draft generated from the records; numbers are consecutive per incident."""
    if not has_role(actor, EDITOR):
        raise OperationsError("drafting a situation report needs the editor role")
    Incident.objects.select_for_update().filter(pk=incident.pk).first()  # numbers one at a time
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise OperationsError(f"unknown language {language!r}")
    number = (incident.sitreps.aggregate(top=Max("number"))["top"] or 0) + 1
    previous = _previous(incident)
    now = timezone.now().replace(microsecond=0)
    period_from = previous.period_to if previous else incident.started_at
    data = _data(incident, number)
    actions = "\n".join(
        f"{entry.at:%d %H:%M} {entry.text}"
        for entry in incident.log.filter(at__gte=period_from).order_by("at", "pk")[:30]
    )
    return Sitrep.objects.create(
        incident=incident,
        number=number,
        language=language,
        period_from=period_from,
        period_to=now,
        situation=_situation(incident, data),
        actions=actions,
        next_report_at=now + timedelta(hours=next_in_hours),
        data=data,
        created_by=actor,
    )


@transaction.atomic
def sitrep_edit(
    *, actor, sitrep: Sitrep, situation: str, actions: str, next_report_at: datetime | None = None
) -> Sitrep:
    if not has_role(actor, EDITOR):
        raise OperationsError("editing a situation report needs the editor role")
    sitrep = Sitrep.objects.select_for_update().get(pk=sitrep.pk)
    if sitrep.state != SitrepState.DRAFT:
        raise OperationsError("a published situation report is never changed: draft the next one")
    sitrep.situation, sitrep.actions = situation.strip(), actions.strip()
    if next_report_at is not None:
        sitrep.next_report_at = next_report_at
    sitrep.data = _data(sitrep.incident, sitrep.number)  # figures as of now
    sitrep.save(update_fields=["situation", "actions", "next_report_at", "data"])
    return sitrep


def document_of(sitrep: Sitrep) -> sitrep_xml.SitrepDocument:
    data = sitrep.data or {}
    return sitrep_xml.SitrepDocument(
        message_id=f"{settings.NODE_ID}/sitrep/{sitrep.incident_id}/{sitrep.number}",
        incident_id=f"{settings.NODE_ID}/incident/{sitrep.incident_id}",
        title=sitrep.incident.title,
        number=sitrep.number,
        version="Initial" if sitrep.number == 1 else ("Final" if sitrep.incident.status == "closed" else "Update"),
        language=sitrep.language,
        period_from=timezone.localtime(sitrep.period_from),
        period_to=timezone.localtime(sitrep.period_to),
        prepared_by=sitrep.created_by.get_username(),
        authorized_by=sitrep.published_by.get_username() if sitrep.published_by else "",
        situation=sitrep.situation,
        actions=sitrep.actions,
        phase={"open": "Response", "response": "Response", "recovery": "Recovery", "closed": "Recovery"}.get(
            sitrep.incident.status, "Response"
        ),
        next_report_at=timezone.localtime(sitrep.next_report_at) if sitrep.next_report_at else None,
        exercise=sitrep.incident.exercise,
        figures=tuple(
            sitrep_xml.DistrictFigures(
                code=d["code"],
                name=d["name"],
                values=d["values"],
                changes=d.get("changes", {}),
                source=d.get("source", ""),
                reported_at=datetime.fromisoformat(d["reported_at"]) if d.get("reported_at") else None,
                model=d.get("model", ""),
            )
            for d in data.get("figures", [])
        ),
        model_note=data.get("model_note", ""),
        needs=tuple(sitrep_xml.NeedLine(**n) for n in data.get("needs", [])),
        assistance=tuple(sitrep_xml.AssistanceLine(**a) for a in data.get("assistance", [])),
    )


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    labels = {
        "title": _("Situation report No. {number}"),
        "exercise": _("EXERCISE — EXERCISE — EXERCISE"),
        "incident": _("Incident"),
        "period": _("Period"),
        "prepared": _("Prepared by"),
        "authorized": _("Authorised by"),
        "situation": _("Situation"),
        "figures": _("Figures per district (change since the previous report)"),
        "district": _("District"),
        "source": _("Source"),
        "needs": _("Needs outstanding"),
        "need": _("Need"),
        "requested": _("Requested"),
        "accepted": _("Accepted"),
        "outstanding": _("Outstanding"),
        "assistance": _("International assistance"),
        "partner": _("Partner"),
        "item": _("Item"),
        "quantity": _("Quantity"),
        "state": _("State"),
        "actions": _("Actions taken"),
        "next": _("Next report"),
        "none": _("none"),
        "total": _("Total"),
        "map": _("Dark: districts reporting figures; light: the warning area"),
        "model": _("Model"),
    }
    return labels, {key: str(label) for key, label in DAMAGE_FIGURES}


def map_png(sitrep: Sitrep) -> bytes | None:
    """Every district's outline; the reporting districts and the incident's areas shaded."""
    return incident_map_png(sitrep.incident, reporting={d["code"] for d in (sitrep.data or {}).get("figures", [])})


def incident_map_png(incident: Incident, *, reporting: set[str] | None = None) -> bytes | None:
    """The incident's map: districts reporting figures dark, the warning area light, the epicentre
    (earthquakes) or the stations of its alarms marked."""
    from hushdor.apps.places.models import District

    reporting = set(current_figures(incident)) if reporting is None else reporting
    warned = set(incident.place_codes or [])
    outlines = []
    for district in District.objects.only("code", "geometry"):
        geometry = json.loads(district.geometry)
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [[(x, y) for x, y, *_rest in polygon[0]] for polygon in polygons]
        outlines.append((rings, 2 if district.code in reporting else 1 if district.code in warned else 0))
    if not outlines:
        return None
    points = []
    estimate = impact_estimate(incident)
    if estimate and estimate.get("lat") is not None:
        points.append((estimate["lon"], estimate["lat"], f"M{estimate['magnitude']:.1f}"))
    return sitrep_pdf.district_map_png(outlines, points)


def render_pdf(sitrep: Sitrep) -> bytes:
    with translation.override(sitrep.language):
        labels, figure_labels = _labels()
        return sitrep_pdf.render(
            document_of(sitrep), labels=labels, figure_labels=figure_labels, map_png=map_png(sitrep)
        )


@transaction.atomic
def sitrep_publish(*, actor, sitrep: Sitrep) -> Sitrep:
    """Second person approves and publishes: PDF and XML are rendered and frozen; listeners notified."""
    sitrep = Sitrep.objects.select_for_update().select_related("incident", "created_by").get(pk=sitrep.pk)
    if not has_role(actor, APPROVER):
        raise OperationsError("publishing a situation report needs the approver role")
    if sitrep.created_by_id == actor.pk:
        raise OperationsError("two-person rule: the author of a situation report cannot publish it")
    if sitrep.state != SitrepState.DRAFT:
        raise OperationsError("this situation report is already published")
    sitrep.published_by, sitrep.published_at = actor, timezone.now()
    sitrep.xml = sitrep_xml.to_xml(document_of(sitrep))
    sitrep.pdf = render_pdf(sitrep)
    sitrep.state = SitrepState.PUBLISHED
    sitrep.save(update_fields=["published_by", "published_at", "xml", "pdf", "state"])
    logbook_write(
        incident=sitrep.incident, author=actor, source="operations", text=f"Situation report No. {sitrep.number} published"
    )
    for listener in _published:
        listener(sitrep)
    return sitrep


def impact_estimate(incident: Incident) -> dict | None:
    """The earthquake impact model's estimate for an incident opened by an earthquake warning: per
    district the strongest shaking and the people at MMI ≥ VI, and the PAGER fatality estimate — shown
    beside the figures districts report (a model, not a count)."""
    if incident.alert_chain_id is None or incident.hazard != "earthquake":
        return None
    from hushdor.apps.alerts.models import AlertInfo
    from hushdor.apps.monitoring.models import SeismicEvent
    from hushdor.apps.monitoring.services.quake_message import EVENT_PARAMETER
    from hushdor.apps.monitoring.services.quake_warning import event_assessment

    info = AlertInfo.objects.filter(alert__lineage_root_id=incident.alert_chain_id).exclude(parameters={}).first()
    key = (info.parameters or {}).get(EVENT_PARAMETER) if info else None
    if not key or not str(key).startswith("monitoring-event-"):
        return None
    event = SeismicEvent.objects.filter(pk=int(str(key).rsplit("-", 1)[1])).first()
    if event is None or event.preferred_origin_id is None:
        return None
    result = event_assessment(event).result or {}
    districts = {row["name"]: row for row in result.get("districts", [])}
    return {
        "lat": event.latitude,
        "lon": event.longitude,
        "magnitude": event.magnitude,
        "max_mmi": result.get("max_mmi"),
        "fatalities": (result.get("fatalities") or {}).get("expected"),
        "alert": result.get("alert"),
        "districts": districts,
    }
