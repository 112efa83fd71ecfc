"""Polling feed sources: concurrent conditional GET, per-source backoff with jitter, health, silence alarms.

A source is polled when ``next_poll_at`` has passed. All due sources are fetched at the same time
over async HTTP (:func:`hushdor.worker.fetch.fetch_all`), each with its own connect/read timeouts,
a total deadline and a size limit, so one slow or hanging feed never delays the others; the fetched
documents are then parsed and stored one source at a time in ordinary synchronous Django code, and
one source's failure never touches another's records.

Success (200 with a readable document, or 304) resets the source's failure count and backoff and
closes its silence notification; every failure doubles the wait (poll interval × 2^failures, capped,
less a random jitter share). A source without a success for more than N poll intervals (default 3)
is *silent*: it turns red and raises ONE operator notification, which recovery closes. Recovered
feeds are caught up without duplicates because origins are unique per agency revision.

Settings, read from the environment when polling runs (never at import):
  HUSHDOR_FEED_TIMEOUT_S (read timeout, 10), HUSHDOR_FEED_CONNECT_TIMEOUT_S (5),
  HUSHDOR_FEED_DEADLINE_S (whole document, 30), HUSHDOR_FEED_MAX_BYTES (16 MiB),
  HUSHDOR_FEED_CONCURRENCY (16), HUSHDOR_FEED_SILENT_INTERVALS (3), HUSHDOR_FEED_BACKOFF_CAP_S (900),
  HUSHDOR_FEED_BACKOFF_JITTER (0.2, the largest share of a delay taken off at random; 0 turns it off).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hushdor.apps.monitoring.models import OperatorNotification, Source
from hushdor.apps.monitoring.services.association import origin_receive
from hushdor.apps.monitoring.services.environment import env_number
from hushdor.apps.monitoring.services.notifications import notification_resolve, operator_notify
from hushdor.feeds.seismic import DOCUMENT, FeedParse, Rejection, parse_feed
from hushdor.worker.fetch import (
    Backoff,
    FetchLimits,
    FetchRequest,
    FetchResult,
    InvalidFetchSettings,
    fetch_all,
)

log = logging.getLogger("hushdor.monitoring.polling")

HEALTH_FIELDS = [
    "last_poll_at",
    "last_success_at",
    "last_error",
    "last_error_at",
    "consecutive_failures",
    "last_item_at",
    "lag_s",
    "last_rejected",
    "last_rejection",
    "etag",
    "last_modified",
    "next_poll_at",
    "backoff_s",
]


@dataclass(frozen=True)
class PollingSettings:
    timeout_s: float = 10.0  # read timeout: the longest wait for the next bytes
    connect_timeout_s: float = 5.0
    deadline_s: float = 30.0  # the whole document
    max_bytes: int = 16 * 1024 * 1024
    concurrency: int = 16
    silent_intervals: int = 3
    backoff_cap_s: float = 900.0
    backoff_jitter: float = 0.2

    def __post_init__(self) -> None:
        self.limits()  # each raises InvalidFetchSettings naming a setting that cannot work
        self.backoff()
        if self.concurrency < 1 or self.silent_intervals < 1:
            raise InvalidFetchSettings("concurrency and silent_intervals must be at least 1")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> PollingSettings:
        environ = os.environ if environ is None else environ
        d = cls()
        try:
            return cls(
                timeout_s=_setting(environ, "HUSHDOR_FEED_TIMEOUT_S", d.timeout_s),
                connect_timeout_s=_setting(environ, "HUSHDOR_FEED_CONNECT_TIMEOUT_S", d.connect_timeout_s),
                deadline_s=_setting(environ, "HUSHDOR_FEED_DEADLINE_S", d.deadline_s),
                max_bytes=int(_setting(environ, "HUSHDOR_FEED_MAX_BYTES", d.max_bytes)),
                concurrency=int(_setting(environ, "HUSHDOR_FEED_CONCURRENCY", d.concurrency)),
                silent_intervals=int(_setting(environ, "HUSHDOR_FEED_SILENT_INTERVALS", d.silent_intervals)),
                backoff_cap_s=_setting(environ, "HUSHDOR_FEED_BACKOFF_CAP_S", d.backoff_cap_s),
                backoff_jitter=_setting(
                    environ, "HUSHDOR_FEED_BACKOFF_JITTER", d.backoff_jitter, zero_ok=True
                ),
            )
        except InvalidFetchSettings as error:
            raise ImproperlyConfigured(f"feed polling settings: {error}") from None

    def limits(self) -> FetchLimits:
        return FetchLimits(
            connect_timeout_s=self.connect_timeout_s,
            read_timeout_s=self.timeout_s,
            deadline_s=self.deadline_s,
            max_bytes=self.max_bytes,
        )

    def backoff(self) -> Backoff:
        return Backoff(cap_s=self.backoff_cap_s, jitter=self.backoff_jitter)


@dataclass(frozen=True)
class PollOutcome:
    source_id: int
    state: str  # "received" | "not_modified" | "failed"
    new_origins: int = 0
    duplicates: int = 0
    rejected: int = 0
    error: str = ""


def silence_subject(source: Source) -> str:
    return f"source-silent:{source.pk}"


def sources_poll_due(
    *, settings: PollingSettings | None = None, now: datetime | None = None
) -> list[PollOutcome]:
    """Poll every enabled source whose time has come, all at once, then raise alarms for silent sources."""
    settings = settings or PollingSettings.from_environment()
    now = now or timezone.now()
    outcomes = sources_poll(sources_claim_due(settings=settings, now=now), settings=settings, now=now)
    sources_silence_check(settings=settings, now=now)
    return outcomes


def sources_claim_due(*, settings: PollingSettings, now: datetime) -> list[Source]:
    """The due sources, leased to this worker until their fetch deadline has long passed.

    On PostgreSQL the rows are claimed with ``SKIP LOCKED`` and their ``next_poll_at`` moved past the
    deadline, so another worker polling at the same moment takes other sources, and a worker that
    dies mid-poll only delays its sources by the lease.
    """
    lease = timedelta(seconds=2 * (settings.connect_timeout_s + settings.deadline_s))
    with transaction.atomic():
        due = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(enabled=True)
            .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        )
        Source.objects.filter(pk__in=[source.pk for source in due]).update(next_poll_at=now + lease)
    return due


def sources_poll(
    sources: Sequence[Source], *, settings: PollingSettings | None = None, now: datetime | None = None
) -> list[PollOutcome]:
    """Fetch these sources concurrently, then store each one's new origins and record its health."""
    settings = settings or PollingSettings.from_environment()
    now = now or timezone.now()
    limits = settings.limits()
    requests = [
        FetchRequest(url=source.url, etag=source.etag, last_modified=source.last_modified, limits=limits)
        for source in sources
    ]
    fetched = fetch_all(requests, concurrency=settings.concurrency)
    return [
        _record(source, result, settings=settings, now=now)
        for source, result in zip(sources, fetched, strict=True)
    ]


