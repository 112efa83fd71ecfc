"""Poll other agencies' CAP feeds (Atom/RSS index feeds, or a bare CAP document) and ingest them.

Each poll makes two concurrent rounds over async HTTP (:func:`hushdor.worker.fetch.fetch_all`), so a
slow agency never holds up another: first the index feeds of every due source at once, with
conditional GET (``If-None-Match`` / ``If-Modified-Since``); then every new CAP document those feeds
link to, at once, at most ``per_feed_concurrency`` requests to one feed at a time and at most
``max_fetches_per_poll`` new documents per feed per poll. Every request has its own connect/read
timeouts, a total deadline and a size limit. Ingestion (validate, quarantine, de-duplicate) then runs
in ordinary synchronous Django code, one document at a time.

A feed whose index cannot be fetched or read backs off: the next poll waits
``interval × 2^failures``, capped at 6 h (this project's choice), less a random jitter share
(M. Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015). A linked document that
cannot be fetched does not fail the feed: it is named in ``last_error`` and the feed's ETag is not
kept, so the next regular poll reads the index again and retries it. Every outcome is recorded on
the source, so a feed that goes quiet shows up as unhealthy.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from hushdor.apps.alerts.models import CapFeedSource, ExternalAlert
from hushdor.apps.alerts.services.ingest import cap_ingest
from hushdor.apps.alerts.services.trust import TrustedCertificatesError
from hushdor.cap.errors import FeedError
from hushdor.cap.feeds import FeedLink, parse_index_feed
from hushdor.worker.fetch import Backoff, FetchLimits, FetchRequest, FetchResult, fetch_all

log = logging.getLogger("hushdor.alerts.feeds")

CAP_NAMESPACE = b"urn:oasis:names:tc:emergency:cap:1.2"


LIMITS = FetchLimits(connect_timeout_s=5.0, read_timeout_s=10.0, deadline_s=30.0, max_bytes=5 * 1024 * 1024)
BACKOFF = Backoff(cap_s=6 * 3600.0, jitter=0.2)


@dataclass(frozen=True)
class CapPollSettings:
    limits: FetchLimits = LIMITS
    backoff: Backoff = BACKOFF
    max_fetches_per_poll: int = 50
    per_feed_concurrency: int = 4
    concurrency: int = 16


@dataclass
class CapFeedOutcome:
    """What one poll of one feed did; ``error`` is set when the feed itself failed."""

    source: CapFeedSource
    index: FetchResult
    accepted: int = 0
    error: str = ""
    not_fetched: list[str] = field(default_factory=list)  # "url: reason" of linked documents
    links: list[FeedLink] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.error)


class FeedPollError(Exception):
    """A feed could not be read or ingested; the message is recorded on the source."""


def cap_feeds_poll_due(*, now: datetime | None = None, settings: CapPollSettings | None = None) -> str:
    """Poll every enabled source that is due, all at once. Returns a one-line summary for the worker."""
    now = now or timezone.now()
    due = list(CapFeedSource.objects.filter(enabled=True).exclude(next_poll_at__gt=now))
    outcomes = cap_feeds_poll(due, now=now, settings=settings)
    accepted = sum(outcome.accepted for outcome in outcomes)
    failed = sum(outcome.failed for outcome in outcomes)
    return f"{len(outcomes)} feed(s) polled, {accepted} alert(s) accepted, {failed} failed"


def cap_feeds_poll(
    sources: Sequence[CapFeedSource], *, now: datetime, settings: CapPollSettings | None = None
) -> list[CapFeedOutcome]:
    """Fetch these feeds' indexes concurrently, then their new CAP documents; ingest; record health."""
    settings = settings or CapPollSettings()
    indexes = fetch_all(
        [
            FetchRequest(url=s.url, etag=s.etag, last_modified=s.last_modified, limits=settings.limits)
            for s in sources
        ],
        concurrency=settings.concurrency,
    )
    outcomes = [CapFeedOutcome(source=s, index=index) for s, index in zip(sources, indexes, strict=True)]
    for outcome in outcomes:
        _read_index(outcome, settings=settings)
    _fetch_and_ingest_documents(outcomes, settings=settings)
    for outcome in outcomes:
        _record(outcome, settings=settings, now=now)
    return outcomes


