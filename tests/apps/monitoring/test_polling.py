"""Polling against real HTTP servers on 127.0.0.1 (random ports) serving USGS GeoJSON feeds."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from tests.worker.http_server import FeedServer

from hushdor.apps.monitoring.models import OperatorNotification, Origin, SeismicEvent, Source
from hushdor.apps.monitoring.selectors import sources_health
from hushdor.apps.monitoring.services import polling
from hushdor.apps.monitoring.services.polling import (
    PollingSettings,
    PollOutcome,
    source_poll,
    sources_claim_due,
    sources_poll,
    sources_poll_due,
)
from hushdor.feeds.seismic import parse_feed
from hushdor.worker.loop import run_job_once
from hushdor.worker.models import JobState
from hushdor.worker.registry import jobs

pytestmark = pytest.mark.django_db

SETTINGS = PollingSettings(timeout_s=2.0, silent_intervals=3, backoff_cap_s=900.0, backoff_jitter=0.0)


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


FEED_PATH = "/summary/significant_week.geojson"


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture
def feed(server):
    """The one feed most tests poll; ``feed.url`` is its address on the test server."""
    route = server.route(FEED_PATH)
    route.url = server.url(FEED_PATH)
    return route


def source_for(feed, name="USGS significant", kind="usgs_geojson", **fields):
    return Source.objects.create(
        name=name, kind=kind, url=feed.url, agency="USGS", poll_interval_s=60, **fields
    )


def poll_due(now, settings=SETTINGS):
    return sources_poll_due(settings=settings, now=now)


def test_feed_outage_backs_off_raises_one_alarm_and_catches_up_without_duplicates(feed):
    t0 = timezone.now()
    source = source_for(feed)
    feed.body, feed.etag = summary(SAREZ, RASHT), '"v1"'

    [outcome] = poll_due(t0)
    assert (outcome.state, outcome.new_origins) == ("received", 2)
    source.refresh_from_db()
    assert source.etag == '"v1"'
    assert source.next_poll_at == t0 + timedelta(seconds=60)
    assert [h.status for h in sources_health(now=t0, settings=SETTINGS)] == ["green"]

    assert poll_due(t0 + timedelta(seconds=30)) == []  # not due yet: no request
    assert len(feed.requests) == 1

    [outcome] = poll_due(t0 + timedelta(seconds=60))
    assert outcome.state == "not_modified"
    assert feed.requests[-1]["If-None-Match"] == '"v1"'

    feed.status = 500
    backoffs = []
    for seconds in (120, 360, 840, 1800, 3600):
        [outcome] = poll_due(t0 + timedelta(seconds=seconds))
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
    [outcome] = poll_due(t0 + timedelta(seconds=4500))
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


def test_silence_is_noticed_between_polls_and_reported_once(feed):
    t0 = timezone.now()
    source = source_for(feed)
    feed.status = 503
    poll_due(t0)  # fails, next try in 120 s
    for seconds in (200, 210, 220):  # beyond 3 intervals, no poll due: the check alone raises the alarm
        poll_due(t0 + timedelta(seconds=seconds))
    assert len(feed.requests) == 2  # 0 s and the retry due at 120 s
    assert OperatorNotification.objects.filter(source=source, resolved_at__isnull=True).count() == 1


def test_truncated_document_is_a_failure_and_its_etag_is_not_kept(feed):
    source = source_for(feed)
    feed.body, feed.etag = summary(SAREZ, RASHT)[:-40], '"broken"'
    outcome = source_poll(source, settings=SETTINGS)
    assert outcome.state == "failed"
    assert "document rejected: not valid JSON" in outcome.error
    source.refresh_from_db()
    assert source.etag == ""
    assert source.consecutive_failures == 1
    assert not Origin.objects.exists()


def test_bad_items_are_rejected_and_the_source_turns_amber(feed):
    absurd = feature("99999999", datetime(2021, 7, 10, 2, 14, 43, tzinfo=UTC), 200.0, 70.5, 12.0, 5.7)
    feed.body = summary(absurd, RASHT)
    source = source_for(feed)
    now = timezone.now()
    outcome = source_poll(source, settings=SETTINGS, now=now)
    assert (outcome.state, outcome.new_origins, outcome.rejected) == ("received", 1, 1)
    [health] = sources_health(now=now, settings=SETTINGS)
    assert health.status == "amber"
    assert "us99999999: latitude 200 is outside [-90, 90]" in health.reason


def test_a_slow_server_times_out(feed):
    feed.delay_s, feed.body = 1.0, summary(RASHT)
    source = source_for(feed)
    outcome = source_poll(source, settings=PollingSettings(timeout_s=0.2))
    assert outcome.state == "failed"
    assert "no answer within 0.2 s" in outcome.error


def test_unreachable_source_is_a_failure_with_the_reason():
    source = Source.objects.create(
        name="gone", kind="fdsn_text", url="http://127.0.0.1:9/fdsnws/event/1/query"
    )
    outcome = source_poll(source, settings=SETTINGS)
    assert outcome.state == "failed"
    assert "ConnectError" in outcome.error


def test_disabled_source_is_not_polled_and_shows_amber(feed):
    source_for(feed, enabled=False)
    assert poll_due(timezone.now()) == []
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


def events(count, start=datetime(2021, 7, 10, 2, 14, 43, tzinfo=UTC)):
    """``count`` distinct Tajik earthquakes a day apart, so that none joins another's event."""
    return [
        feature(f"7{index:07d}", start + timedelta(days=index), 38.9, 70.5, 12.0, 5.0 + 0.1 * index)
        for index in range(count)
    ]


