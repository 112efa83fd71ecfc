"""Poll other agencies' CAP feeds (Atom/RSS index feeds, or a bare CAP document) and ingest them.

Conditional GET (``If-None-Match`` / ``If-Modified-Since``), a timeout on every request, at most
``MAX_FETCHES_PER_POLL`` new alerts fetched per poll, and on failure exponential backoff:
the next poll waits ``interval × 2^failures``, capped at ``MAX_BACKOFF`` (this project's choice).
Every outcome is recorded on the source, so a feed that goes quiet shows up as unhealthy.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from django.utils import timezone

from hushdor.apps.alerts.models import CapFeedSource, ExternalAlert
from hushdor.apps.alerts.services.ingest import cap_ingest
from hushdor.apps.alerts.services.trust import TrustedCertificatesError
from hushdor.cap.errors import FeedError
from hushdor.cap.feeds import parse_index_feed

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_FETCHES_PER_POLL = 50
MAX_BACKOFF = timedelta(hours=6)
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = "Hushdor CAP poller"


class FeedPollError(Exception):
    """A feed could not be fetched or read; the message is recorded on the source."""


def cap_feeds_poll_due(*, now: datetime | None = None, client: httpx.Client | None = None) -> str:
    """Poll every enabled source that is due. Returns a one-line summary for the worker."""
    now = now or timezone.now()
    due = CapFeedSource.objects.filter(enabled=True).exclude(next_poll_at__gt=now)
    owned = client is None
    client = client or httpx.Client(
        timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )
    counts = {"sources": 0, "accepted": 0, "failed": 0}
    try:
        for source in due:
            counts["sources"] += 1
            accepted = cap_feed_poll(source=source, client=client, now=now)
            if accepted is None:
                counts["failed"] += 1
            else:
                counts["accepted"] += accepted
    finally:
        if owned:
            client.close()
    return f"{counts['sources']} feed(s) polled, {counts['accepted']} alert(s) accepted, {counts['failed']} failed"


def cap_feed_poll(*, source: CapFeedSource, client: httpx.Client, now: datetime) -> int | None:
    """Poll one source; returns the number of alerts accepted, or None if the poll failed."""
    try:
        accepted = _poll(source, client)
    except (FeedPollError, TrustedCertificatesError) as failure:
        failures = source.consecutive_failures + 1
        delay = min(timedelta(seconds=source.poll_interval_s * 2**failures), MAX_BACKOFF)
        CapFeedSource.objects.filter(pk=source.pk).update(
            last_polled_at=now,
            last_error=str(failure)[:2000],
            last_error_at=now,
            consecutive_failures=failures,
            next_poll_at=now + delay,
        )
        return None
    CapFeedSource.objects.filter(pk=source.pk).update(
        last_polled_at=now,
        last_success_at=now,
        consecutive_failures=0,
        etag=source.etag,
        last_modified=source.last_modified,
        next_poll_at=now + timedelta(seconds=source.poll_interval_s),
    )
    return accepted


def _poll(source: CapFeedSource, client: httpx.Client) -> int:
    headers = {}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    response = _get(client, source.url, headers)
    if response.status_code == 304:
        return 0
    source.etag = response.headers.get("ETag", "")[:500]
    source.last_modified = response.headers.get("Last-Modified", "")[:100]
    body = response.content
    if b"urn:oasis:names:tc:emergency:cap:1.2" in body[:2000] and b"<feed" not in body[:2000]:
        return int(cap_ingest(body, source=source.url).outcome == "accepted")
    try:
        links = parse_index_feed(body, max_bytes=MAX_BYTES)
    except FeedError as exc:
        raise FeedPollError(str(exc)) from exc
    known = set(
        ExternalAlert.objects.filter(identifier__in=[link.identifier for link in links]).values_list(
            "identifier", flat=True
        )
    )
    accepted = 0
    for link in [link for link in links if link.identifier not in known][:MAX_FETCHES_PER_POLL]:
        document = _get(client, link.url, {})
        accepted += cap_ingest(document.content, source=link.url).outcome == "accepted"
    return accepted


def _get(client: httpx.Client, url: str, headers: dict[str, str]) -> httpx.Response:
    try:
        response = client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise FeedPollError(f"{url}: {type(exc).__name__}: {exc}") from exc
    if response.status_code == 304:
        return response
    if response.status_code >= 400:
        raise FeedPollError(f"{url}: HTTP {response.status_code}")
    if len(response.content) > MAX_BYTES:
        raise FeedPollError(f"{url}: the document is larger than {MAX_BYTES} bytes")
    return response
