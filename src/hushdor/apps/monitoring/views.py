"""The operations dashboard: events (refreshed every 5 s), one event's impact and warning, source health.

Thin: every read goes through the monitoring selectors and the warning service's look-ups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hushdor.apps.accounts.decorators import role_required
from hushdor.apps.alerts.models import Alert
from hushdor.apps.alerts.selectors import automatic_hold_reason
from hushdor.apps.monitoring.models import SeismicEvent
from hushdor.apps.monitoring.selectors import (
    event_assessment_latest,
    event_origins,
    events_recent,
    notifications_open,
    sources_health,
)
from hushdor.apps.monitoring.services.quake_policy import exposed_at_least, max_populated_mmi, roman
from hushdor.apps.monitoring.services.quake_warning import event_alert_current, event_alerts
from hushdor.apps.places.selectors import place_names

REFRESH_MS = 5000


@dataclass(frozen=True)
class EventRow:
    event: SeismicEvent
    max_mmi: str
    exposed_mmi6_plus: int | None
    alert_level: str
    warning: Alert | None


@require_GET
@role_required("viewer")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "rows": _event_rows(),
            "sources": sources_health(),
            "notifications": notifications_open()[:20],
            "refresh_ms": REFRESH_MS,
        },
    )


@require_GET
@role_required("viewer")
def events_fragment(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/_events.html", {"rows": _event_rows()})


@require_GET
@role_required("viewer")
def event_page(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event(event_id)
    assessment = event_assessment_latest(event_id=event_id)
    result = assessment.result if assessment is not None else {}
    exposure = [
        {"mmi": roman(int(level)), "people": round(float(people))}
        for level, people in sorted((result.get("exposure_by_mmi") or {}).items(), key=lambda kv: -int(kv[0]))
        if int(level) >= 2
    ]
    names, language = place_names(), request.LANGUAGE_CODE
    return render(
        request,
        "monitoring/event.html",
        {
            "event": event,
            "origins": event_origins(event_id=event_id),
            "assessment": assessment,
            "model_set": (assessment.model_set if assessment else "") or result.get("model_set", ""),
            "regime": result.get("regime", ""),
            "alert_level": result.get("alert", ""),
            "exposure": exposure,
            "districts": _named_rows(result.get("districts"), "max_mmi", 15, names.district, language),
            "settlements": _named_rows(result.get("settlements"), "mmi", 20, names.settlement, language),
            "alerts": _with_hold_reasons(event_alerts(event_id)),
            "has_shakemap": bool(assessment is not None and assessment.shakemap_png),
            "shakemap_state": assessment.shakemap_state if assessment is not None else "",
        },
    )


@require_GET
@role_required("viewer")
def event_shakemap(request: HttpRequest, event_id: int) -> HttpResponse:
    assessment = event_assessment_latest(event_id=_event(event_id).pk)
    if assessment is None or not assessment.shakemap_png:
        raise Http404("no shakemap for this event yet")
    response = HttpResponse(bytes(assessment.shakemap_png), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


def _named_rows(
    rows: list[dict] | None, key: str, limit: int, translate: Callable[[str, str], str], language: str
) -> list[dict]:
    """The shaken rows (``key`` set), at most ``limit``, with ``name`` in the interface language."""
    shaken = [row for row in rows or [] if row.get(key)][:limit]
    return [{**row, "name": translate(row["name"], language)} for row in shaken]


def _event(event_id: int) -> SeismicEvent:
    event = SeismicEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404("no such seismic event")
    return event


def _event_rows() -> list[EventRow]:
    rows = []
    for event in events_recent(limit=50, include_deleted=True):
        assessment = event_assessment_latest(event_id=event.pk)
        result = assessment.result if assessment is not None else None
        rows.append(
            EventRow(
                event=event,
                max_mmi=roman(max_populated_mmi(result)) if result and "exposure_by_mmi" in result else "",
                exposed_mmi6_plus=exposed_at_least(result, 6) if result else None,
                alert_level=str((result or {}).get("alert") or ""),
                warning=event_alert_current(event.pk),
            )
        )
    return rows


def _with_hold_reasons(alerts) -> list:
    """The event's alerts, each with ``hold_reason``: why an automatic follow-up waits for a person."""
    listed = list(alerts)
    for alert in listed:
        alert.hold_reason = automatic_hold_reason(alert) if alert.state == "submitted" else ""
    return listed