def _read_index(outcome: CapFeedOutcome, *, settings: CapPollSettings) -> None:
    """Turn the fetched index into new links (or ingest a bare CAP document); failures go to ``error``."""
    index = outcome.index
    if index.state == "failed":
        outcome.error = f"{index.url}: {index.error}"
        return
    if index.state == "not_modified":
        return
    head = index.body[:2000]
    try:
        if CAP_NAMESPACE in head and b"<feed" not in head:
            outcome.accepted += _ingest(index.body, url=index.url)
            return
        links = parse_index_feed(index.body, max_bytes=settings.limits.max_bytes)
    except (FeedError, FeedPollError) as failure:
        outcome.error = f"{index.url}: {failure}"
        return
    known = set(
        ExternalAlert.objects.filter(identifier__in=[link.identifier for link in links]).values_list(
            "identifier", flat=True
        )
    )
    outcome.links = [link for link in links if link.identifier not in known][: settings.max_fetches_per_poll]


def _fetch_and_ingest_documents(outcomes: list[CapFeedOutcome], *, settings: CapPollSettings) -> None:
    wanted = [(outcome, link) for outcome in outcomes if not outcome.failed for link in outcome.links]
    documents = fetch_all(
        [FetchRequest(url=link.url, limits=settings.limits, group=str(o.source.pk)) for o, link in wanted],
        concurrency=settings.concurrency,
        per_group=settings.per_feed_concurrency,
    )
    for (outcome, link), document in zip(wanted, documents, strict=True):
        if outcome.failed:  # e.g. the trust list broke on an earlier document of this feed
            continue
        if document.state != "fetched":
            outcome.not_fetched.append(f"{link.url}: {document.error or 'not modified'}")
            continue
        try:
            outcome.accepted += _ingest(document.body, url=link.url)
        except FeedPollError as failure:
            outcome.error = str(failure)
        except Exception as error:  # one document's surprise never stops the feed's other documents
            log.exception("CAP document %s could not be ingested", link.url)
            outcome.not_fetched.append(f"{link.url}: not ingested ({type(error).__name__}: {error})")


def _ingest(body: bytes, *, url: str) -> int:
    """1 if the document was accepted; a broken trust configuration fails the whole feed's poll."""
    try:
        return int(cap_ingest(body, source=url).outcome == "accepted")
    except TrustedCertificatesError as failure:
        raise FeedPollError(str(failure)) from failure


def _record(outcome: CapFeedOutcome, *, settings: CapPollSettings, now: datetime) -> None:
    source = outcome.source
    if outcome.failed:
        failures = source.consecutive_failures + 1
        delay = settings.backoff.delay_s(interval_s=source.poll_interval_s, failures=failures)
        CapFeedSource.objects.filter(pk=source.pk).update(
            last_polled_at=now,
            last_error=outcome.error[:2000],
            last_error_at=now,
            consecutive_failures=failures,
            next_poll_at=now + timedelta(seconds=delay),
        )
        log.warning("CAP feed %s failed (%d in a row): %s", source.name, failures, outcome.error)
        return
    fields = {
        "last_polled_at": now,
        "last_success_at": now,
        "consecutive_failures": 0,
        "next_poll_at": now + timedelta(seconds=source.poll_interval_s),
    }
    if outcome.not_fetched:  # keep the old validators: the next poll reads the index again and retries
        count = len(outcome.not_fetched)
        fields["last_error"] = (
            f"{count} linked CAP document(s) not fetched: {'; '.join(outcome.not_fetched)}"[:2000]
        )
        fields["last_error_at"] = now
    elif outcome.index.state == "fetched":
        fields["etag"] = outcome.index.etag[:500]
        fields["last_modified"] = outcome.index.last_modified[:100]
    CapFeedSource.objects.filter(pk=source.pk).update(**fields)
