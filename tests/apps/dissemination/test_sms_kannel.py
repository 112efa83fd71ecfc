"""SMS through a real Kannel: bearerbox + smsbox from Debian's `kannel`, the fake SMS centre from
`kannel-extras`, started by the test with the shipped hushdor/data/kannel/kannel.conf (ports moved
to free ones; hushdor.apps.dissemination.local_peers). The text that reaches the SMS centre is decoded and compared with what Hushdor meant to send
(Cyrillic must survive: coding=2), and Kannel's delivery reports come back over HTTP to the live
server and settle each delivery. Skips with the reason only where Kannel is not installed
(`make test` installs it via scripts/ensure-kannel.sh)."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from tests.apps.dissemination.test_deliveries import issue

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.dissemination import channels
from hushdor.apps.dissemination.local_peers import (
    KANNEL_DEMO_PASSWORD,
    KANNEL_PORTS,
    LocalKannel,
    free_port,
    kannel_conf,
    kannel_missing,
)
from hushdor.apps.dissemination.models import Delivery, DeliveryEvent, DeliveryState
from hushdor.apps.dissemination.receipts import deliveries_unconfirm_overdue
from hushdor.apps.dissemination.services import (
    SubscriptionError,
    deliveries_dispatch,
    subscription_create,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = KANNEL_DEMO_PASSWORD
CONF = kannel_conf()


@pytest.fixture
def kannel(tmp_path):
    missing = kannel_missing()
    if missing:
        pytest.skip(f"Kannel is not installed ({', '.join(missing)}): apt-get install kannel kannel-extras")
    gateway = LocalKannel(tmp_path / "kannel", ports={port: free_port() for port in KANNEL_PORTS})
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def sms(settings, kannel, live_server, tmp_path, monkeypatch):
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KANNEL_SENDSMS_URL, settings.KANNEL_USER, settings.KANNEL_PASSWORD = kannel.sendsms_url, "hushdor", PASSWORD
    settings.PUBLIC_URL = live_server.url
    settings.SMS_MAX_PARTS = 2
    return kannel


@pytest.fixture
def people():
    editor, _ = operator_create(username="edith", password="correct-horse-battery", roles=["editor"])
    approver, _ = operator_create(username="anna", password="correct-horse-battery", roles=["approver"])
    second, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    return editor, approver, second


def _wait(predicate, seconds: float = 40.0):
    """Poll gently: the live server writes the reports into the same in-memory SQLite database, whose
    table locks make a concurrent writer wait (the report endpoint retries a busy database)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1.0)
    return predicate()


def test_a_warning_reaches_phones_through_kannel_in_cyrillic_and_the_reports_settle_it(sms, people):
    tajik = subscription_create(channel="sms", address="+992 90 000 0001", language="tg", place_codes=["TJ-RA-VARZOB"], confirmed=True)
    russian = subscription_create(channel="sms", address="992900000002", language="ru", place_codes=["TJ-RA-VARZOB"], confirmed=True)
    assert tajik.address == "992900000001"  # normalised at the edge
    alert = issue(people)
    run = deliveries_dispatch()
    assert run.sent == 2, run

    received = dict(_wait(lambda: len(sms.received()) >= 2 and sms.received()) or [])
    infos = {info.language: info for info in alert.infos.all()}
    for subscription in (tajik, russian):
        info = infos[subscription.subscriber.language]
        expected, coding = channels.sms_text(info.headline, info.instruction, max_parts=2)
        assert coding == 2
        assert received[subscription.address] == expected  # not "????": UCS-2 survived

    def settled():
        """Delivered, and both reports in (a report that met a busy database is retried by Kannel 2 s later)."""
        reports = DeliveryEvent.objects.filter(detail__startswith="DLR ").count()
        return set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.DELIVERED} and reports >= 4

    assert _wait(settled), list(Delivery.objects.values_list("state", "last_error"))
    for delivery in Delivery.objects.all():
        details = " ".join(DeliveryEvent.objects.filter(delivery=delivery).values_list("detail", flat=True))
        assert "DLR 8: accepted by the SMS centre" in details and "DLR 1: delivered to the phone" in details
        assert delivery.provider_id.startswith("kannel: 0: Accepted")