def source_poll(
    source: Source, *, settings: PollingSettings | None = None, now: datetime | None = None
) -> PollOutcome:
    """Fetch one source, store its new origins, and record its health. Never raises for feed problems."""
    [outcome] = sources_poll([source], settings=settings, now=now)
    return outcome


def _record(source: Source, result: FetchResult, *, settings: PollingSettings, now: datetime) -> PollOutcome:
    source.last_poll_at = now
    try:
        return _process(source, result, settings=settings, now=now)
    except Exception as error:  # one source's trouble never stops the next source's processing
        log.exception("source %s: the fetched document could not be processed", source.name)
        return _failed(
            source,
            f"the document could not be processed ({type(error).__name__}: {error})",
            settings=settings,
            now=now,
        )


def _process(source: Source, result: FetchResult, *, settings: PollingSettings, now: datetime) -> PollOutcome:
    if result.state == "failed":
        return _failed(source, result.error, settings=settings, now=now)
    if result.state == "not_modified":
        _succeeded(source, settings=settings, now=now)
        return PollOutcome(source_id=source.pk, state="not_modified")
    parsed = parse_feed(source.kind, result.body, agency=source.agency or None)
    document_problems = [r.reason for r in parsed.rejections if r.item_ref == DOCUMENT]
    if document_problems:
        return _failed(source, f"document rejected: {document_problems[0]}", settings=settings, now=now)
    outcome = _store(source, parsed, now=now)
    source.etag, source.last_modified = result.etag[:500], result.last_modified[:100]
    _succeeded(source, settings=settings, now=now)
    return outcome


