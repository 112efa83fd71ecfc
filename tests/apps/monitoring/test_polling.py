"""Polling against a real HTTP server on 127.0.0.1 (random port), serving a USGS GeoJSON feed."""

import contextlib
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from django.utils import timezone

from hushdor.apps.monitoring.models import OperatorNotification, Origin, SeismicEvent, Source
from hushdor.apps.monitoring.selectors import sources_health
from hushdor.apps.monitoring.services.polling import PollingSettings, source_poll, sources_poll_due
from hushdor.worker.registry import jobs

pytestmark = pytest.mark.django_db

SETTINGS = PollingSettings(timeout_s=2.0, silent_intervals=3, backoff_cap_s=900.0)


def feature(code, when, latitude, longitude, depth, magnitude, *, updated_minutes=20):
    updated = when + timedelta(minutes=updated_minutes)
    return {
        "type": "Feature",
        "id": f"us{code}",
        "properties": {
            "mag": magnitude,
            "place": "test place",
            "time": round(when.timestamp() * 1000),
            "updated": round(updated.timestamp() * 1000),
            "status": "reviewed",
            "net": "us",
            "code": code,
            "ids": f",us{code},",
            "sources": ",us,",
            "magType": "mww",
            "type": "earthquake",
            "url": f"https://earthquake.usgs.gov/earthquakes/eventpage/us{code}",
        },
        "geometry": {"type": "Point", "coordinates": [longitude, latitude, depth]},
    }


SAREZ = feature("10004ff1", datetime(2015, 12, 7, 7, 50, 5, tzinfo=UTC), 38.211, 72.780, 22.0, 7.2)
SAREZ_REVISED = feature(
    "10004ff1", datetime(2015, 12, 7, 7, 50, 5, tzinfo=UTC), 38.211, 72.780, 22.0, 7.4, updated_minutes=90
)
RASHT = feature("10007ab2", datetime(2021, 7, 10, 2, 14, 43, tzinfo=UTC), 38.917, 70.554, 12.0, 5.7)
ILLAPEL = feature("20003k7a", datetime(2015, 9, 16, 22, 54, 32, tzinfo=UTC), -31.573, -71.674, 22.4, 8.3)


def summary(*features):
    return json.dumps(
        {"type": "FeatureCollection", "metadata": {"count": len(features)}, "features": list(features)}
    ).encode()


class Feed:
    """What the test server answers; changed by the test between polls."""

    def __init__(self):
        self.body = b""
        self.etag = ""
        self.status = 200
        self.delay_s = 0.0
        self.requests = []


