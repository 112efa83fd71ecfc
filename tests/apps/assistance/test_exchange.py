"""The exchange between nodes: the signed inbox refuses what it must, the outbox retries until a
receipt, decisions come only from the right side, and concurrent edits never overwrite each other."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.assistance import exchange
from hushdor.apps.assistance.inbox import inbox_accept
from hushdor.apps.assistance.models import (
    AssistanceRequest,
    Offer,
    OfferState,
    OutboundEnvelope,
    ReceivedEnvelope,
    RfaState,
)
from hushdor.apps.assistance.services import (
    AssistanceError,
    need_update,
    offer_decide,
    rfa_approve,
    rfa_circulate,
    rfa_create,
)
from hushdor.edxl import envelope as de
from hushdor.edxl import rm

pytestmark = pytest.mark.django_db

PARTNER = "hushdor@partner.test"
KEY = "a-shared-key-of-enough-length"
NEEDS = [
    {"category": "usar-medium", "name": "USAR team, medium", "quantity": 1, "unit": "team"},
    {"category": "shelter", "name": "Family tents", "quantity": 800, "unit": "tent"},
]


@pytest.fixture
def people(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    liaison, _ = operator_create(username="lola", password="correct-horse-battery", roles=["editor"])
    commander, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    return liaison, commander


@pytest.fixture
def peer(db):
    return exchange.peer_save(node_id=PARTNER, name="Partner", inbox_url="http://127.0.0.1:9/inbox", secret=KEY)


def circulated(people):
    liaison, commander = people
    request = rfa_create(actor=liaison, title="Sarez M7.2 (exercise)", needs=NEEDS)
    rfa_approve(actor=commander, request=request)
    rfa_circulate(request=request)
    return AssistanceRequest.objects.get(pk=request.pk)


def offer_envelope(request: AssistanceRequest, *, sender: str = PARTNER, quantity: str = "500", line: int = 1) -> bytes:
    need = list(request.needs.order_by("pk"))[line]
    sent = timezone.localtime().replace(microsecond=0)
    message = rm.ResourceMessage(
        message_type="ResponseToRequestResource",
        message_id=f"{sender}/offer/{quantity}-{line}",
        sent=sent,
        incident=request.title,
        originating_message_id=f"hushdor@coes.tj/rfa/{request.pk}",
        contact="Partner nation",
        items=(
            rm.LineItem(
                item_id="77",
                name=need.name,
                category=need.category,
                quantity=Decimal(quantity),
                unit=need.unit,
                preceding_item_id=str(need.pk),
                response_type="Accept",
            ),
        ),
    )
    return de.to_xml(
        de.Envelope(
            distribution_id=f"{message.message_id}/1",
            sender_id=sender,
            sent=sent,
            status="Exercise",
            kind="Response",
            payload=rm.to_xml(message),
        )
    )


def post(client, body: bytes, *, node: str = PARTNER, key: str = KEY, now: float | None = None, **extra):
    headers = exchange.signed_headers(node_id=node, secret=key, body=body, now=now)
    return client.post(
        "/assistance/inbox",
        data=body,
        content_type="application/xml",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
        **extra,
    )


def test_a_signed_envelope_from_a_known_peer_waits_in_quarantine_and_a_resend_is_a_duplicate(client, people, peer):
    body = offer_envelope(circulated(people))
    first = post(client, body)
    assert first.status_code == 202, first.content
    row = ReceivedEnvelope.objects.get()
    assert (row.state, row.content, row.peer_id) == ("pending", "ResponseToRequestResource", peer.pk)
    assert "500 tent Family tents" in row.summary
    again = post(client, body)
    assert again.status_code == 200 and again.json()["state"] == "duplicate"
    assert ReceivedEnvelope.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "status", "reason"),
    [
        ("unknown peer", 403, "unknown peer"),
        ("wrong key", 401, "signature does not match"),
        ("altered body", 401, "signature does not match"),
        ("old timestamp", 401, "replay refused"),
        ("no node header", 401, "not named"),
        ("sender mismatch", 403, "is not the authenticated peer"),
        ("same id, other content", 409, "other content"),
        ("not XML", 400, ""),
        ("XXE", 400, ""),
        ("not EDXL", 400, "EDXLDistribution"),
    ],
)
def test_the_inbox_refuses_forged_replayed_and_bad_envelopes_with_a_reason(client, people, peer, case, status, reason):
    request = circulated(people)
    body = offer_envelope(request)
    if case == "unknown peer":
        response = post(client, body, node="hushdor@stranger.test")
    elif case == "wrong key":
        response = post(client, body, key="not-the-shared-key-at-all")
    elif case == "altered body":
        headers = exchange.signed_headers(node_id=PARTNER, secret=KEY, body=body)
        tampered = body.replace(b"500", b"900")
        response = client.post(
            "/assistance/inbox", data=tampered, content_type="application/xml",
            headers={k: v for k, v in headers.items() if k != "Content-Type"},
        )
    elif case == "old timestamp":
        response = post(client, body, now=time.time() - 3600)
    elif case == "no node header":
        response = client.post("/assistance/inbox", data=body, content_type="application/xml")
    elif case == "sender mismatch":
        exchange.peer_save(node_id="hushdor@other.test", name="Other", inbox_url="http://127.0.0.1:9/", secret=KEY)
        response = post(client, body, node="hushdor@other.test")
    elif case == "same id, other content":
        assert post(client, body).status_code == 202
        response = post(client, offer_envelope(request, quantity="501").replace(b"501-1/1", b"500-1/1"))
    elif case == "not XML":
        response = post(client, b"<EDXLDistribution")
    elif case == "XXE":
        response = post(
            client,
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0">&e;</EDXLDistribution>',
        )
    else:
        response = post(client, b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'/>")
    assert response.status_code == status, response.content
    assert reason in response.json()["error"]
    assert ReceivedEnvelope.objects.filter(state="pending").count() == (1 if case == "same id, other content" else 0)


def test_an_envelope_over_the_size_limit_is_refused_before_it_is_read(client, peer):
    body = b"<x>" + b" " * (exchange.MAX_ENVELOPE_BYTES + 1) + b"</x>"
    response = post(client, body)
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]


def test_an_accepted_offer_is_recorded_and_the_decision_goes_back_to_the_partner(people, peer):
    liaison, commander = people
    request = circulated(people)
    body = offer_envelope(request)
    row, created = exchange.receive(headers=exchange.signed_headers(node_id=PARTNER, secret=KEY, body=body), body=body)
    assert created
    inbox_accept(actor=liaison, received=row)
    offer = Offer.objects.get()
    assert (offer.source_node, offer.source_item_id, offer.quantity) == (PARTNER, "77", Decimal(500))
    offer_decide(actor=commander, offer=offer, accept=True)
    decision = OutboundEnvelope.objects.get(content="RequisitionResource")
    envelope, findings = de.parse(bytes(decision.body))
    assert findings == [] and envelope.kind == "Dispatch"
    message, _ = rm.parse(envelope.payload)
    assert message.items[0].preceding_item_id == "77"
    assert AssistanceRequest.objects.get(pk=request.pk).state == RfaState.PARTIALLY_MET


def test_an_offer_for_a_closed_request_is_refused_with_the_reason(people, peer):
    request = circulated(people)
    AssistanceRequest.objects.filter(pk=request.pk).update(state=RfaState.CLOSED)
    body = offer_envelope(request)
    row, _ = exchange.receive(headers=exchange.signed_headers(node_id=PARTNER, secret=KEY, body=body), body=body)
    with pytest.raises(AssistanceError, match="closed"):
        inbox_accept(actor=people[0], received=row)
    row.refresh_from_db()
    assert row.state == "refused" and "closed" in row.reason
    assert not Offer.objects.exists()


def test_only_the_requesting_nation_decides_on_offers(people, peer):
    """On the partner's side, a received request's offers cannot be accepted there; and an acceptance
    envelope from a node that is not the requester is refused."""
    liaison, commander = people
    foreign = AssistanceRequest.objects.create(
        title="Their request", created_by=liaison, state=RfaState.CIRCULATED,
        origin_node=PARTNER, origin_message_id=f"{PARTNER}/rfa/9",
    )
    need = foreign.needs.create(category="shelter", name="Tents", quantity=10, unit="tent", origin_item_id="3")
    ours = Offer.objects.create(need=need, partner="Us", quantity=5)
    with pytest.raises(AssistanceError, match="only the requesting nation"):
        offer_decide(actor=commander, offer=ours, accept=True)

    impostor = "hushdor@impostor.test"
    exchange.peer_save(node_id=impostor, name="Impostor", inbox_url="http://127.0.0.1:9/", secret=KEY)
    sent = timezone.localtime().replace(microsecond=0)
    acceptance = rm.ResourceMessage(
        message_type="RequisitionResource", message_id=f"{impostor}/requisition/1", sent=sent, incident="x",
        originating_message_id=f"{PARTNER}/rfa/9",
        items=(rm.LineItem(item_id="3", name="Tents", category="shelter", quantity=Decimal(5), unit="tent",
                           preceding_item_id=str(ours.pk)),),
    )
    body = de.to_xml(de.Envelope(distribution_id="d1", sender_id=impostor, sent=sent, status="Exercise",
                                 kind="Dispatch", payload=rm.to_xml(acceptance)))
    row, _ = exchange.receive(headers=exchange.signed_headers(node_id=impostor, secret=KEY, body=body), body=body)
    with pytest.raises(AssistanceError, match="only the requesting nation"):
        inbox_accept(actor=liaison, received=row)
    ours.refresh_from_db()
    assert ours.state == OfferState.OFFERED


def test_a_stale_edit_of_a_line_is_refused_and_nothing_is_overwritten(people):
    liaison, _commander = people
    request = rfa_create(actor=liaison, title="Sarez", needs=NEEDS)
    need = request.needs.order_by("pk").last()
    need_update(actor=liaison, need=need, version=1, quantity=Decimal(900))  # the first officer
    with pytest.raises(AssistanceError, match="changed by someone else"):
        need_update(actor=liaison, need=need, version=1, quantity=Decimal(700))  # the second, on a stale page
    need.refresh_from_db()
    assert (need.quantity, need.version) == (Decimal(900), 2)


class _Peer(BaseHTTPRequestHandler):
    answers: list[int] = []
    bodies: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).bodies.append(body)
        status = type(self).answers.pop(0) if type(self).answers else 202
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"received": "ok"}' if status < 300 else b'{"error": "busy"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def http_peer():
    _Peer.answers, _Peer.bodies = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Peer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_the_outbox_retries_a_busy_peer_and_stops_at_a_refusal(people, http_peer):
    url = f"http://127.0.0.1:{http_peer.server_address[1]}/assistance/inbox"
    exchange.peer_save(node_id=PARTNER, name="Partner", inbox_url=url, secret=KEY)
    request = circulated(people)
    row = OutboundEnvelope.objects.get(content="RequestResource")
    _Peer.answers = [503]
    assert exchange.dispatch().retrying == 1
    row.refresh_from_db()
    assert row.state == "retrying" and row.last_error.startswith("503") and row.next_attempt_at > timezone.now()
    OutboundEnvelope.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert exchange.dispatch().delivered == 1
    row.refresh_from_db()
    assert row.state == "delivered" and row.receipt.startswith("202") and row.attempts == 2
    assert _Peer.bodies[0] == _Peer.bodies[1] == bytes(row.body)  # the same envelope, byte for byte

    rfa_circulate(request=request)  # circulated again: a new envelope
    _Peer.answers = [403]
    assert exchange.dispatch().dead == 1
    assert OutboundEnvelope.objects.filter(state="dead").count() == 1


def test_a_peer_that_does_not_answer_is_retried_not_lost(people):
    exchange.peer_save(node_id=PARTNER, name="Partner", inbox_url="http://127.0.0.1:9/inbox", secret=KEY)
    circulated(people)
    result = exchange.dispatch()
    assert result.retrying == 1
    row = OutboundEnvelope.objects.get()
    assert row.state == "retrying" and "ConnectError" in row.last_error


def test_accepted_assistance_is_tracked_in_transit_arrived_deployed_demobilised(people, peer):
    from hushdor.apps.assistance.tracking import offer_commit, offer_track

    liaison, commander = people
    request = circulated(people)
    body = offer_envelope(request)
    row, _ = exchange.receive(headers=exchange.signed_headers(node_id=PARTNER, secret=KEY, body=body), body=body)
    inbox_accept(actor=liaison, received=row)
    offer = Offer.objects.get()
    offer_decide(actor=commander, offer=offer, accept=True)
    with pytest.raises(AssistanceError, match="only the nation that made the offer"):
        offer_commit(actor=liaison, offer=offer)
    # The partner dispatches: a CommitResource naming its offer line "77", with the arrival time.
    sent = timezone.localtime().replace(microsecond=0)
    commit = rm.ResourceMessage(
        message_type="CommitResource", message_id=f"{PARTNER}/commit/77", sent=sent, incident=request.title,
        items=(rm.LineItem(item_id="77", name="Family tents", category="shelter", quantity=Decimal(500), unit="tent",
                           schedule_type="EstimatedArrival", schedule_time=sent + timedelta(hours=30)),),
    )
    data = de.to_xml(de.Envelope(distribution_id="c1", sender_id=PARTNER, sent=sent, status="Exercise",
                                 kind="Dispatch", payload=rm.to_xml(commit)))
    row, _ = exchange.receive(headers=exchange.signed_headers(node_id=PARTNER, secret=KEY, body=data), body=data)
    assert "in transit" in inbox_accept(actor=liaison, received=row).reason
    offer.refresh_from_db()
    assert offer.state == "in_transit" and offer.eta == sent + timedelta(hours=30)
    with pytest.raises(AssistanceError, match="cannot become deployed"):
        offer_track(actor=liaison, offer=offer, state="deployed")
    for state in ("arrived", "deployed", "demobilised"):
        offer = offer_track(actor=liaison, offer=offer, state=state)
    release = OutboundEnvelope.objects.get(content="ReleaseResource")
    envelope, _ = de.parse(bytes(release.body))
    message, _ = rm.parse(envelope.payload)
    assert message.message_type == "ReleaseResource" and message.items[0].preceding_item_id == "77"


def test_the_offering_side_dispatches_and_hears_of_the_release(people, peer):
    from hushdor.apps.assistance.tracking import offer_commit

    liaison, _commander = people
    foreign = AssistanceRequest.objects.create(
        title="Their request", created_by=liaison, state=RfaState.PARTIALLY_MET,
        origin_node=PARTNER, origin_message_id=f"{PARTNER}/rfa/9",
    )
    need = foreign.needs.create(category="shelter", name="Tents", quantity=10, unit="tent", origin_item_id="3")
    ours = Offer.objects.create(need=need, partner="Us", quantity=5, state=OfferState.ACCEPTED, source_item_id="")
    watcher, _ = operator_create(username="vera", password="correct-horse-battery", roles=["viewer"])
    with pytest.raises(AssistanceError, match="editor"):
        offer_commit(actor=watcher, offer=ours)
    offer_commit(actor=liaison, offer=ours)
    commit = OutboundEnvelope.objects.get(content="CommitResource")
    assert commit.peer == peer
    message, _ = rm.parse(de.parse(bytes(commit.body))[0].payload)
    assert message.items[0].item_id == str(ours.pk) and message.items[0].preceding_item_id == "3"
    sent = timezone.localtime().replace(microsecond=0)
    release = rm.ResourceMessage(
        message_type="ReleaseResource", message_id=f"{PARTNER}/release/1", sent=sent, incident="x",
        items=(rm.LineItem(item_id="3", name="Tents", category="shelter", quantity=Decimal(5), unit="tent",
                           preceding_item_id=str(ours.pk)),),
    )
    data = de.to_xml(de.Envelope(distribution_id="r1", sender_id=PARTNER, sent=sent, status="Exercise",
                                 kind="Report", payload=rm.to_xml(release)))
    row, _ = exchange.receive(headers=exchange.signed_headers(node_id=PARTNER, secret=KEY, body=data), body=data)
    inbox_accept(actor=liaison, received=row)
    ours.refresh_from_db()
    assert ours.state == "demobilised"


def test_a_registered_relief_unit_is_offered_in_one_step(people, peer, client):
    from hushdor.apps.assistance.models import ReliefUnit
    from hushdor.apps.assistance.tracking import unit_offer

    liaison, _ = people
    foreign = AssistanceRequest.objects.create(
        title="Their request", created_by=liaison, state=RfaState.CIRCULATED,
        origin_node=PARTNER, origin_message_id=f"{PARTNER}/rfa/9",
    )
    usar = foreign.needs.create(category="usar-medium", name="USAR team, medium", quantity=1, unit="team", origin_item_id="1")
    tents = foreign.needs.create(category="shelter", name="Tents", quantity=100, unit="tent", origin_item_id="2")
    unit = ReliefUnit.objects.create(name="CoES USAR team (INSARAG medium)", category="usar-medium",
                                     capabilities="search and rescue, medical first response", size=42,
                                     self_sufficiency_days=10, deployment_hours=12)
    with pytest.raises(AssistanceError, match="the line asks for Shelter"):
        unit_offer(actor=liaison, unit=unit, need=tents)
    client.login(username="lola", password="correct-horse-battery")
    assert "Offer this unit" in client.get(f"/assistance/{foreign.pk}/").content.decode()
    client.post(f"/assistance/needs/{usar.pk}/offer-unit", {"unit": unit.pk})
    offer = Offer.objects.get()
    assert offer.quantity == 1 and "42 people, self-sufficient 10 days, leaves within 12 h" in offer.conditions
    envelope = OutboundEnvelope.objects.get(content="ResponseToRequestResource")
    message, _ = rm.parse(de.parse(bytes(envelope.body))[0].payload)
    assert message.items[0].preceding_item_id == "1" and message.items[0].schedule_time is not None