def sources_silence_check(*, settings: PollingSettings, now: datetime) -> int:
    """Raise one notification per source silent beyond N intervals. Returns how many were raised."""
    raised = 0
    for source in Source.objects.filter(enabled=True):
        if source_silent(source, settings=settings, now=now):
            _, created = operator_notify(
                subject=silence_subject(source),
                message=_silence_message(source, now=now),
                level=OperatorNotification.Level.CRITICAL,
                source=source,
            )
            raised += created
    return raised


def source_silent(source: Source, *, settings: PollingSettings, now: datetime) -> bool:
    heard = source.last_success_at or source.created_at
    return (now - heard).total_seconds() > settings.silent_intervals * source.poll_interval_s


def _store(source: Source, parsed: FeedParse, *, now: datetime) -> PollOutcome:
    new = duplicates = 0
    rejected = list(parsed.rejections)
    newest: datetime | None = None
    for report in parsed.reports:
        try:
            outcome = origin_receive(report, source=source)
        except Exception as error:  # one bad item never blocks the rest; the reason is kept
            log.exception("source %s: item %s not stored", source.name, report.event_id)
            rejected.append(
                Rejection(item_ref=report.event_id, reason=f"not stored: {type(error).__name__}: {error}")
            )
            continue
        if outcome.duplicate:
            duplicates += 1
        else:
            new += 1
            stamp = report.updated or report.origin_time
            if stamp is not None and (newest is None or stamp > newest):
                newest = stamp
    for rejection in rejected:
        log.warning("source %s rejected %s: %s", source.name, rejection.item_ref, rejection.reason)
    source.last_rejected = len(rejected)
    source.last_rejection = f"{rejected[0].item_ref}: {rejected[0].reason}"[:2000] if rejected else ""
    if new:
        source.last_item_at = now
    if newest is not None:
        source.lag_s = max(0.0, (now - newest).total_seconds())
    return PollOutcome(
        source_id=source.pk, state="received", new_origins=new, duplicates=duplicates, rejected=len(rejected)
    )


def _succeeded(source: Source, *, settings: PollingSettings, now: datetime) -> None:
    recovered = source.consecutive_failures > 0 or source_silent(source, settings=settings, now=now)
    source.last_success_at = now
    source.consecutive_failures = 0
    source.backoff_s = 0.0
    source.next_poll_at = now + timedelta(seconds=source.poll_interval_s)
    source.save(update_fields=HEALTH_FIELDS)
    if recovered and notification_resolve(subject=silence_subject(source)):
        log.info("source %s answers again", source.name)


def _failed(source: Source, reason: str, *, settings: PollingSettings, now: datetime) -> PollOutcome:
    source.consecutive_failures += 1
    source.last_error = reason[:2000]
    source.last_error_at = now
    source.backoff_s = settings.backoff().delay_s(
        interval_s=source.poll_interval_s, failures=source.consecutive_failures
    )
    source.next_poll_at = now + timedelta(seconds=source.backoff_s)
    source.save(update_fields=HEALTH_FIELDS)
    log.warning("source %s failed (%d in a row): %s", source.name, source.consecutive_failures, reason)
    return PollOutcome(source_id=source.pk, state="failed", error=reason)


def _silence_message(source: Source, *, now: datetime) -> str:
    heard = source.last_success_at
    since = f"since {heard:%Y-%m-%d %H:%M:%S} UTC" if heard else "since it was added"
    minutes = ((now - (heard or source.created_at)).total_seconds()) / 60.0
    error = f"; last error: {source.last_error}" if source.last_error else ""
    return f"Feed {source.name} has not answered {since} ({minutes:.0f} min){error}"


def _setting(environ: Mapping[str, str], name: str, default: float, *, zero_ok: bool = False) -> float:
    if zero_ok:
        return env_number(environ, name, default, at_least=0)
    return env_number(environ, name, default, above=0)
