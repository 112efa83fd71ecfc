"""The MQTT channel against the machine's real Mosquitto (127.0.0.1:1883): retained, replaced, cleared."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from datetime import timedelta

import paho.mqtt.client as paho
import pytest
from django.utils import timezone
from tests.apps.dissemination.test_deliveries import environment, issue, people, subscribe  # noqa: F401

from hushdor.apps.alerts.services import alert_cancel, alerts_expire_due
from hushdor.apps.dissemination.models import Delivery
from hushdor.apps.dissemination.services import deliveries_dispatch

pytestmark = [pytest.mark.django_db, pytest.mark.services]


def broker_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 1883), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def root():
    if not broker_up():
        pytest.fail("Mosquitto is not listening on 127.0.0.1:1883 (.ci/run starts it)")
    return f"hushdor-test-{uuid.uuid4().hex[:10]}/alerts"


def retained(root: str, wait_s: float = 0.6) -> dict[str, bytes]:
    """What a device that connects now receives under ``root``: the retained messages."""
    got: dict[str, bytes] = {}
    done = threading.Event()
    client = paho.Client(paho.CallbackAPIVersion.VERSION2)
    client.on_message = lambda _c, _u, message: got.__setitem__(message.topic, message.payload) if message.retain else None
    client.on_subscribe = lambda *args: done.set()
    client.connect("127.0.0.1", 1883)
    client.loop_start()
    client.subscribe(f"{root}/#", qos=1)
    done.wait(2)
    time.sleep(wait_s)
    client.loop_stop()
    client.disconnect()
    return got


def test_an_alert_is_published_retained_per_geocode_and_a_cancel_clears_it(people, root):  # noqa: F811
    subscribe(channel="mqtt", address=f"mqtt://127.0.0.1:1883/{root}", place_codes=["TJ-RA"])
    alert = issue(people)
    assert deliveries_dispatch().sent == 1
    topics = retained(root)
    cap_topic = f"{root}/Actual/mudflow/TJ-RA-VARZOB/cap"
    assert topics[cap_topic] == bytes(alert.signed_xml)
    assert b'"severity": "Severe"' in topics[f"{root}/Actual/mudflow/TJ-RA-VARZOB/json"]
    assert Delivery.objects.get(alert=alert).provider_id.startswith("mqtt-mid-")

    alert_cancel(actor=people[1], alert=alert, note="rain stopped")
    assert deliveries_dispatch().sent == 1  # the Cancel goes to the same device, not retained
    assert retained(root) == {}


def test_an_expired_alert_leaves_nothing_retained(people, root, django_capture_on_commit_callbacks):  # noqa: F811
    subscribe(channel="mqtt", address=f"mqtt://127.0.0.1:1883/{root}", place_codes=["TJ-RA"])
    issue(people, hours=1)
    deliveries_dispatch()
    assert retained(root)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_expire_due(now=timezone.now() + timedelta(hours=2)) == 1
    assert retained(root) == {}


def test_an_unreachable_broker_is_retried_and_a_bad_address_refused(people):  # noqa: F811
    subscribe(channel="mqtt", address="mqtt://127.0.0.1:1/hushdor/alerts", place_codes=["TJ-RA"])
    alert = issue(people)
    assert deliveries_dispatch().retrying == 1
    assert "cannot reach the MQTT broker" in Delivery.objects.get(alert=alert).last_error


def test_a_siren_acknowledges_on_its_reply_topic_and_that_is_the_receipt(people, root, settings):  # noqa: F811
    import json

    import paho.mqtt.publish as publish

    from hushdor.apps.dissemination.models import DeliveryEvent, DeliveryState
    from hushdor.apps.dissemination.receipts import deliveries_collect_mqtt_acks, deliveries_unconfirm_overdue

    subscribe(channel="mqtt", address=f"mqtt://127.0.0.1:1883/{root}", place_codes=["TJ-RA"])
    subscribe(channel="mqtt", address=f"mqtt://127.0.0.1:1883/{root}-silent", place_codes=["TJ-RA"])
    issue(people)
    assert deliveries_dispatch().sent == 2
    siren_delivery = Delivery.objects.get(address=f"mqtt://127.0.0.1:1883/{root}")
    message = json.loads(retained(root)[f"{root}/Actual/mudflow/TJ-RA-VARZOB/json"])
    assert message["delivery"] == siren_delivery.pk and message["ack"]["topic"] == f"{root}/ack/{siren_delivery.pk}"
    # A forged acknowledgement first (wrong token), then the siren's own.
    forged = {"delivery": siren_delivery.pk, "token": "0" * 32, "status": "sounding"}
    publish.single(f"{root}/ack/forged", json.dumps(forged), qos=1, retain=True, hostname="127.0.0.1")
    real = {"delivery": message["delivery"], "token": message["ack"]["token"], "status": "sounding", "device": "siren-barsem-1"}
    publish.single(message["ack"]["topic"], json.dumps(real), qos=1, retain=True, hostname="127.0.0.1")
    assert deliveries_collect_mqtt_acks(wait_s=1.0) == 1
    siren_delivery.refresh_from_db()
    assert siren_delivery.state == DeliveryState.DELIVERED
    assert DeliveryEvent.objects.filter(delivery=siren_delivery, detail="siren acknowledgement: sounding from siren-barsem-1").exists()
    assert f"{root}/ack/{siren_delivery.pk}" not in retained(root)  # read and cleared
    settings.RECEIPT_TIMEOUT_MINUTES = 0
    assert deliveries_unconfirm_overdue() == 1  # the display that never answered
    assert Delivery.objects.get(address=f"mqtt://127.0.0.1:1883/{root}-silent").state == DeliveryState.UNCONFIRMED
    publish.single(f"{root}/ack/forged", b"", qos=1, retain=True, hostname="127.0.0.1")