def test_a_long_warning_is_cut_to_the_configured_parts_and_arrives_joined(sms, people, settings):
    settings.SMS_MAX_PARTS = 2
    text, coding = channels.sms_text("Огоҳӣ! " + "Хатари сел дар водии Варзоб. " * 10, "Аз дарё дур шавед.", max_parts=2)
    assert coding == 2 and len(text) == 134 and text.endswith("…")
    message = channels.OutgoingMessage(
        delivery_id=1, subject="Огоҳӣ! " + "Хатари сел дар водии Варзоб. " * 10, text="", cap_xml=b"",
        cap_identifier="x", unsubscribe_url="", instruction="Аз дарё дур шавед.",
    )
    channels.send_sms("992900000009", message)
    got = _wait(lambda: [t for number, t in sms.received() if number == "992900000009"])
    assert got == [text]


def test_reports_are_authenticated_idempotent_and_never_move_a_delivery_backwards(sms, people, client):
    subscription_create(channel="sms", address="992900000003", language="ru", place_codes=["TJ-RA-VARZOB"], confirmed=True)
    issue(people)
    deliveries_dispatch()
    delivery = Delivery.objects.get()
    assert _wait(lambda: Delivery.objects.get().state == DeliveryState.DELIVERED)
    token = channels.dlr_token(delivery.pk)
    url = f"/subscriptions/dlr/{delivery.pk}/{token}/"
    assert client.get(f"/subscriptions/dlr/{delivery.pk}/{'0' * 32}/?type=1").status_code == 403  # forged
    assert client.get(f"/subscriptions/dlr/999999/{channels.dlr_token(999999)}/?type=1").status_code == 404
    assert client.get(f"{url}?type=77").status_code == 400
    again = client.get(f"{url}?type=1")
    assert again.status_code == 200 and again.content == b"duplicate"
    late_failure = client.get(f"{url}?type=2")  # a late "not delivered" after "delivered"
    assert late_failure.status_code == 200
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


def test_a_failure_report_kills_the_delivery_with_its_reason_and_silence_becomes_unconfirmed(sms, people, client, settings):
    subscription_create(channel="sms", address="992900000004", language="ru", place_codes=["TJ-RA-VARZOB"], confirmed=True)
    subscription_create(channel="sms", address="992900000005", language="ru", place_codes=["TJ-RA-VARZOB"], confirmed=True)
    issue(people)
    Delivery.objects.update(state=DeliveryState.SENT)  # handed over; Kannel's reports not asked for
    first, second = Delivery.objects.order_by("pk")
    response = client.get(f"/subscriptions/dlr/{first.pk}/{channels.dlr_token(first.pk)}/?type=16&reply=NACK%2F0x0b")
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.state == DeliveryState.DEAD and "refused by the SMS centre" in first.last_error
    settings.RECEIPT_TIMEOUT_MINUTES = 0
    assert deliveries_unconfirm_overdue() == 1
    second.refresh_from_db()
    assert second.state == DeliveryState.UNCONFIRMED


def test_a_gateway_that_is_down_is_retried_and_bad_numbers_never_get_in(settings, people):
    settings.KANNEL_SENDSMS_URL = f"http://127.0.0.1:{free_port()}/cgi-bin/sendsms"
    subscription_create(channel="sms", address="992900000006", language="tg", place_codes=["TJ-RA-VARZOB"], confirmed=True)
    issue(people)
    run = deliveries_dispatch()
    assert run.retrying == 1
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.RETRYING and "did not answer" in delivery.last_error
    for bad in ("12345", "+0992 900", "call me", "0092"):
        with pytest.raises(SubscriptionError, match="address"):
            subscription_create(channel="sms", address=bad, place_codes=["TJ-RA-VARZOB"])


def test_the_shipped_configuration_closes_the_silent_loss_traps():
    text = CONF.read_text()
    assert re.search(r"^store-type = spool$", text, re.M)
    assert re.search(r"^dlr-storage = spool$", text, re.M)
    assert int(re.search(r"^http-request-retry = (\d+)$", text, re.M).group(1)) > 0
    assert httpx  # the SMS channel speaks HTTP to Kannel (imported for the gateway client)
