"""The exchange between nodes: signed HTTP POSTs of EDXL-DE envelopes, through an outbox.

Sending: a change that another node must learn (an RFA circulated, an offer, an acceptance, a sitrep)
writes one :class:`OutboundEnvelope` row per peer **in the same transaction** as the change. The
worker job ``assistance.outbox`` posts due rows to the peer's inbox URL; a 2xx answer is the peer's
receipt (kept on the row); 400/401/403/404/409/413/422 mean the peer refuses this envelope for good
(state ``dead`` with the peer's reason: an officer sees it and can send again after fixing the cause);
timeouts, connection errors, 408, 429 and 5xx are retried with exponential backoff and jitter. A row
is claimed by a compare-and-set on ``next_attempt_at`` (a lease), so two workers never post the same
row at once, on SQLite and PostgreSQL alike. If the process dies after the peer received an envelope
and before the row was marked, the envelope is posted again: the receiver answers "duplicate" for the
same bytes (idempotent) and nothing is applied twice.

Authentication (both sides configure the same key for the pair): headers ``X-Hushdor-Node`` (the
sender's node ID), ``X-Hushdor-Timestamp`` (Unix seconds) and ``X-Hushdor-Signature: v1=<hex
HMAC-SHA256(key, timestamp + "." + body)>``. The receiver refuses an unknown node, a timestamp more than
five minutes off (a captured request replayed later), a signature that does not match (forged or
altered), an envelope whose ``senderID`` is not the authenticated node, an envelope over the size limit,
and XML that is invalid or carries a DOCTYPE/entities. A valid envelope is held in quarantine until an
officer accepts it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.db import IntegrityError, transaction
from django.utils import timezone

from hushdor.apps.assistance.models import OutboundEnvelope, Peer, ReceivedEnvelope
from hushdor.edxl import envelope as de
from hushdor.edxl import rm
from hushdor.edxl import sitrep as sitrep_xml

log = logging.getLogger("hushdor.assistance.exchange")

MAX_ENVELOPE_BYTES = de.DEFAULT_LIMITS.max_bytes
CLOCK_SKEW_S = 300
TIMEOUT_S = 10.0
LEASE_S = 60.0
MAX_ATTEMPTS = 20
PERMANENT_STATUSES = {400, 401, 403, 404, 409, 410, 413, 422}
SITREP_CONTENT = "SitRep"


class ExchangeRefused(Exception):
    """The receiving side refuses a request; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def signed_headers(*, node_id: str, secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(now if now is not None else time.time())
    return {
        "Content-Type": "application/xml",
        "X-Hushdor-Node": node_id,
        "X-Hushdor-Timestamp": str(timestamp),
        "X-Hushdor-Signature": signature(secret, timestamp, body),
    }


# ---------------------------------------------------------------------------------------------------
# Peers and the outbox


def peer_save(*, node_id: str, name: str, inbox_url: str, secret: str, active: bool = True) -> Peer:
    if not node_id.strip() or not inbox_url.startswith(("http://", "https://")):
        raise ValueError("a peer needs a node ID and an http(s) inbox URL")
    if len(secret) < 16:
        raise ValueError("the shared key must be at least 16 characters")
    peer, _created = Peer.objects.update_or_create(
        node_id=node_id.strip(),
        defaults={"name": name.strip() or node_id, "inbox_url": inbox_url, "secret": secret, "active": active},
    )
    return peer


def enqueue(*, peers, data: bytes, distribution_id: str, content: str) -> list[OutboundEnvelope]:
    """One outbox row per peer; call inside the transaction of the change the envelope carries."""
    now = timezone.now()
    rows = []
    for peer in peers:
        rows.append(
            OutboundEnvelope.objects.create(
                peer=peer, distribution_id=distribution_id, content=content, body=data, next_attempt_at=now
            )
        )
    return rows


def _claim(row_id: int, seen: datetime, now: datetime) -> bool:
    """Compare-and-set lease: only one worker moves next_attempt_at from the value it read."""
    return bool(
        OutboundEnvelope.objects.filter(
            pk=row_id, next_attempt_at=seen, state__in=[OutboundEnvelope.State.QUEUED, OutboundEnvelope.State.RETRYING]
        ).update(next_attempt_at=now + timedelta(seconds=LEASE_S))
    )


@dataclass
class DispatchResult:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0

    def __str__(self) -> str:
        return f"{self.delivered} delivered, {self.retrying} to retry, {self.dead} refused for good"


def dispatch(*, limit: int = 50, client: httpx.Client | None = None, peer: Peer | None = None) -> DispatchResult:
    """Post every due outbox row once (of one peer, if given); the worker job calls this every few seconds."""
    from django.conf import settings

    now = timezone.now()
    rows = OutboundEnvelope.objects.filter(
        state__in=[OutboundEnvelope.State.QUEUED, OutboundEnvelope.State.RETRYING], next_attempt_at__lte=now
    )
    if peer is not None:
        rows = rows.filter(peer=peer)
    due = list(
        rows.select_related("peer")
        .order_by("next_attempt_at", "pk")[:limit]
    )
    result = DispatchResult()
    own_client = client is None
    client = client or httpx.Client(timeout=TIMEOUT_S, follow_redirects=False)
    try:
        for row in due:
            if not _claim(row.pk, row.next_attempt_at, now):
                continue
            body = bytes(row.body)
            attempts = row.attempts + 1
            try:
                response = client.post(
                    row.peer.inbox_url,
                    content=body,
                    headers=signed_headers(node_id=settings.NODE_ID, secret=row.peer.secret, body=body),
                )
                answer = response.text[:500]
                status = response.status_code
            except httpx.HTTPError as error:
                status, answer = 0, f"{type(error).__name__}: {error}"[:500]
            fields = {"attempts": attempts}
            if 200 <= status < 300:
                fields.update(
                    state=OutboundEnvelope.State.DELIVERED, receipt=f"{status} {answer}"[:500], delivered_at=timezone.now(),
                    last_error="",
                )
                result.delivered += 1
            elif status in PERMANENT_STATUSES or attempts >= MAX_ATTEMPTS:
                fields.update(state=OutboundEnvelope.State.DEAD, last_error=f"{status} {answer}"[:500])
                result.dead += 1
                log.warning("envelope %s to %s refused for good: %s %s", row.distribution_id, row.peer.node_id, status, answer)
            else:
                backoff = min(5 * 2 ** (attempts - 1), 3600) * random.uniform(0.8, 1.2)
                fields.update(
                    state=OutboundEnvelope.State.RETRYING,
                    last_error=f"{status or 'no answer'} {answer}"[:500],
                    next_attempt_at=timezone.now() + timedelta(seconds=backoff),
                )
                result.retrying += 1
            OutboundEnvelope.objects.filter(pk=row.pk).update(**fields)
    finally:
        if own_client:
            client.close()
    return result


def resend(row: OutboundEnvelope) -> None:
    """An officer sends a dead (or retrying) envelope again, now."""
    OutboundEnvelope.objects.filter(pk=row.pk).update(
        state=OutboundEnvelope.State.QUEUED, next_attempt_at=timezone.now(), attempts=0
    )


# ---------------------------------------------------------------------------------------------------
# The inbox


def _summary(envelope: de.Envelope) -> tuple[str, str]:
    """(content, one-line summary) of a validated envelope; raises ExchangeRefused if the payload is bad."""
    if not envelope.payload:
        raise ExchangeRefused(400, "the envelope carries no content")
    if b"EDXL:SitRep" in envelope.payload[:400]:
        document, findings = sitrep_xml.parse(envelope.payload)
        if document is None:
            raise ExchangeRefused(400, "; ".join(f"{f.code}: {f.message}" for f in findings))
        return SITREP_CONTENT, f"Sitrep No. {document.number}: {document.title}"[:500]
    message, findings = rm.parse(envelope.payload)
    if message is None:
        raise ExchangeRefused(400, "; ".join(f"{f.code}: {f.message}" for f in findings))
    items = ", ".join(f"{item.quantity} {item.unit} {item.name}".strip() for item in message.items)
    return message.message_type, f"{message.message_type}: {message.incident} — {items}"[:500]


def receive(*, headers, body: bytes, now: float | None = None) -> tuple[ReceivedEnvelope, bool]:
    """Authenticate and validate a posted envelope and hold it in quarantine.

    Returns (row, created). A repeat of the same bytes returns the existing row with created=False (an
    outbox resend after a lost receipt). Raises :class:`ExchangeRefused` with status and reason.
    """
    node = (headers.get("X-Hushdor-Node") or "").strip()
    if not node:
        raise ExchangeRefused(401, "no X-Hushdor-Node header: the sending node is not named")
    peer = Peer.objects.filter(node_id=node).first()
    if peer is None:
        raise ExchangeRefused(403, f"unknown peer {node!r}: it is not configured on this node")
    if not peer.active:
        raise ExchangeRefused(403, f"peer {node!r} is switched off on this node")
    try:
        timestamp = int(headers.get("X-Hushdor-Timestamp") or "")
    except ValueError:
        raise ExchangeRefused(401, "X-Hushdor-Timestamp is missing or not a whole number") from None
    current = now if now is not None else time.time()
    if abs(current - timestamp) > CLOCK_SKEW_S:
        raise ExchangeRefused(
            401, f"the request is {int(current - timestamp)} s old or early (limit {CLOCK_SKEW_S} s): replay refused"
        )
    expected = signature(peer.secret, timestamp, body)
    if not hmac.compare_digest(expected, (headers.get("X-Hushdor-Signature") or "").strip()):
        raise ExchangeRefused(401, "the signature does not match: forged or altered on the way")
    return quarantine(body, peer=peer)


def quarantine(body: bytes, *, peer: Peer | None = None) -> tuple[ReceivedEnvelope, bool]:
    """Validate an envelope (from an authenticated ``peer``, or a file an officer imports) and hold it
    for an officer. Returns (row, created): the same bytes again give the existing row, created False."""
    if len(body) > MAX_ENVELOPE_BYTES:
        raise ExchangeRefused(413, f"the envelope is larger than {MAX_ENVELOPE_BYTES} bytes")
    envelope, findings = de.parse(body)
    if envelope is None:
        raise ExchangeRefused(400, "; ".join(f"{f.code}: {f.message}" for f in findings)[:1000])
    if peer is not None and envelope.sender_id != peer.node_id:
        raise ExchangeRefused(
            403, f"the envelope's senderID {envelope.sender_id!r} is not the authenticated peer {peer.node_id!r}"
        )
    content, summary = _summary(envelope)
    digest = hashlib.sha256(body).hexdigest()
    existing = ReceivedEnvelope.objects.filter(sender_id=envelope.sender_id, distribution_id=envelope.distribution_id).first()
    if existing is not None:
        if existing.sha256 == digest:
            return existing, False
        raise ExchangeRefused(
            409, f"distributionID {envelope.distribution_id!r} was already received with other content: refused"
        )
    try:
        with transaction.atomic():
            row = ReceivedEnvelope.objects.create(
                sender_id=envelope.sender_id,
                distribution_id=envelope.distribution_id,
                raw=body,
                peer=peer,
                content=content,
                summary=summary,
                sha256=digest,
            )
    except IntegrityError:  # the same envelope arrived twice at the same moment
        row = ReceivedEnvelope.objects.get(sender_id=envelope.sender_id, distribution_id=envelope.distribution_id)
        if row.sha256 != digest:
            raise ExchangeRefused(409, "distributionID already received with other content: refused") from None
        return row, False
    log.info("envelope %s from %s held in quarantine (%s)", envelope.distribution_id, envelope.sender_id, content)
    return row, True
