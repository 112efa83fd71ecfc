"""Every write of operations: incidents opened by warnings or by hand, the logbook, corrections.

``incident_open_for_alert`` is an alerts listener (inside the issuing transaction): the first issued
message of a chain (msgType Alert, scope Public) opens an incident; its Updates and Cancels are logged
in it. ``incident_open_for_alarm`` takes plain data for a verified hydromet technical alarm.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hushdor.apps.operations.models import Incident, IncidentStatus, LogEntry


class OperationsError(ValueError):
    """A request the operations records refuse; the message says why."""


def _place_codes(alert) -> list[str]:
    codes = []
    for area in alert.areas.all():
        codes += [str(value) for _name, value in (area.geocodes or [])]
    return sorted(set(codes))


def incident_open_for_alert(alert) -> Incident | None:
    """Open the incident of a newly issued chain, or log a follow-up in the chain's incident."""
    root_id = alert.lineage_root_id or alert.pk
    incident = Incident.objects.filter(alert_chain_id=root_id).first()
    if incident is None:
        if alert.msg_type != "Alert":
            return None
        headline = next((info.headline for info in alert.infos.all() if info.language == "en"), "") or str(
            alert
        )
        incident = Incident.objects.create(
            title=headline[:300],
            hazard=alert.hazard,
            exercise=alert.status != "Actual",
            started_at=alert.sent or timezone.now(),
            place_codes=_place_codes(alert),
            alert_chain_id=root_id,
        )
        logbook_write(
            incident=incident, text=f"Incident opened by warning {alert.identifier}", source="alerts"
        )
        return incident
    logbook_write(incident=incident, text=f"Warning {alert.msg_type}: {alert.identifier}", source="alerts")
    return incident


@transaction.atomic
def incident_open(
    *, title: str, hazard: str, author=None, started_at: datetime | None = None, place_codes=None
) -> Incident:
    if not title.strip():
        raise OperationsError("an incident needs a title")
    incident = Incident.objects.create(
        title=title.strip()[:300],
        hazard=hazard,
        started_at=started_at or timezone.now(),
        place_codes=place_codes or [],
    )
    logbook_write(incident=incident, text="Incident opened by hand", author=author, source="operator")
    return incident


def incident_open_for_alarm(
    *, title: str, hazard: str, place_codes: list[str], alarm: str, exercise: bool = False
) -> Incident:
    """For a verified technical alarm (Sarez, hydromet), given as plain data."""
    incident = Incident.objects.create(
        title=title[:300],
        hazard=hazard,
        exercise=exercise,
        started_at=timezone.now(),
        place_codes=place_codes,
    )
    logbook_write(
        incident=incident, text=f"Incident opened by verified technical alarm {alarm}", source="hydromet"
    )
    return incident


def incident_open_for_verified_alarm(alarm) -> Incident:
    """The hydromet listener: a verified technical alarm opens an incident (plain data handed over)."""
    station = alarm.station
    return incident_open_for_alarm(
        title=f"{alarm.rule} level {alarm.level} at {station.name}",
        hazard="lake_outburst" if alarm.rule.startswith("sarez.") else alarm.rule.split(".")[0],
        place_codes=[],
        alarm=f"#{alarm.pk} {alarm.rule} (value {alarm.value:.3f} at {alarm.time.isoformat()})",
    )


@transaction.atomic
def logbook_write(
    *, incident: Incident, text: str, author=None, source: str = "", corrects: LogEntry | None = None
) -> LogEntry:
    if not text.strip():
        raise OperationsError("a log entry needs text")
    if incident.status == IncidentStatus.CLOSED:
        raise OperationsError("the incident is closed; reopen it to log more")
    if corrects is not None and corrects.incident_id != incident.pk:
        raise OperationsError("a correction must be in the same incident as the entry it corrects")
    return LogEntry.objects.create(
        incident=incident, text=text.strip(), author=author, source=source, corrects=corrects
    )


@transaction.atomic
def incident_set_status(*, incident: Incident, status: str, author=None) -> Incident:
    if status not in IncidentStatus.values:
        raise OperationsError(f"unknown status {status!r}")
    previous = incident.status
    Incident.objects.filter(pk=incident.pk).update(status=status)
    incident.status = (
        IncidentStatus.OPEN if previous == IncidentStatus.CLOSED else previous
    )  # allow the entry
    logbook_write(incident=incident, text=f"Status {previous} → {status}", author=author, source="operator")
    incident.status = status
    return incident