@pytest.fixture
def feed():
    state = Feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.requests.append(dict(self.headers))
            if state.delay_s:
                time.sleep(state.delay_s)
            if state.status != 200:
                self.send_response(state.status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if state.etag and self.headers.get("If-None-Match") == state.etag:
                self.send_response(304)
                self.send_header("ETag", state.etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(state.body)))
            if state.etag:
                self.send_header("ETag", state.etag)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                self.wfile.write(state.body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/summary/significant_week.geojson"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def client():
    with httpx.Client(timeout=httpx.Timeout(SETTINGS.timeout_s)) as http:
        yield http


def source_for(feed, **fields):
    return Source.objects.create(
        name="USGS significant",
        kind="usgs_geojson",
        url=feed.url,
        agency="USGS",
        poll_interval_s=60,
        **fields,
    )


def poll_due(client, now):
    return sources_poll_due(client=client, settings=SETTINGS, now=now)


def test_feed_outage_backs_off_raises_one_alarm_and_catches_up_without_duplicates(feed, client):
    t0 = timezone.now()
    source = source_for(feed)
    feed.body, feed.etag = summary(SAREZ, RASHT), '"v1"'

    [outcome] = poll_due(client, t0)
    assert (outcome.state, outcome.new_origins) == ("received", 2)
    source.refresh_from_db()
    assert source.etag == '"v1"'
    assert source.next_poll_at == t0 + timedelta(seconds=60)
    assert [h.status for h in sources_health(now=t0, settings=SETTINGS)] == ["green"]

    assert poll_due(client, t0 + timedelta(seconds=30)) == []  # not due yet: no request
    assert len(feed.requests) == 1

    [outcome] = poll_due(client, t0 + timedelta(seconds=60))
    assert outcome.state == "not_modified"
    assert feed.requests[-1]["If-None-Match"] == '"v1"'

    feed.status = 500
    backoffs = []
    for seconds in (120, 360, 840, 1800, 3600):
        [outcome] = poll_due(client, t0 + timedelta(seconds=seconds))
        assert outcome.state == "failed" and outcome.error.startswith("HTTP 500")
        source.refresh_from_db()
        backoffs.append(source.backoff_s)
    assert backoffs == [120.0, 240.0, 480.0, 900.0, 900.0]  # interval x 2^failures, capped
    assert source.consecutive_failures == 5

    health = sources_health(now=t0 + timedelta(seconds=3600), settings=SETTINGS)[0]
    assert health.status == "red"
    assert "Silent" in health.reason and "HTTP 500" in health.reason
    alarms = OperatorNotification.objects.filter(subject=f"source-silent:{source.pk}")
    assert alarms.count() == 1
    assert alarms.get().resolved_at is None
    assert "USGS significant" in alarms.get().message

    feed.status, feed.body, feed.etag = 200, summary(SAREZ_REVISED, RASHT, SAREZ, ILLAPEL), '"v2"'
    [outcome] = poll_due(client, t0 + timedelta(seconds=4500))
    assert (outcome.state, outcome.new_origins, outcome.duplicates) == ("received", 2, 2)
    assert Origin.objects.count() == 4
    assert SeismicEvent.objects.count() == 3
    assert (
        SeismicEvent.objects.get(origins__agency_event_id="us10004ff1", origins__magnitude=7.4).magnitude
        == 7.4
    )
    assert alarms.get().resolved_at is not None
    health = sources_health(now=t0 + timedelta(seconds=4500), settings=SETTINGS)[0]
    assert health.status == "green"
    source.refresh_from_db()
    assert (source.consecutive_failures, source.backoff_s, source.etag) == (0, 0.0, '"v2"')


def test_silence_is_noticed_between_polls_and_reported_once(feed, client):
    t0 = timezone.now()
    source = source_for(feed)
    feed.status = 503
    poll_due(client, t0)  # fails, next try in 120 s
    for seconds in (200, 210, 220):  # beyond 3 intervals, no poll due: the check alone raises the alarm
        poll_due(client, t0 + timedelta(seconds=seconds))
    assert len(feed.requests) == 2  # 0 s and the retry due at 120 s
    assert OperatorNotification.objects.filter(source=source, resolved_at__isnull=True).count() == 1


def test_truncated_document_is_a_failure_and_its_etag_is_not_kept(feed, client):
    source = source_for(feed)
    feed.body, feed.etag = summary(SAREZ, RASHT)[:-40], '"broken"'
    outcome = source_poll(source, client=client, settings=SETTINGS)
    assert outcome.state == "failed"
    assert "document rejected: not valid JSON" in outcome.error
    source.refresh_from_db()
    assert source.etag == ""
    assert source.consecutive_failures == 1
    assert not Origin.objects.exists()


def test_bad_items_are_rejected_and_the_source_turns_amber(feed, client):
    absurd = feature("99999999", datetime(2021, 7, 10, 2, 14, 43, tzinfo=UTC), 200.0, 70.5, 12.0, 5.7)
    feed.body = summary(absurd, RASHT)
    source = source_for(feed)
    now = timezone.now()
    outcome = source_poll(source, client=client, settings=SETTINGS, now=now)
    assert (outcome.state, outcome.new_origins, outcome.rejected) == ("received", 1, 1)
    [health] = sources_health(now=now, settings=SETTINGS)
    assert health.status == "amber"
    assert "us99999999: latitude 200 is outside [-90, 90]" in health.reason


def test_a_slow_server_times_out(feed):
    feed.delay_s, feed.body = 1.0, summary(RASHT)
    source = source_for(feed)
    with httpx.Client(timeout=httpx.Timeout(0.2)) as impatient:
        outcome = source_poll(source, client=impatient, settings=PollingSettings(timeout_s=0.2))
    assert outcome.state == "failed"
    assert "no answer within 0.2 s" in outcome.error


def test_unreachable_source_is_a_failure_with_the_reason(client):
    source = Source.objects.create(
        name="gone", kind="fdsn_text", url="http://127.0.0.1:9/fdsnws/event/1/query"
    )
    outcome = source_poll(source, client=client, settings=SETTINGS)
    assert outcome.state == "failed"
    assert "ConnectError" in outcome.error


def test_disabled_source_is_not_polled_and_shows_amber(feed, client):
    source_for(feed, enabled=False)
    assert poll_due(client, timezone.now()) == []
    assert feed.requests == []
    assert sources_health(settings=SETTINGS)[0].status == "amber"


def test_new_source_waits_amber_then_turns_red_if_never_answered():
    source = Source.objects.create(name="new", kind="quakeml", url="http://127.0.0.1:9/")
    assert sources_health(settings=SETTINGS)[0].reason == "Waiting for the first poll."
    later = source.created_at + timedelta(seconds=181)
    red = sources_health(now=later, settings=SETTINGS)[0]
    assert red.status == "red"
    assert "since it was added" in red.reason


def test_polling_settings_from_environment():
    settings = PollingSettings.from_environment({"HUSHDOR_FEED_SILENT_INTERVALS": "5"})
    assert settings.silent_intervals == 5
    assert settings.timeout_s == 10.0


def test_the_poll_job_is_registered_with_the_worker():
    assert "monitoring.poll_sources" in {job.name for job in jobs()}
