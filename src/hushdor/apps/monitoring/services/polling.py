"""Polling feed sources: conditional GET, per-source exponential backoff, health, silence alarms.

A source is polled when ``next_poll_at`` has passed. Success (200 with a readable document, or 304)
resets its failure count and backoff and closes its silence notification; every failure doubles the
wait (poll interval × 2^failures, capped). A source without a success for more than N poll intervals
(default 3) is *silent*: it turns red and raises ONE operator notification, which recovery closes.
Recovered feeds are caught up without duplicates because origins are unique per agency revision.

Settings, read from the environment when polling runs (never at import):
  HUSHDOR_FEED_TIMEOUT_S (10), HUSHDOR_FEED_SILENT_INTERVALS (3), HUSHDOR_FEED_BACKOFF_CAP_S (900),
  HUSHDOR_FEED_MAX_BYTES (16 MiB).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone

from hushdor import __version__
from hushdor.apps.monitoring.models import OperatorNotification, Source
from hushdor.apps.monitoring.services.association import origin_receive
from hushdor.apps.monitoring.services.notifications import notification_resolve, operator_notify
from hushdor.feeds.seismic import DOCUMENT, FeedParse, Rejection, parse_feed

log = logging.getLogger("hushdor.monitoring.polling")

USER_AGENT = f"hushdor/{__version__} (early-warning feed poller)"


@dataclass(frozen=True)
class PollingSettings:
    timeout_s: float = 10.0
    silent_intervals: int = 3
    backoff_cap_s: float = 900.0
    max_bytes: int = 16 * 1024 * 1024

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> PollingSettings:
        environ = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            timeout_s=_setting(environ, "HUSHDOR_FEED_TIMEOUT_S", defaults.timeout_s),
            silent_intervals=int(
                _setting(environ, "HUSHDOR_FEED_SILENT_INTERVALS", defaults.silent_intervals)
            ),
            backoff_cap_s=_setting(environ, "HUSHDOR_FEED_BACKOFF_CAP_S", defaults.backoff_cap_s),
            max_bytes=int(_setting(environ, "HUSHDOR_FEED_MAX_BYTES", defaults.max_bytes)),
        )


@dataclass(frozen=True)
class PollOutcome:
    source_id: int
    state: str  # "received" | "not_modified" | "failed"
    new_origins: int = 0
    duplicates: int = 0
    rejected: int = 0
    error: str = ""


class FetchFailed(Exception):
    """The feed could not be fetched or read; the message is shown to operators."""


def silence_subject(source: Source) -> str:
    return f"source-silent:{source.pk}"


def sources_poll_due(
    *,
    client: httpx.Client | None = None,
    settings: PollingSettings | None = None,
    now: datetime | None = None,
) -> list[PollOutcome]:
    """Poll every enabled source whose time has come, then raise alarms for silent sources."""
    settings = settings or PollingSettings.from_environment()
    now = now or timezone.now()
    due = Source.objects.filter(enabled=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    owned = client is None
    client = client or http_client(settings)
    try:
        outcomes = [source_poll(source, client=client, settings=settings, now=now) for source in due]
    finally:
        if owned:
            client.close()
    sources_silence_check(settings=settings, now=now)
    return outcomes


def http_client(settings: PollingSettings) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(settings.timeout_s), headers={"User-Agent": USER_AGENT}, follow_redirects=True
    )


def source_poll(
    source: Source,
    *,
    client: httpx.Client,
    settings: PollingSettings | None = None,
    now: datetime | None = None,
) -> PollOutcome:
    """Fetch one source, store its new origins, and record its health. Never raises for feed problems."""
    settings = settings or PollingSettings.from_environment()
    now = now or timezone.now()
    source.last_poll_at = now
    try:
        response = _fetch(source, client=client, settings=settings)
    except FetchFailed as error:
        return _failed(source, str(error), settings=settings, now=now)
    if response is None:
        _succeeded(source, settings=settings, now=now)
        return PollOutcome(source_id=source.pk, state="not_modified")
    body, etag, last_modified = response
    parsed = parse_feed(source.kind, body, agency=source.agency or None)
    document_problems = [r.reason for r in parsed.rejections if r.item_ref == DOCUMENT]
    if document_problems:
        return _failed(source, f"document rejected: {document_problems[0]}", settings=settings, now=now)
    outcome = _store(source, parsed, now=now)
    source.etag, source.last_modified = etag, last_modified
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


def _fetch(
    source: Source, *, client: httpx.Client, settings: PollingSettings
) -> tuple[bytes, str, str] | None:
    """The body with its ETag and Last-Modified, or None for 304 Not Modified."""
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    try:
        with client.stream("GET", source.url, headers=headers) as response:
            if response.status_code == httpx.codes.NOT_MODIFIED:
                return None
            if response.status_code != httpx.codes.OK:
                raise FetchFailed(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            body = _read_limited(response, settings.max_bytes)
            return body, response.headers.get("ETag", ""), response.headers.get("Last-Modified", "")
    except httpx.TimeoutException:
        raise FetchFailed(f"no answer within {settings.timeout_s:g} s") from None
    except httpx.HTTPError as error:
        raise FetchFailed(f"{type(error).__name__}: {error}") from None


def _read_limited(response: httpx.Response, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchFailed(f"document larger than the limit of {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


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
    source.save()
    if recovered and notification_resolve(subject=silence_subject(source)):
        log.info("source %s answers again", source.name)


def _failed(source: Source, reason: str, *, settings: PollingSettings, now: datetime) -> PollOutcome:
    source.consecutive_failures += 1
    source.last_error = reason[:2000]
    source.last_error_at = now
    source.backoff_s = min(settings.backoff_cap_s, source.poll_interval_s * 2.0**source.consecutive_failures)
    source.next_poll_at = now + timedelta(seconds=source.backoff_s)
    source.save()
    log.warning("source %s failed (%d in a row): %s", source.name, source.consecutive_failures, reason)
    return PollOutcome(source_id=source.pk, state="failed", error=reason)


def _silence_message(source: Source, *, now: datetime) -> str:
    heard = source.last_success_at
    since = f"since {heard:%Y-%m-%d %H:%M:%S} UTC" if heard else "since it was added"
    minutes = ((now - (heard or source.created_at)).total_seconds()) / 60.0
    error = f"; last error: {source.last_error}" if source.last_error else ""
    return f"Feed {source.name} has not answered {since} ({minutes:.0f} min){error}"


def _setting(environ: Mapping[str, str], name: str, default: float) -> float:
    text = environ.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={text!r} is not a number") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name}={text!r} must be positive")
    return value
