"""Run the built-in replay through the same services as the worker: parse → origin_receive → warning.

``replay_run`` delivers each step of :func:`hushdor.apps.monitoring.replay.replay_steps` from one of
two replay Sources (USGS GeoJSON and EMSC JSON, URLs ``replay://…``), waiting ``interval_s`` between
steps (0 for the headless run), and returns one summary per catalogue event. After every origin that
changed an event it calls ``quake_warning_for_event`` (idempotent: harmless when the chain already did);
after every step it draws the pending shakemaps (``shakemaps_render_pending``, as the worker job does:
the headless run has no worker).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hushdor.apps.monitoring.models import Origin, Source
from hushdor.apps.monitoring.replay import CATALOGUE, EMSC_JSON, USGS_GEOJSON, ReplayStep, replay_steps
from hushdor.apps.monitoring.services.association import origin_receive
from hushdor.apps.monitoring.services.quake_policy import exposed_at_least, max_populated_mmi, roman
from hushdor.apps.monitoring.services.quake_warning import (
    WarningOutcome,
    event_alerts,
    event_assessment,
    quake_warning_for_event,
)
from hushdor.apps.monitoring.services.shakemaps import shakemaps_render_pending
from hushdor.feeds.seismic import parse_feed

# A replay step carries at most a few origins; draw every shakemap they made pending.
REPLAY_SHAKEMAPS_PER_STEP = 10
REPLAY_SOURCES = {
    USGS_GEOJSON: ("Replay: USGS GeoJSON", Source.Kind.REPLAY, "replay://usgs", "USGS", 10),
    EMSC_JSON: ("Replay: EMSC SeismicPortal", Source.Kind.EMSC_JSON, "replay://emsc", "EMSC", 20),
}


@dataclass
class EventSummary:
    id: str
    name: str
    mag: float | None = None
    max_mmi: float | None = None
    max_mmi_populated: str = ""
    exposed_mmi6plus: int | None = None
    alert_level: str = ""
    warning: str = "none"
    cap_identifier: str | None = None
    model_set: str = ""
    regime: str = ""
    event_id: int | None = None
    messages: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def replay_sources() -> dict[str, Source]:
    sources = {}
    for kind, (name, source_kind, url, agency, priority) in REPLAY_SOURCES.items():
        # Fed by the replay itself, never polled: enabled=False keeps the worker's poller off them.
        sources[kind], _ = Source.objects.update_or_create(
            name=name,
            defaults={
                "kind": source_kind,
                "url": url,
                "agency": agency,
                "priority": priority,
                "poll_interval_s": 3600,
                "enabled": False,
            },
        )
    return sources


def replay_run(
    *,
    interval_s: float = 0.0,
    on_step: Callable[[ReplayStep, list[WarningOutcome]], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[EventSummary]:
    sources = replay_sources()
    for index, step in enumerate(replay_steps(interval_s=interval_s)):
        if index and interval_s > 0:
            sleep(interval_s)
        source = sources[step.kind]
        parsed = parse_feed(step.kind, step.document, agency=source.agency or None)
        outcomes = []
        for report in parsed.reports:
            received = origin_receive(report, source=source)
            if received.event is not None and not received.duplicate:
                outcomes.append(quake_warning_for_event(received.event.pk))
        shakemaps_render_pending(limit=REPLAY_SHAKEMAPS_PER_STEP, budget_s=None)
        if on_step is not None:
            on_step(step, outcomes)
    return [event_summary(key=event.key, name=event.name) for event in CATALOGUE]


def event_summary(*, key: str, name: str) -> EventSummary:
    summary = EventSummary(id=key, name=name)
    origin = (
        Origin.objects.filter(agency_event_id="replay" + key.replace("-", "")).select_related("event").first()
    )
    if origin is None:
        return summary
    event = origin.event
    summary.event_id, summary.mag = event.pk, event.magnitude
    result = event_assessment(event).result if event.preferred_origin_id else {}
    if "exposure_by_mmi" in result:
        summary.max_mmi = result.get("max_mmi")
        summary.max_mmi_populated = roman(max_populated_mmi(result))
        summary.exposed_mmi6plus = exposed_at_least(result, 6)
    summary.alert_level = str(result.get("alert") or "")
    summary.model_set, summary.regime = str(result.get("model_set") or ""), str(result.get("regime") or "")
    alerts = list(event_alerts(event.pk))
    summary.messages = [
        {"msg_type": alert.msg_type, "state": alert.state, "identifier": alert.identifier or ""}
        for alert in alerts
    ]
    published = [alert for alert in alerts if alert.identifier]
    if published:
        summary.warning, summary.cap_identifier = "issued", published[-1].identifier
    elif alerts:
        summary.warning = "draft"
    return summary
