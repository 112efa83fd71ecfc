"""The earthquake warning: from a seismic event and its assessment to a CAP alert, by policy.

``quake_warning_for_event(event_id)`` is called by the chain after an event changed (created, new
preferred origin, deleted). It

1. reads the event and the assessment of its preferred origin — running it through
   ``assessments.assessment_run`` with :mod:`.quake_impact` when none is stored yet;
2. decides issue / draft / log with :mod:`.quake_policy` (settings from the environment);
3. composes the texts and areas (:mod:`.quake_message`) and hands them to the alerts app:
   a first message through ``alert_issue_automatic`` (its Policy table decides issued or held for an
   approver), a changed one as an automatic Update, a deleted event as a Cancel
   (``alerts.services.automatic``).

Idempotent: calling it again with nothing new changes nothing — an alert whose alert level, areas and
texts would stay the same is not updated. Alerts are found by the CAP parameter ``quakeEventId``
(``monitoring-event-<id>``) every message of the chain carries.

Replays (an origin from a ``replay`` source, or an agency event id starting with ``replay``) are real
runs of the chain but are issued with CAP ``status=Exercise`` and the note "Replay of a past event", so
no reader mistakes a 2015 earthquake for today's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from hushdor.apps.alerts.models import Alert, AlertInfo, AlertState, Template
from hushdor.apps.alerts.selectors import automatic_hold_reason
from hushdor.apps.alerts.services import (
    AreaDraft,
    InfoDraft,
    alert_cancel_automatic,
    alert_issue_automatic,
    alert_update_automatic,
)
from hushdor.apps.monitoring.models import Assessment, Origin, SeismicEvent, Source
from hushdor.apps.monitoring.services import quake_impact
from hushdor.apps.monitoring.services.assessments import assessment_run
from hushdor.apps.monitoring.services.notifications import operator_notify
from hushdor.apps.monitoring.services.quake_areas import district_shapes, jurisdiction_outline
from hushdor.apps.monitoring.services.quake_message import (
    EVENT_PARAMETER,
    QuakeFacts,
    warning_areas,
    warning_infos,
)
from hushdor.apps.monitoring.services.quake_policy import WarningDecision, WarningPolicy, warning_decide
from hushdor.apps.places.selectors import place_names
from hushdor.cap.model import MsgType, Status

log = logging.getLogger("hushdor.monitoring.quake_warning")

HAZARD = "earthquake"
REPLAY_NOTE = "Replay of a past event"
WarningState = Literal["issued", "draft", "updated", "cancelled", "none"]
DELETED_REASONS = {
    "tg": "Марказҳои сейсмологӣ ин заминларзаро бекор карданд; ҳушдор бекор карда мешавад.",
    "ru": "Сейсмологические службы отменили это событие; предупреждение отменяется.",
    "en": "The seismological agencies deleted this event; the warning is withdrawn.",
}
PENDING_STATES = (AlertState.DRAFT, AlertState.SUBMITTED, AlertState.APPROVED)


@dataclass(frozen=True)
class WarningOutcome:
    state: WarningState
    identifier: str | None  # the CAP identifier of the current message; None while held for review
    reason: str
    alert_id: int | None = None
    changed: bool = False  # False when this call wrote nothing (idempotent repeat, log only)
    decision: WarningDecision | None = None


def quake_warning_for_event(
    event_id: int, *, policy: WarningPolicy | None = None, now: datetime | None = None
) -> WarningOutcome:
    """Issue, draft, update or cancel the warning of one seismic event; see the module docstring."""
    policy = policy or WarningPolicy.from_environment()
    now = now or timezone.now()
    event = SeismicEvent.objects.select_related("preferred_origin").filter(pk=event_id).first()
    if event is None:
        return WarningOutcome("none", None, f"no seismic event {event_id}")
    if event.state == SeismicEvent.State.DELETED:
        return _withdrawn(event, now=now)
    if event.preferred_origin is None:
        return WarningOutcome("none", None, f"event {event_id} has no preferred origin")
    assessment = event_assessment(event)
    decision = warning_decide(assessment.result, policy)
    with transaction.atomic():
        SeismicEvent.objects.select_for_update().filter(pk=event.pk).first()
        current = event_alert_current(event.pk)
        if decision.action == "log" and (current is None or current.state != AlertState.ISSUED):
            log.info("event %s: %s", event.pk, decision.reason)
            return _unchanged(current, decision, reason=decision.reason)
        names = place_names()
        infos = warning_infos(
            _facts(event),
            assessment.result,
            decision,
            template=_template(),
            now=now,
            policy=policy,
            exercise=event_is_replay(event),
            names=names,
        )
        areas = warning_areas(
            assessment.contours_geojson,
            district_shapes(),
            policy=policy,
            names=names,
            outline=jurisdiction_outline(),
        )
        if current is not None and current.state == AlertState.ISSUED and current.msg_type != MsgType.CANCEL:
            return _revised(event, current, infos, areas, decision, now=now)
        if current is not None and current.state in PENDING_STATES and _same_content(current, infos, areas):
            return _unchanged(current, decision, reason="held for review; nothing changed")
        issued = _issued_message_held_follow_up_updates(current)
        if issued is not None:  # a newer revision of a chain whose update waits for a person
            return _revised(event, issued, infos, areas, decision, now=now)
        return _first(event, infos, areas, decision, now=now)


def event_assessment(event: SeismicEvent) -> Assessment:
    """The newest assessment of the preferred origin, assessed now if the chain has not done it yet."""
    stored = (
        Assessment.objects.filter(origin_id=event.preferred_origin_id).order_by("-created_at", "-id").first()
    )
    if stored is not None:
        return stored
    return assessment_run(event=event, origin=event.preferred_origin, assess=quake_impact.assess)


def event_alerts(event_id: int):
    """Every alert of every chain opened for the event, oldest first."""
    key = event_key(event_id)
    roots = (
        AlertInfo.objects.filter(**{f"parameters__{EVENT_PARAMETER}": key})
        .values_list("alert__lineage_root_id", flat=True)
        .distinct()
    )
    return Alert.objects.filter(lineage_root_id__in=list(roots)).order_by("pk")


def event_alert_current(event_id: int) -> Alert | None:
    """The newest message written for the event (issued, held for review or the final Cancel)."""
    return event_alerts(event_id).exclude(state=AlertState.REJECTED).order_by("-pk").first()


def event_key(event_id: int) -> str:
    return f"monitoring-event-{event_id}"


def event_is_replay(event: SeismicEvent) -> bool:
    origins = Origin.objects.filter(event=event).select_related("source")
    return any(
        origin.agency_event_id.startswith("replay")
        or (origin.source is not None and origin.source.kind == Source.Kind.REPLAY)
        for origin in origins
    )


def _first(
    event: SeismicEvent, infos: list[InfoDraft], areas: list[AreaDraft], decision: WarningDecision, *, now
) -> WarningOutcome:
    replay = event_is_replay(event)
    alert = alert_issue_automatic(
        hazard=HAZARD,
        severity=decision.severity,
        infos=infos,
        areas=areas,
        status=Status.EXERCISE if replay else Status.ACTUAL,
        note=REPLAY_NOTE if replay else "",
        trigger=f"quake:{event_key(event.pk)}",
        now=now,
    )
    if alert.state == AlertState.ISSUED:
        return WarningOutcome("issued", alert.identifier, decision.reason, alert.pk, True, decision)
    return WarningOutcome(
        "draft", None, f"{decision.reason}; held for an approver ({alert.state})", alert.pk, True, decision
    )


def _revised(
    event: SeismicEvent,
    current: Alert,
    infos: list[InfoDraft],
    areas: list[AreaDraft],
    decision: WarningDecision,
    *,
    now,
) -> WarningOutcome:
    if _same_content(current, infos, areas):
        return _unchanged(current, decision, reason="already issued; alert level, areas and texts unchanged")
    follow_up = alert_update_automatic(
        alert=current,
        infos=infos,
        areas=areas,
        note=(REPLAY_NOTE + "; " if event_is_replay(event) else "") + "revised earthquake solution",
        trigger=f"quake:{event_key(event.pk)}:revision-{event.revision}",
        now=now,
    )
    if follow_up.state == AlertState.ISSUED:
        reason = f"update of {current.identifier}: {decision.reason}"
        return WarningOutcome("updated", follow_up.identifier, reason, follow_up.pk, True, decision)
    held = automatic_hold_reason(follow_up)
    if held:
        _tell_operators(follow_up, held)
    reason = f"update of {current.identifier} held for an approver: {held or decision.reason}"
    return WarningOutcome("draft", None, reason, follow_up.pk, True, decision)


def _issued_message_held_follow_up_updates(current: Alert | None) -> Alert | None:
    """The issued message that ``current`` (a follow-up held for review) would update, if any."""
    if current is None or current.state not in PENDING_STATES or current.supersedes_id is None:
        return None
    earlier = current.supersedes
    return earlier if earlier.state == AlertState.ISSUED and earlier.msg_type != MsgType.CANCEL else None


def _tell_operators(follow_up: Alert, reason: str) -> None:
    """One dashboard notification per held follow-up: a person must look at it."""
    operator_notify(
        subject=f"alert #{follow_up.pk} held for review",
        message=f"Alert #{follow_up.pk} ({follow_up.msg_type}): {reason}.",
    )


def _withdrawn(event: SeismicEvent, *, now) -> WarningOutcome:
    with transaction.atomic():
        current = event_alert_current(event.pk)
        if current is None:
            return WarningOutcome("none", None, "event deleted; no warning had been written")
        if current.msg_type == MsgType.CANCEL:
            return WarningOutcome("cancelled", current.identifier, "already cancelled", current.pk)
        if current.state != AlertState.ISSUED:
            return WarningOutcome(
                "none", None, f"event deleted; its {current.state} alert #{current.pk} awaits an approver"
            )
        cancel = alert_cancel_automatic(
            alert=current,
            note="The seismological agencies deleted this event.",
            reasons=DELETED_REASONS,
            trigger=f"quake:{event_key(event.pk)}:deleted",
            now=now,
        )
        held = automatic_hold_reason(cancel)
        if held:
            _tell_operators(cancel, held)
            return WarningOutcome(
                "draft", None, f"event deleted: cancel of {current.identifier} held: {held}", cancel.pk, True
            )
    return WarningOutcome(
        "cancelled", cancel.identifier, f"event deleted: cancels {current.identifier}", cancel.pk, True
    )


def _unchanged(current: Alert | None, decision: WarningDecision, *, reason: str) -> WarningOutcome:
    if current is None:
        return WarningOutcome("none", None, reason, decision=decision)
    state: WarningState = {
        AlertState.ISSUED: "issued",
        AlertState.CANCELLED: "cancelled",
    }.get(current.state, "draft" if current.state in PENDING_STATES else "none")  # type: ignore[assignment]
    if current.state == AlertState.ISSUED and current.msg_type == MsgType.UPDATE:
        state = "updated"
    return WarningOutcome(state, current.identifier, reason, current.pk, False, decision)


def _same_content(current: Alert, infos: list[InfoDraft], areas: list[AreaDraft]) -> bool:
    stored = {
        info.language: (info.severity, info.headline, info.description, info.instruction)
        for info in current.infos.all()
    }
    wanted = {
        info.language: (
            str(info.severity),
            info.headline.strip(),
            info.description.strip(),
            info.instruction.strip(),
        )
        for info in infos
    }
    if stored != wanted:
        return False
    stored_areas = sorted(
        (
            (area.description, area.description_tg, area.description_ru),
            _rounded(area.polygons),
            sorted(map(tuple, area.geocodes)),
        )
        for area in current.areas.all()
    )
    wanted_areas = sorted(
        (
            (area.main_description(), area.description_tg.strip(), area.description_ru.strip()),
            _rounded(area.polygons),
            sorted(area.geocodes),
        )
        for area in areas
    )
    return stored_areas == wanted_areas


def _rounded(polygons: list[Any]) -> list[list[tuple[float, float]]]:
    rings = []
    for polygon in polygons:
        ring = [(round(float(lat), 4), round(float(lon), 4)) for lat, lon in polygon]
        if ring and ring[0] != ring[-1]:
            ring.append(ring[0])
        rings.append(ring)
    return rings


def _facts(event: SeismicEvent) -> QuakeFacts:
    return QuakeFacts(
        event_key=event_key(event.pk),
        time=event.time,
        latitude=event.latitude,
        longitude=event.longitude,
        depth_km=event.depth_km,
        magnitude=event.magnitude,
        place=event.place or f"{event.latitude:.2f}, {event.longitude:.2f}",
    )


def _template() -> Template | None:
    return Template.objects.filter(hazard=HAZARD).order_by("name", "pk").first()
