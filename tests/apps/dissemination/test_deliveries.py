"""Issued warnings reach their subscribers: deliveries in the issuing transaction, sent to real peers.

The peers are real and local: an aiosmtpd SMTP server and an HTTP server that checks the Standard
Webhooks signature with its own code. Nothing of SMTP or HTTP is mocked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import threading
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from tests.apps.alerts.conftest import info_drafts

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.alerts.services import (
    AreaDraft,
    alert_approve,
    alert_create_draft,
    alert_issue,
    alert_submit,
    alert_update,
)
from hushdor.apps.dissemination.models import Delivery, DeliveryEvent, DeliveryState, Subscription
from hushdor.apps.dissemination.services import (
    SubscriptionError,
    _claim,
    deliveries_dispatch,
    deliveries_requeue_stale,
    subscription_create,
)

pytestmark = pytest.mark.django_db
SECRET = "whsec_" + base64.b64encode(b"a shared secret of the partner!!").decode()
VARZOB = [(38.70, 68.70), (38.70, 68.90), (38.90, 68.90), (38.90, 68.70), (38.70, 68.70)]


@pytest.fixture(autouse=True)
def environment(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DISSEMINATION_ALLOW_PRIVATE_TARGETS = True  # the test peers listen on loopback


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        if any(rcpt.startswith("nobody@") for rcpt in envelope.rcpt_tos):
            return "550 5.1.1 no such mailbox"
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.SMTP_HOST, settings.SMTP_PORT = "127.0.0.1", controller.port
    yield mailbox
    controller.stop()


class Receiver:
    """A partner's webhook endpoint: verifies each signature itself and answers the next status."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                message_id, stamp = self.headers["webhook-id"], self.headers["webhook-timestamp"]
                key = base64.b64decode(SECRET.split("_", 1)[1])
                expected = base64.b64encode(hmac.new(key, f"{message_id}.{stamp}.".encode() + body, hashlib.sha256).digest())
                valid = self.headers["webhook-signature"] == "v1," + expected.decode()
                receiver.received.append({"id": message_id, "valid": valid, "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/cap"


@pytest.fixture
def receiver():
    peer = Receiver()
    yield peer
    peer.server.shutdown()


@pytest.fixture
def people(db):
    editor, _ = operator_create(username="edith", password="correct-horse-battery", roles=["editor"])
    approver, _ = operator_create(username="anna", password="correct-horse-battery", roles=["approver"])
    second, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    return editor, approver, second


def issue(people, *, severity="Severe", hours=6, geocodes=(("TJ-district", "TJ-RA-VARZOB"),)):
    editor, approver, second = people
    area = AreaDraft(kind="polygon", description="Varzob valley", polygons=[VARZOB], geocodes=list(geocodes))
    alert = alert_create_draft(actor=editor, hazard="mudflow", infos=info_drafts(severity, hours=hours), areas=[area])
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=second, alert=alert)
    return alert_issue(actor=approver, alert=alert)


def subscribe(**fields):
    defaults = {"channel": "email", "address": "teacher@school17.tj", "language": "ru", "confirmed": True}
    return subscription_create(**(defaults | fields))


def test_an_issue_creates_one_delivery_per_reached_subscription_in_the_same_transaction(people):
    by_district = subscribe(place_codes=["TJ-RA-VARZOB"])
    by_region = subscribe(address="hukumat@rrs.tj", place_codes=["TJ-RA"])
    by_point = subscribe(address="school@varzob.tj", place_codes=[], point=(38.95, 68.80), radius_km=10)
    elsewhere = subscribe(address="khorog@gbao.tj", place_codes=["TJ-GB"])
    other_hazard = subscribe(address="skier@anzob.tj", place_codes=["TJ-RA"], hazards=["avalanche"])
    too_minor = subscribe(address="extreme-only@x.tj", place_codes=["TJ-RA"], min_severity="Extreme")
    unconfirmed = subscribe(address="later@x.tj", place_codes=["TJ-RA"], confirmed=False)
    alert = issue(people)
    reached = set(Delivery.objects.filter(alert=alert).values_list("subscription_id", flat=True))
    assert reached == {by_district.pk, by_region.pk, by_point.pk}
    assert not reached & {elsewhere.pk, other_hazard.pk, too_minor.pk, unconfirmed.pk}
    assert DeliveryEvent.objects.filter(delivery__alert=alert, state="queued").count() == 3


def test_the_dispatcher_sends_email_and_webhooks_to_their_real_peers(people, smtp, receiver):
    subscribe(place_codes=["TJ-RA-VARZOB"])
    subscribe(channel="webhook", address=receiver.url, secret=SECRET, place_codes=["TJ-RA"], language="en")
    alert = issue(people)
    run = deliveries_dispatch()
    assert (run.sent, run.delivered, run.dead) == (1, 1, 0)
    (_, recipients, raw), = smtp.messages
    mail = message_from_bytes(raw, policy=default_policy)
    assert recipients == ["teacher@school17.tj"] and mail["Subject"].startswith("Селевая опасность")
    assert "/subscriptions/unsubscribe/" in mail["List-Unsubscribe"]
    attachment = next(part for part in mail.iter_attachments())
    assert attachment.get_content_type() == "application/cap+xml" and alert.identifier.encode() in attachment.get_content()
    (hook,) = receiver.received
    assert hook["valid"] and hook["body"] == bytes(alert.signed_xml)
    states = dict(Delivery.objects.filter(alert=alert).values_list("channel", "state"))
    assert states == {"email": "sent", "webhook": "delivered"}


def test_a_failing_endpoint_is_retried_with_backoff_and_a_gone_one_stops_at_once(people, receiver):
    flaky = subscribe(channel="webhook", address=receiver.url, secret=SECRET, place_codes=["TJ-RA"])
    receiver.statuses = [503]
    alert = issue(people)
    assert deliveries_dispatch().retrying == 1
    delivery = Delivery.objects.get(alert=alert, subscription=flaky)
    assert delivery.state == "retrying" and delivery.next_attempt_at > timezone.now() and "503" in delivery.last_error
    assert deliveries_dispatch().retrying == 0  # not due yet
    assert deliveries_dispatch(now=delivery.next_attempt_at + timedelta(seconds=1)).delivered == 1
    assert [r["id"] for r in receiver.received] == [f"hushdor-delivery-{delivery.pk}"] * 2  # same id: droppable
    receiver.statuses = [410]
    Subscription.objects.filter(pk=flaky.pk).update(active=False)
    gone = subscribe(channel="webhook", address=receiver.url, secret=SECRET, place_codes=["TJ-RA-VARZOB"])
    second = issue(people)
    assert deliveries_dispatch().dead == 1
    dead = Delivery.objects.get(alert=second, subscription=gone)
    assert dead.state == "dead" and dead.attempts == 1 and "410" in dead.last_error


def test_a_refused_mailbox_is_dead_with_the_servers_reason(people, smtp):
    subscribe(address="nobody@school17.tj", place_codes=["TJ-RA"])
    alert = issue(people)
    assert deliveries_dispatch().dead == 1
    assert "nobody@school17.tj" in Delivery.objects.get(alert=alert).last_error


def test_a_warning_whose_cap_expiry_passed_is_never_sent(people, smtp):
    subscribe(place_codes=["TJ-RA"])
    alert = issue(people, hours=1)
    run = deliveries_dispatch(now=timezone.now() + timedelta(hours=2))
    assert run.expired == 1 and smtp.messages == []
    assert Delivery.objects.get(alert=alert).state == DeliveryState.EXPIRED


def test_an_update_reaches_everyone_who_received_the_original_even_after_narrowing(people, smtp):
    editor, approver, second = people
    subscription = subscribe(place_codes=["TJ-RA-VARZOB"])
    alert = issue(people)
    Subscription.objects.filter(pk=subscription.pk).update(place_codes=["TJ-GB"])  # narrowed since
    update = alert_update(actor=editor, alert=alert)
    alert_submit(actor=editor, alert=update)
    alert_approve(actor=second, alert=update)
    update = alert_issue(actor=approver, alert=update)
    assert Delivery.objects.filter(alert=update, subscription=subscription).exists()


def test_a_webhook_to_a_private_address_is_refused(people, settings):
    settings.DISSEMINATION_ALLOW_PRIVATE_TARGETS = False
    subscribe(channel="webhook", address="http://10.0.0.5/hook", secret=SECRET, place_codes=["TJ-RA"])
    alert = issue(people)
    assert deliveries_dispatch().dead == 1
    assert "private address" in Delivery.objects.get(alert=alert).last_error


def test_a_claimed_delivery_is_not_claimed_twice_and_a_stale_claim_comes_back(people):
    subscribe(place_codes=["TJ-RA"])
    issue(people)
    now = timezone.now()
    first, second = _claim(10, now), _claim(10, now)
    assert len(first) == 1 and second == []
    assert deliveries_requeue_stale(now=now + timedelta(minutes=6)) == 1
    assert Delivery.objects.get(pk=first[0]).state == "retrying"


def test_one_click_unsubscribe(people, client):
    subscription = subscribe(place_codes=["TJ-RA"])
    token = subscription.subscriber.unsubscribe_token
    assert client.get(f"/subscriptions/unsubscribe/{token}/").status_code == 200
    assert client.post(f"/subscriptions/unsubscribe/{token}/").status_code == 200
    subscription.refresh_from_db()
    assert not subscription.active
    assert client.post("/subscriptions/unsubscribe/not-a-token/").status_code == 404
    issue(people)
    assert Delivery.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"address": "not-an-address"}, "address"),
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "webhook", "address": "https://partner.example/hook"}, "whsec_"),
        ({"place_codes": [], "point": None}, "area"),
        ({"place_codes": [], "point": (95.0, 68.0), "radius_km": 5}, "point"),
        ({"language": "de"}, "language"),
    ],
)
def test_bad_subscriptions_are_refused_naming_the_field(fields, message):
    with pytest.raises(SubscriptionError, match=message):
        subscribe(**({"place_codes": ["TJ-RA"]} | fields))


