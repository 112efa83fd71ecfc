"""The MQTT channel: sirens, displays and partner systems subscribe to a topic tree on a broker.

A subscription's address is ``mqtt://host:port/<topic root>`` (``mqtts://`` for TLS). An alert is
published, QoS 1 and **retained** (a siren that reconnects gets the active warning at once), as

    <root>/<status>/<hazard>/<geocode>/cap    the signed CAP XML
    <root>/<status>/<hazard>/<geocode>/json   {"identifier", "msg_type", "severity", "headline", "expires"}

one pair per geocode of the alert (``all`` when it has none). When the alert expires, is updated or is
cancelled, its retained messages are cleared (an empty retained payload) after the transaction commits,
so nothing stale greets the next device. paho-mqtt 2 (Eclipse), the machine's Mosquitto in the tests.

**Receipts from sirens.** The JSON carries ``delivery`` (the delivery id) and ``ack`` (``topic``:
``<root>/ack/<delivery id>``, ``token``: an HMAC of the delivery id). A siren that sounds publishes
``{"delivery", "token", "status": "sounding" | "received" | "failed", "device"}`` on that topic, QoS 1,
retained. ``collect_acks`` (a worker job) reads the acknowledgements, and Hushdor clears each retained
one after reading it; a wrong token or a delivery of another address is ignored and logged. An MQTT
delivery without an acknowledgement becomes ``unconfirmed`` after the receipt timeout.
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import urlsplit

import paho.mqtt.client as paho

from hushdor.apps.dissemination.channels import SendError

CONNECT_TIMEOUT_S = 5.0
PUBLISH_TIMEOUT_S = 10.0
_TOPIC_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]")


def _broker(address: str) -> tuple[str, int, bool, str]:
    parts = urlsplit(address)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise SendError(f"not an mqtt:// address: {address}", permanent=True)
    root = parts.path.strip("/") or "hushdor/alerts"
    if "#" in root or "+" in root:
        raise SendError(f"the topic root {root!r} must not hold wildcards", permanent=True)
    return (
        parts.hostname,
        parts.port or (8883 if parts.scheme == "mqtts" else 1883),
        parts.scheme == "mqtts",
        root,
    )


def topics(root: str, *, status: str, hazard: str, geocodes: list[str]) -> list[str]:
    """The topic of each geocode (``all`` without one), without the /cap or /json leaf."""
    codes = geocodes or ["all"]
    return [
        f"{root}/{_TOPIC_UNSAFE.sub('_', status)}/{_TOPIC_UNSAFE.sub('_', hazard)}/{_TOPIC_UNSAFE.sub('_', c)}"
        for c in codes
    ]


def publish(address: str, messages: list[tuple[str, bytes]], *, retain: bool = True) -> str:
    """Publish (topic, payload) pairs with QoS 1 and wait for the broker's PUBACKs; returns the last mid."""
    host, port, tls, _root = _broker(address)
    client = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id=f"hushdor-{uuid.uuid4().hex[:12]}")
    if tls:
        client.tls_set()
    try:
        client.connect(host, port, keepalive=30)
    except OSError as error:
        raise SendError(f"cannot reach the MQTT broker {host}:{port}: {error}") from error
    client.loop_start()
    try:
        mid = 0
        for topic, payload in messages:
            info = client.publish(topic, payload, qos=1, retain=retain)
            info.wait_for_publish(timeout=PUBLISH_TIMEOUT_S)
            if not info.is_published():
                raise SendError(f"the MQTT broker {host}:{port} did not acknowledge {topic}")
            mid = info.mid
        return f"mqtt-mid-{mid}"
    finally:
        client.loop_stop()
        client.disconnect()


def alert_messages(root: str, *, alert, headline: str, delivery_id: int | None = None) -> list[tuple[str, bytes]]:
    from hushdor.apps.dissemination.channels import dlr_token

    geocodes = sorted({str(value) for area in alert.areas.all() for _name, value in (area.geocodes or [])})
    fields = {
        "identifier": alert.identifier,
        "msg_type": alert.msg_type,
        "status": alert.status,
        "hazard": alert.hazard,
        "severity": alert.severity,
        "headline": headline,
        "expires": alert.expires.isoformat() if alert.expires else None,
    }
    if delivery_id is not None:
        fields["delivery"] = delivery_id
        fields["ack"] = {"topic": f"{root}/ack/{delivery_id}", "token": dlr_token(delivery_id)}
    compact = json.dumps(fields, ensure_ascii=False).encode()
    pairs: list[tuple[str, bytes]] = []
    for topic in topics(root, status=alert.status, hazard=alert.hazard, geocodes=geocodes):
        pairs += [(f"{topic}/cap", bytes(alert.signed_xml or b"")), (f"{topic}/json", compact)]
    return pairs


def root_of(address: str) -> str:
    return _broker(address)[3]


def collect_acks(address: str, *, wait_s: float = 1.5) -> list[tuple[str, bytes]]:
    """The acknowledgements waiting under ``<root>/ack/`` (retained, or queued for our persistent
    session); each retained one read is cleared. Returns (topic, payload) pairs."""
    import hashlib
    import time

    host, port, tls, root = _broker(address)
    client_id = "hushdor-acks-" + hashlib.sha256(address.encode()).hexdigest()[:12]
    client = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
    if tls:
        client.tls_set()
    got: list[tuple[str, bytes, bool]] = []
    client.on_message = lambda _c, _u, message: got.append((message.topic, bytes(message.payload), message.retain))
    try:
        client.connect(host, port, keepalive=30)
    except OSError as error:
        raise SendError(f"cannot reach the MQTT broker {host}:{port}: {error}") from error
    client.loop_start()
    try:
        client.subscribe(f"{root}/ack/+", qos=1)
        time.sleep(wait_s)
        for topic, payload, retained in got:
            if retained and payload:
                client.publish(topic, b"", qos=1, retain=True).wait_for_publish(timeout=PUBLISH_TIMEOUT_S)
    finally:
        client.loop_stop()
        client.disconnect()
    return [(topic, payload) for topic, payload, _retained in got if payload]
