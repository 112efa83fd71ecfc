"""WIS2 ingest against its real peers: notifications over the machine's Mosquitto, BUFR3 and BUFR4
messages made by ecCodes in the test, CSV data fetched from a local HTTP server; bad notifications,
digests that do not match, truncated BUFR and unknown stations are refused with a reason."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hushdor.apps.hydromet.models import Observation, ReceivedNotification
from hushdor.apps.hydromet.services import stations_load_bundled
from hushdor.apps.hydromet.wis2 import health, notification_receive, subscribe
from hushdor.feeds.hydromet import bufr

eccodes = pytest.importorskip("eccodes")


def make_bufr(edition: int, *, block=38, station=836, hour=6, kelvin=288.15, rain=3.2, snow=0.12) -> bytes:
    handle = eccodes.codes_bufr_new_from_samples(f"BUFR{edition}")
    eccodes.codes_set(handle, "masterTablesVersionNumber", 31 if edition == 4 else 13)
    eccodes.codes_set(handle, "dataCategory", 0)
    eccodes.codes_set(handle, "numberOfSubsets", 1)
    eccodes.codes_set(handle, "compressedData", 0)
    eccodes.codes_set_array(handle, "unexpandedDescriptors", [301001, 301011, 301012, 301021, 12101, 13011, 13013])
    for key, value in (("blockNumber", block), ("stationNumber", station), ("year", 2026), ("month", 5),
                       ("day", 7), ("hour", hour), ("minute", 0), ("latitude", 38.54), ("longitude", 68.83),
                       ("airTemperature", kelvin), ("totalPrecipitationOrTotalWaterEquivalent", rain),
                       ("totalSnowDepth", snow)):
        eccodes.codes_set(handle, key, value)
    eccodes.codes_set(handle, "pack", 1)
    message = eccodes.codes_get_message(handle)
    eccodes.codes_release(handle)
    return message


def notification(data: bytes | None, *, data_id: str, url: str = "https://wis2.example.tj/x.bufr4",
                 digest: bytes | None = None, media_type: str = "application/bufr") -> bytes:
    properties = {
        "data_id": data_id,
        "metadata_id": "urn:wmo:md:tj-hydromet:surface-weather-observations",
        "pubtime": "2026-05-07T06:02:11Z",
        "datetime": "2026-05-07T06:00:00Z",
        "integrity": {"method": "sha512", "value": base64.b64encode(hashlib.sha512(digest if digest is not None else data or b"").digest()).decode()},
    }
    if data is not None:
        properties["content"] = {"encoding": "base64", "size": len(data), "value": base64.b64encode(data).decode()}
    return json.dumps({
        "id": str(uuid.uuid4()), "conformsTo": ["http://wis.wmo.int/spec/wnm/1/conf/core"], "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [68.83, 38.54]}, "properties": properties,
        "links": [{"rel": "canonical", "type": media_type, "href": url}],
    }).encode()


def test_bufr3_and_bufr4_decode_to_stored_units():
    for edition in (3, 4):
        rows = {row.variable: row for row in bufr.decode(make_bufr(edition))}
        assert rows["air_temperature_c"].value == pytest.approx(15.0)
        assert rows["precipitation_mm"].value == pytest.approx(3.2)
        assert rows["snow_depth_cm"].value == pytest.approx(12.0)
        assert {row.station for row in rows.values()} == {"0-20000-0-38836"}
        assert rows["air_temperature_c"].time.isoformat() == "2026-05-07T06:00:00+00:00"


def test_truncated_or_foreign_bytes_are_refused_by_name():
    message = make_bufr(4)
    for broken in (message[:40], b"GRIB" + message[4:], b""):
        with pytest.raises(bufr.BufrError):
            bufr.decode(broken)


@pytest.mark.django_db
def test_notifications_are_checked_deduplicated_and_stored(settings):
    stations_load_bundled()
    good = notification(make_bufr(4), data_id="tj/data/core/weather/synop/WIGOS_0-20000-0-38836_20260507T0600")
    assert notification_receive(good, topic="origin/a/wis2/tj/data").state == "accepted"
    assert Observation.objects.filter(station__code="0-20000-0-38836").count() == 3
    again = notification(make_bufr(4), data_id="tj/data/core/weather/synop/WIGOS_0-20000-0-38836_20260507T0600")
    assert notification_receive(again).state == "duplicate"

    tampered = notification(make_bufr(4, kelvin=290.0), data_id="tj/x/2", digest=make_bufr(4))
    refused = notification_receive(tampered)
    assert refused.state == "rejected" and "does not match its sha512 digest" in refused.reason
    unknown = notification(make_bufr(4, block=99, station=1), data_id="tj/x/3")
    assert "unknown station(s) 0-20000-0-99001" in notification_receive(unknown).reason
    truncated = notification(make_bufr(4)[:50], data_id="tj/x/4")
    assert "unreadable data" in notification_receive(truncated).reason
    assert "not JSON" in notification_receive(b"{oops").reason
    missing = json.loads(good)
    del missing["properties"]["data_id"]
    assert "data_id" in notification_receive(json.dumps(missing).encode()).reason
    assert health() == {"accepted": 1, "duplicate": 1, "rejected": 5}
    assert Observation.objects.count() == 3  # nothing refused was stored


class _Data(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("content-length", str(len(type(self).body)))
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, *args):
        pass


def broker_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 1883), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_notifications_arrive_over_mosquitto_and_a_canonical_link_is_fetched(settings):
    if not broker_up():
        pytest.fail("Mosquitto is not listening on 127.0.0.1:1883 (.ci/run starts it)")
    import paho.mqtt.publish as publish

    stations_load_bundled()
    _Data.body = b"station,time,variable,value\nBARCHADIV,2026-05-07T06:00:00Z,water_level_cm,182.0\n"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Data)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"origin/a/wis2/test-{uuid.uuid4().hex[:8]}"
    stopping = threading.Event()
    thread = threading.Thread(
        target=subscribe, args=("mqtt://127.0.0.1:1883", [f"{root}/#"]), kwargs={"stop": stopping.is_set}, daemon=True
    )
    thread.start()
    time.sleep(1.0)
    messages = [
        (f"{root}/data/core/weather/surface-based-observations/synop",
         notification(make_bufr(3, hour=7), data_id="tj/synop/38836/0700")),
        (f"{root}/data/core/hydrology/surface-based-observations/water-quantity/stream",
         notification(None, data_id="tj/stream/barchadiv/0600", digest=_Data.body, media_type="text/csv",
                      url=f"http://127.0.0.1:{server.server_address[1]}/barchadiv.csv")),
        (f"{root}/data/core/weather/surface-based-observations/synop", b"not a notification"),
    ]
    for topic, payload in messages:
        publish.single(topic, payload, qos=1, hostname="127.0.0.1", port=1883)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and ReceivedNotification.objects.count() < 3:
        time.sleep(0.5)
    stopping.set()
    thread.join(timeout=10)
    server.shutdown()
    states = sorted(ReceivedNotification.objects.values_list("state", flat=True))
    assert states == ["accepted", "accepted", "rejected"]
    assert Observation.objects.filter(station__code="0-20000-0-38836").count() == 3
    assert Observation.objects.get(station__code="BARCHADIV").value == 182.0


@pytest.mark.django_db
def test_a_flood_of_notifications_from_one_station_is_refused_and_counted(settings, monkeypatch):
    from hushdor.apps.hydromet import wis2

    monkeypatch.setattr(wis2, "MAX_PER_STATION_MINUTE", 3)
    stations_load_bundled()
    outcomes = []
    for hour in range(5):
        message = json.loads(notification(make_bufr(4, hour=hour), data_id=f"tj/flood/{hour}"))
        message["properties"]["wigos_station_identifier"] = "0-20000-0-38836"
        outcomes.append(notification_receive(json.dumps(message).encode()))
    assert [o.state for o in outcomes] == ["accepted"] * 3 + ["rejected"] * 2
    assert "refused as a flood" in outcomes[-1].reason
    other = notification(make_bufr(4, block=38, station=954), data_id="tj/khorog/0600")  # another station flows on
    assert notification_receive(other).state == "accepted"
    assert health()["rejected"] >= 2