def test_operators_see_counts_and_what_did_not_get_through_and_can_queue_it_again(people, receiver, client):
    receiver.statuses = [410]
    subscribe(channel="webhook", address=receiver.url, secret=SECRET, place_codes=["TJ-RA"])
    alert = issue(people)
    deliveries_dispatch()
    operator_create(username="victor", password="correct-horse-battery", roles=["viewer"])
    client.login(username="victor", password="correct-horse-battery")
    overview = client.get("/subscriptions/deliveries/").content.decode()
    assert f"#{alert.pk}" in overview and "dead 1" in overview
    page = client.get(f"/subscriptions/deliveries/{alert.pk}/").content.decode()
    assert 'id="failed"' in page and "HTTP 410" in page
    assert client.post(f"/subscriptions/deliveries/{alert.pk}/retry-dead").status_code == 403  # a viewer may not
    client.login(username="anna", password="correct-horse-battery")
    response = client.post(f"/subscriptions/deliveries/{alert.pk}/retry-dead")
    assert response.status_code == 302 and Delivery.objects.get(alert=alert).state == "queued"
    assert deliveries_dispatch().delivered == 1  # the endpoint answers 200 now


def test_the_live_panel_and_channel_health(people, receiver, client):
    subscribe(channel="webhook", address=receiver.url, secret=SECRET, place_codes=["TJ-RA-VARZOB"])
    subscribe(channel="email", address="nobody@school.tj", place_codes=["TJ-RA-VARZOB"])
    alert = issue(people)
    receiver.statuses = [200]
    deliveries_dispatch()
    client.login(username="edith", password="correct-horse-battery")
    data = client.get(f"/subscriptions/deliveries/{alert.pk}.json").json()
    assert data["counts"]["webhook"] == {"delivered": 1}
    assert sum(data["counts"]["email"].values()) == 1
    page = client.get(f"/subscriptions/deliveries/{alert.pk}/").content.decode()
    assert 'data-live="/subscriptions/deliveries/' in page
    health = client.get("/subscriptions/deliveries/").content.decode()
    assert 'id="channel-health"' in health and "Webhook" in health
    detail = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert f'href="/subscriptions/deliveries/{alert.pk}/"' in detail
