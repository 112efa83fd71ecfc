"""Reads for the dashboard and the API: source health in plain words, recent events, open notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from hushdor.apps.monitoring.models import OperatorNotification, SeismicEvent, Source
from hushdor.apps.monitoring.services.polling import PollingSettings, source_silent

GREEN, AMBER, RED = "green", "amber", "red"
REPLAY_URL_PREFIX = "replay://"  # sources fed by the built-in replay (hushdor demo), never polled


@dataclass(frozen=True)
class SourceHealth:
    source_id: int
    name: str
    kind: str
    agency: str
    status: str  # green | amber | red
    reason: str
    last_success_at: datetime | None
    last_error: str
    consecutive_failures: int
    lag_s: float | None
    next_poll_at: datetime | None


def sources_health(
    *, now: datetime | None = None, settings: PollingSettings | None = None
) -> list[SourceHealth]:
    """Every source with a traffic light and the reason for it, worst first."""
    now = now or timezone.now()
    settings = settings or PollingSettings.from_environment()
    health = [source_health(source, now=now, settings=settings) for source in Source.objects.all()]
    order = {RED: 0, AMBER: 1, GREEN: 2}
    return sorted(health, key=lambda item: (order[item.status], item.name))


def source_health(source: Source, *, now: datetime, settings: PollingSettings) -> SourceHealth:
    status, reason = _light(source, now=now, settings=settings)
    return SourceHealth(
        source_id=source.pk,
        name=source.name,
        kind=source.kind,
        agency=source.agency,
        status=status,
        reason=reason,
        last_success_at=source.last_success_at,
        last_error=source.last_error,
        consecutive_failures=source.consecutive_failures,
        lag_s=source.lag_s,
        next_poll_at=source.next_poll_at,
    )


def _light(source: Source, *, now: datetime, settings: PollingSettings) -> tuple[str, str]:
    if source.url.startswith(REPLAY_URL_PREFIX):
        return GREEN, "built-in replay of past earthquakes, fed by `hushdor demo`; not polled"
    if not source.enabled:
        return AMBER, "switched off by an operator; not polled"
    error = f" Last error: {source.last_error}." if source.last_error and source.consecutive_failures else ""
    if source_silent(source, settings=settings, now=now):
        if source.last_success_at is None:
            return RED, f"No successful poll since it was added {_ago(source.created_at, now)}.{error}"
        return RED, (
            f"Silent: no successful poll for {_ago(source.last_success_at, now)} "
            f"(more than {settings.silent_intervals} poll intervals of {source.poll_interval_s} s).{error}"
        )
    if source.consecutive_failures:
        retry = f" Next try {_in(source.next_poll_at, now)}." if source.next_poll_at else ""
        return AMBER, f"The last {source.consecutive_failures} poll(s) failed.{error}{retry}"
    if source.last_success_at is None:
        return AMBER, "Waiting for the first poll."
    if source.last_rejected:
        return AMBER, (
            f"Answering, but {source.last_rejected} item(s) of the last document were rejected "
            f"({source.last_rejection})."
        )
    lag = f"; newest item arrived {source.lag_s:.0f} s after publication" if source.lag_s is not None else ""
    return GREEN, f"Answered {_ago(source.last_success_at, now)} ago{lag}."


def events_recent(*, limit: int = 50, include_deleted: bool = False) -> QuerySet[SeismicEvent]:
    events = SeismicEvent.objects.select_related("preferred_origin").order_by("-time")
    if not include_deleted:
        events = events.filter(state=SeismicEvent.State.ACTIVE)
    return events[:limit]


def event_origins(*, event_id: int) -> QuerySet:
    return SeismicEvent.objects.get(pk=event_id).origins.order_by("agency", "received_at")


def event_assessment_latest(*, event_id: int):  # -> Assessment | None
    event = SeismicEvent.objects.get(pk=event_id)
    return (
        event.assessments.filter(origin_id=event.preferred_origin_id).order_by("-created_at", "-id").first()
    )


def notifications_open() -> QuerySet[OperatorNotification]:
    return OperatorNotification.objects.filter(resolved_at__isnull=True).select_related("source")


def _ago(moment: datetime, now: datetime) -> str:
    return _duration((now - moment).total_seconds())


def _in(moment: datetime, now: datetime) -> str:
    seconds = (moment - now).total_seconds()
    return "now" if seconds <= 0 else f"in {_duration(seconds)}"


def _duration(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
