"""WIS2 ingest: notifications from an MQTT broker → data (inline or fetched) → observations.

``notification_receive(payload, topic=…)`` is the whole path for one message and never raises for bad
input: it parses and checks the notification (``feeds.hydromet.wnm``), refuses a ``data_id`` seen before
(duplicate), takes the inline content or fetches the canonical link (http(s), at most 10 MB, 10 s),
checks the announced digest, decodes BUFR (``feeds.hydromet.bufr``) or CSV (``station,time,variable,
value``), and stores the rows through ``observations_push`` — the same QC, rules, alarms and warning
policy as the loggers' push endpoint. Every message leaves a :class:`ReceivedNotification` row
(accepted / duplicate / rejected with the reason): the source's health.

``subscribe(broker_url, topics)`` runs the MQTT client (paho, QoS 1, a persistent session: the broker
keeps what arrives while the client is away) and calls ``notification_receive`` for each message.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from urllib.parse import urlsplit

import httpx
from django.db import transaction
from django.utils import timezone

from hushdor.apps.hydromet.models import ReceivedNotification, Station
from hushdor.apps.hydromet.services import PushError, observations_push
from hushdor.feeds.hydromet import bufr, wnm
from hushdor.science.hydromet.observations import VARIABLES as _VARIABLES
from hushdor.science.hydromet.observations import ObservationError, iso_time, read_csv

log = logging.getLogger("hushdor.hydromet.wis2")
MAX_DATA_BYTES = 10 * 1024 * 1024
# A station that announces more than this many notifications in a minute is flooding the broker (a
# logger stuck in a loop, or an attack): the excess is refused and counted, the rest keeps flowing.
MAX_PER_STATION_MINUTE = 60


def _fetch(url: str) -> bytes:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"the canonical link {url!r} is not http(s)")
    with httpx.Client(timeout=10.0, follow_redirects=True) as client, client.stream("GET", url) as response:
        if response.status_code != 200:
            raise ValueError(f"fetching {url} answered {response.status_code}")
        data = b""
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > MAX_DATA_BYTES:
                raise ValueError(f"the data at {url} is larger than {MAX_DATA_BYTES} bytes")
        return data


def _rows(data: bytes) -> list[tuple[str, str, str, float]]:
    """(station, ISO time, variable, value) from BUFR or CSV."""
    if data.startswith(b"BUFR"):
        return [(row.station, row.time.strftime("%Y-%m-%dT%H:%M:%SZ"), row.variable, row.value) for row in bufr.decode(data)]
    observations = read_csv(data.decode("utf-8"))
    return [
        (
            observations.stations[int(observations.station[k])],
            iso_time(int(observations.time[k])),
            _VARIABLES[int(observations.variable[k])],
            float(observations.value[k]),
        )
        for k in range(len(observations))
    ]


def _record(notification_id: str, data_id: str, topic: str, state: str, reason: str = "", observations: int = 0,
            station: str = ""):
    if state == ReceivedNotification.State.REJECTED:
        log.warning("WIS2 notification %s on %s refused: %s", data_id or notification_id, topic, reason)
    return ReceivedNotification.objects.create(
        notification_id=notification_id[:200],
        data_id=data_id[:500],
        topic=topic[:500],
        station=station[:64],
        state=state,
        reason=reason[:1000],
        observations=observations,
    )


def notification_receive(payload: bytes, *, topic: str = "") -> ReceivedNotification:
    notification, findings = wnm.parse(payload)
    if notification is None:
        return _record("", "", topic, "rejected", "; ".join(f"{f.code}: {f.message}" for f in findings))
    if ReceivedNotification.objects.filter(data_id=notification.data_id, state="accepted").exists():
        return _record(notification.id, notification.data_id, topic, "duplicate")
    if notification.deletion:
        return _record(notification.id, notification.data_id, topic, "rejected", "deletion notices are not applied")
    if notification.station:
        recent = ReceivedNotification.objects.filter(
            station=notification.station, received_at__gte=timezone.now() - timezone.timedelta(minutes=1)
        ).count()
        if recent >= MAX_PER_STATION_MINUTE:
            return _record(
                notification.id, notification.data_id, topic, "rejected",
                f"more than {MAX_PER_STATION_MINUTE} notifications a minute from station {notification.station}: "
                "refused as a flood",
                station=notification.station,
            )
    try:
        data = wnm.content_bytes(notification)
        if data is None:
            data = _fetch(notification.canonical)
    except (ValueError, httpx.HTTPError) as problem:
        return _record(notification.id, notification.data_id, topic, "rejected", str(problem))
    if not wnm.integrity_ok(notification, data):
        return _record(
            notification.id, notification.data_id, topic, "rejected",
            f"the data does not match its {notification.integrity[0]} digest: altered or truncated",
        )
    try:
        rows = _rows(data)
    except (bufr.BufrError, ObservationError, UnicodeDecodeError) as problem:
        return _record(notification.id, notification.data_id, topic, "rejected", f"unreadable data: {problem}")
    by_station: dict[str, list[str]] = defaultdict(list)
    for station, moment, variable, value in rows:
        by_station[station].append(f"{moment},{variable},{value!r}")
    stations = {s.code: s for s in Station.objects.filter(code__in=list(by_station))}
    unknown = sorted(set(by_station) - set(stations))
    if unknown:
        return _record(
            notification.id, notification.data_id, topic, "rejected",
            f"unknown station(s) {', '.join(unknown)}: add them to the station list first",
        )
    stored = 0
    try:
        with transaction.atomic():
            for code, lines in by_station.items():
                body = ("time,variable,value\n" + "\n".join(lines) + "\n").encode()
                result = observations_push(station=stations[code], body=body, content_type="text/csv")
                stored += result.accepted
    except PushError as problem:
        return _record(notification.id, notification.data_id, topic, "rejected", str(problem))
    return _record(notification.id, notification.data_id, topic, "accepted", observations=stored,
                   station=notification.station or next(iter(by_station), ""))


def health(hours: int = 24) -> dict[str, int]:
    since = timezone.now() - timezone.timedelta(hours=hours)
    rows = ReceivedNotification.objects.filter(received_at__gte=since)
    return {state: rows.filter(state=state).count() for state in ReceivedNotification.State.values}


def subscribe(broker_url: str, topics: list[str], *, client_id: str | None = None, stop=None) -> None:
    """Run the MQTT subscription until ``stop()`` returns True (or forever)."""
    import time

    import paho.mqtt.client as paho
    from django.db import close_old_connections

    parts = urlsplit(broker_url)
    client = paho.Client(
        paho.CallbackAPIVersion.VERSION2,
        client_id=client_id or f"hushdor-wis2-{uuid.uuid4().hex[:8]}",
        clean_session=False,  # a persistent session: QoS 1 messages wait for us at the broker
    )
    if parts.username:
        client.username_pw_set(parts.username, parts.password)
    if parts.scheme == "mqtts":
        client.tls_set()

    def on_connect(client, _userdata, _flags, reason_code, _properties=None):
        if reason_code == 0:
            for topic in topics:
                client.subscribe(topic, qos=1)

    def on_message(_client, _userdata, message):
        close_old_connections()
        try:
            notification_receive(message.payload, topic=message.topic)
        except Exception:  # one bad message must never stop the subscription
            log.exception("WIS2 message on %s could not be processed", message.topic)

    client.on_connect = on_connect
    client.on_message = on_message
    client.connect(parts.hostname or "127.0.0.1", parts.port or (8883 if parts.scheme == "mqtts" else 1883))
    client.loop_start()
    try:
        while not (stop and stop()):
            time.sleep(0.2)
    finally:
        client.loop_stop()
        client.disconnect()