def test_a_slow_source_does_not_delay_a_fast_one(server):
    slow = server.route("/slow.geojson", body=summary(ILLAPEL), delay_s=3.0)
    slow.url = server.url("/slow.geojson")
    fast = server.route("/fast.geojson", body=summary(RASHT, SAREZ))
    fast.url = server.url("/fast.geojson")
    slow_source = source_for(slow, name="A slow feed")  # polled first if polling were one after another
    fast_source = source_for(fast, name="B fast feed")
    impatient = PollingSettings(timeout_s=1.0, deadline_s=5.0, backoff_jitter=0.0)
    now = timezone.now()

    started = time.monotonic()
    outcomes = {o.source_id: o for o in poll_due(now, impatient)}
    elapsed = time.monotonic() - started

    assert fast.arrivals[0] - started < 0.5  # asked at once, not after the slow feed's timeout
    assert elapsed < 2.5  # the read timeout (1 s), not the slow feed's 3 s
    assert (outcomes[fast_source.pk].state, outcomes[fast_source.pk].new_origins) == ("received", 2)
    assert set(Origin.objects.values_list("source_id", flat=True)) == {fast_source.pk}
    fast_source.refresh_from_db()
    slow_source.refresh_from_db()
    assert fast_source.last_success_at == now and fast_source.consecutive_failures == 0
    assert outcomes[slow_source.pk].state == "failed"
    assert slow_source.last_error == "no answer within 1 s"
    assert (slow_source.last_success_at, slow_source.consecutive_failures) == (None, 1)


def test_five_sources_take_about_the_time_of_the_slowest_not_the_sum(server):
    delays = [0.3, 0.4, 0.5, 0.6, 0.7]
    for index, (delay, event) in enumerate(zip(delays, events(5), strict=True)):
        route = server.route(f"/feed{index}.geojson", body=summary(event), delay_s=delay)
        route.url = server.url(f"/feed{index}.geojson")
        source_for(route, name=f"feed {index}")

    started = time.monotonic()
    outcomes = poll_due(timezone.now())
    elapsed = time.monotonic() - started

    assert [outcome.state for outcome in outcomes] == ["received"] * 5
    assert SeismicEvent.objects.count() == 5
    assert max(delays) <= elapsed < 0.6 * sum(delays)


def test_a_document_that_trickles_past_the_deadline_is_abandoned(feed):
    body = summary(RASHT)
    feed.body, feed.chunk_bytes, feed.chunk_pause_s = body, max(1, len(body) // 20), 0.2  # 4 s in all
    source = source_for(feed)
    started = time.monotonic()
    outcome = source_poll(source, settings=PollingSettings(timeout_s=1.0, deadline_s=1.0))
    assert time.monotonic() - started < 2.0
    assert outcome.error == "no complete document within the deadline of 1 s"
    assert not Origin.objects.exists()


@pytest.mark.parametrize("declared", [True, False], ids=["declared length", "streamed without length"])
def test_an_oversized_document_is_rejected_with_the_reason(feed, declared):
    feed.body, feed.declare_length, feed.chunk_bytes = summary(*events(20)), declared, 1024
    source = source_for(feed)
    outcome = source_poll(source, settings=PollingSettings(max_bytes=4096, backoff_jitter=0.0))
    assert outcome.state == "failed"
    if declared:
        assert (
            outcome.error == f"document of {len(feed.body):,} bytes is larger than the limit of 4,096 bytes"
        )
    else:
        assert outcome.error.startswith(
            "document larger than the limit of 4,096 bytes (stopped reading after"
        )
    source.refresh_from_db()
    assert source.last_error == outcome.error and source.backoff_s == 120.0
    assert not Origin.objects.exists()


def test_last_modified_is_sent_back_and_304_counts_as_success(feed):
    feed.body, feed.last_modified = summary(RASHT), "Sat, 10 Jul 2021 02:30:00 GMT"
    source = source_for(feed)
    t0 = timezone.now()
    assert poll_due(t0)[0].new_origins == 1
    source.refresh_from_db()
    assert (source.last_modified, source.etag) == ("Sat, 10 Jul 2021 02:30:00 GMT", "")

    feed.status = 502
    assert poll_due(t0 + timedelta(seconds=60))[0].state == "failed"
    feed.status = 200
    [outcome] = poll_due(t0 + timedelta(seconds=180))
    assert outcome == PollOutcome(source_id=source.pk, state="not_modified")
    assert feed.requests[-1]["If-Modified-Since"] == "Sat, 10 Jul 2021 02:30:00 GMT"
    source.refresh_from_db()
    assert source.last_success_at == t0 + timedelta(seconds=180)
    assert (source.consecutive_failures, source.backoff_s) == (0, 0.0)
    assert source.next_poll_at == t0 + timedelta(seconds=240)
    assert Origin.objects.count() == 1


def test_backoff_grows_with_jitter_below_the_doubling_and_never_above_the_cap(server):
    jittery = PollingSettings(backoff_cap_s=900.0, backoff_jitter=0.5)
    sources = []
    for index in range(8):
        route = server.route(f"/down{index}", status=503)
        route.url = server.url(f"/down{index}")
        sources.append(source_for(route, name=f"down {index}"))
    now = timezone.now()
    waits: dict[int, list[float]] = {source.pk: [] for source in sources}
    for _ in range(6):
        for source, outcome in zip(sources, sources_poll(sources, settings=jittery, now=now), strict=True):
            assert outcome.error == "HTTP 503 Service Unavailable"
            waits[source.pk].append(source.backoff_s)
            assert source.next_poll_at == now + timedelta(seconds=source.backoff_s)
    nominal = [120.0, 240.0, 480.0, 900.0, 900.0, 900.0]
    for series in waits.values():
        assert all(n * 0.5 <= wait <= n for wait, n in zip(series, nominal, strict=True))
    first_retries = {series[0] for series in waits.values()}
    assert len(first_retries) > 1  # sources that failed together do not retry in lockstep


def test_one_source_failing_never_affects_another(server, monkeypatch):
    def parse_or_break(kind, body, agency=None):
        if kind == "quakeml":
            raise RuntimeError("parser bug")
        return parse_feed(kind, body, agency=agency)

    monkeypatch.setattr(polling, "parse_feed", parse_or_break)
    routes = {path: server.route(path, body=summary(RASHT)) for path in ("/good", "/wrong", "/broken")}
    for path, route in routes.items():
        route.url = server.url(path)
    good = source_for(routes["/good"], name="good")
    wrong = source_for(routes["/wrong"], name="wrong kind", kind="fdsn_text")
    broken = source_for(routes["/broken"], name="parser breaks", kind="quakeml")
    replay = Source.objects.create(name="replay", kind="usgs_geojson", url="replay://usgs")

    outcomes = {o.source_id: o for o in poll_due(timezone.now())}

    assert (outcomes[good.pk].state, outcomes[good.pk].new_origins) == ("received", 1)
    assert outcomes[wrong.pk].error.startswith("document rejected")
    assert outcomes[broken.pk].error == "the document could not be processed (RuntimeError: parser bug)"
    assert outcomes[replay.pk].error == "not an http(s) URL: replay://usgs"
    assert [s.consecutive_failures for s in Source.objects.order_by("name")] == [0, 1, 1, 1]


def test_a_second_worker_does_not_claim_sources_already_claimed(feed):
    source = source_for(feed)
    now = timezone.now()
    assert sources_claim_due(settings=SETTINGS, now=now) == [source]
    assert sources_claim_due(settings=SETTINGS, now=now) == []  # leased until the fetch deadline passed
    lease_end = now + timedelta(seconds=2 * (SETTINGS.connect_timeout_s + SETTINGS.deadline_s))
    assert sources_claim_due(settings=SETTINGS, now=lease_end) == [source]


def test_polling_settings_that_cannot_work_are_refused_with_their_name():
    with pytest.raises(ImproperlyConfigured, match="HUSHDOR_FEED_DEADLINE_S='soon' is not a number"):
        PollingSettings.from_environment({"HUSHDOR_FEED_DEADLINE_S": "soon"})
    with pytest.raises(ImproperlyConfigured, match="backoff jitter must be in \\[0, 1\\)"):
        PollingSettings.from_environment({"HUSHDOR_FEED_BACKOFF_JITTER": "1.5"})
    assert PollingSettings.from_environment({"HUSHDOR_FEED_BACKOFF_JITTER": "0"}).backoff_jitter == 0.0


def test_the_worker_job_polls_the_due_sources_and_summarises(feed):
    feed.body = summary(RASHT, SAREZ)
    source_for(feed)
    [job] = [job for job in jobs() if job.name == "monitoring.poll_sources"]
    assert run_job_once(job) is True
    assert (
        JobState.objects.get(name=job.name).last_summary == "1 polled, 2 new origin(s), 0 rejected, 0 failed"
    )
