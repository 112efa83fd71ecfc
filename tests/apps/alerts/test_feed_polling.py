"""The CAP feed poller against real HTTP servers on 127.0.0.1 (random ports): concurrent index and
document fetches, conditional GET, size limit, backoff with jitter, recovery without duplicates."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from tests.apps.alerts.test_ingest import foreign
from tests.worker.http_server import FeedServer

from hushdor.apps.alerts.models import CapFeedSource, ExternalAlert
from hushdor.apps.alerts.services.feeds import CapPollSettings, cap_feeds_poll_due
from hushdor.cap.feeds import FeedEntry, atom_feed
from hushdor.cap.signing import generate_self_signed, sign
from hushdor.worker.fetch import Backoff, FetchLimits

pytestmark = pytest.mark.django_db

STEADY = CapPollSettings(backoff=Backoff(cap_s=6 * 3600.0, jitter=0.0))


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def publish(server, feed_path: str, identifiers: list[str], **document_fields) -> dict[str, object]:
    """Serve an Atom index at ``feed_path`` linking one CAP document per identifier; returns the routes."""
    entries = []
    routes = {}
    for identifier in identifiers:
        path = f"/cap/{identifier}.xml"
        routes[identifier] = server.route(path, body=foreign(identifier), **document_fields)
        entries.append(
            FeedEntry(identifier=identifier, headline="Heavy snow", sent=timezone.now(), url=server.url(path))
        )
    index = atom_feed(
        entries, feed_id=server.url("/"), title="KZ", updated=timezone.now(), self_url=server.url(feed_path)
    ).content
    server.route(feed_path, body=index, content_type="application/atom+xml")
    return routes


def source_at(server, path: str, name: str = "KZ", **fields) -> CapFeedSource:
    return CapFeedSource.objects.create(name=name, url=server.url(path), **fields)


def test_the_poller_ingests_new_alerts_and_uses_conditional_get(server):
    publish(server, "/feed.atom", ["KZ-11", "KZ-12"])
    server.route("/feed.atom", etag='"v1"')
    source = source_at(server, "/feed.atom")
    now = timezone.now()
    assert "2 alert(s) accepted" in cap_feeds_poll_due(now=now, settings=STEADY)
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_success_at == now and source.consecutive_failures == 0
    assert "0 feed(s)" in cap_feeds_poll_due(now=now + timedelta(seconds=10))  # not due yet
    assert "0 alert(s) accepted, 0 failed" in cap_feeds_poll_due(now=now + timedelta(seconds=300))
    index = server.routes["/feed.atom"]
    assert [request.get("If-None-Match") for request in index.requests] == [None, '"v1"']
    assert ExternalAlert.objects.count() == 2


def test_the_poller_backs_off_exponentially_up_to_the_cap_and_records_the_error(server):
    server.route("/down.atom", status=503)
    source = source_at(server, "/down.atom", poll_interval_s=600)
    now = timezone.now()
    waits = []
    for _ in range(7):
        cap_feeds_poll_due(now=now, settings=STEADY)
        source.refresh_from_db()
        waits.append((source.next_poll_at - now).total_seconds())
        now = source.next_poll_at
    assert waits == [1200.0, 2400.0, 4800.0, 9600.0, 19200.0, 21600.0, 21600.0]  # 600 s x 2^n, 6 h cap
    assert source.consecutive_failures == 7
    assert source.last_error == f"{source.url}: HTTP 503 Service Unavailable"


def test_jitter_takes_a_random_share_off_the_wait_but_never_adds_to_it(server):
    server.route("/down.atom", status=503)
    sources = [source_at(server, "/down.atom", name=f"KZ {n}", poll_interval_s=60) for n in range(1)]
    sources += [
        CapFeedSource.objects.create(name=f"KZ {n}", url=server.url(f"/down.atom?copy={n}"))
        for n in range(1, 8)
    ]
    CapFeedSource.objects.update(poll_interval_s=60)
    now = timezone.now()
    cap_feeds_poll_due(now=now, settings=CapPollSettings(backoff=Backoff(cap_s=3600.0, jitter=0.5)))
    waits = [(s.next_poll_at - now).total_seconds() for s in CapFeedSource.objects.all()]
    assert all(60.0 <= wait <= 120.0 for wait in waits)
    assert len(set(waits)) > 1  # feeds that failed together do not retry in lockstep


def test_a_slow_feed_does_not_delay_a_fast_one(server):
    server.route("/slow.atom", delay_s=3.0)
    publish(server, "/fast.atom", ["KZ-21"])
    slow = source_at(server, "/slow.atom", name="A slow")
    fast = source_at(server, "/fast.atom", name="B fast")
    impatient = CapPollSettings(limits=FetchLimits(read_timeout_s=1.0, deadline_s=5.0))
    started = time.monotonic()
    summary = cap_feeds_poll_due(now=timezone.now(), settings=impatient)
    assert time.monotonic() - started < 2.5
    assert server.routes["/fast.atom"].arrivals[0] - started < 0.5
    assert summary == "2 feed(s) polled, 1 alert(s) accepted, 1 failed"
    slow.refresh_from_db()
    fast.refresh_from_db()
    assert slow.last_error == f"{slow.url}: no answer within 1 s" and slow.last_success_at is None
    assert fast.last_success_at is not None and ExternalAlert.objects.get().identifier == "KZ-21"


def test_documents_are_fetched_concurrently_but_at_most_n_at_a_time_per_feed(server):
    identifiers = [f"KZ-3{n}" for n in range(6)]
    publish(server, "/feed.atom", identifiers, delay_s=0.3)
    source_at(server, "/feed.atom")
    started = time.monotonic()
    summary = cap_feeds_poll_due(now=timezone.now(), settings=CapPollSettings(per_feed_concurrency=2))
    elapsed = time.monotonic() - started
    assert summary == "1 feed(s) polled, 6 alert(s) accepted, 0 failed"
    assert server.most_in_flight == 2
    assert 0.9 <= elapsed < 1.5  # three waves of two: not all six at once (0.3 s), nor in a row (1.8 s)


def test_an_oversized_document_is_named_and_retried_without_duplicates(server):
    routes = publish(server, "/feed.atom", ["KZ-41", "KZ-42"])
    server.route("/feed.atom", etag='"v1"')
    routes["KZ-42"].body = routes["KZ-42"].body + b" " * 20_000
    source = source_at(server, "/feed.atom")
    small = CapPollSettings(limits=FetchLimits(max_bytes=16_000))
    now = timezone.now()
    assert "1 alert(s) accepted, 0 failed" in cap_feeds_poll_due(now=now, settings=small)
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.last_success_at == now
    assert "1 linked CAP document(s) not fetched" in source.last_error
    assert "larger than the limit of 16,000 bytes" in source.last_error
    assert source.etag == ""  # so the next poll reads the index again

    routes["KZ-42"].body = foreign("KZ-42")
    later = now + timedelta(seconds=source.poll_interval_s)
    assert "1 alert(s) accepted" in cap_feeds_poll_due(now=later, settings=small)
    assert sorted(ExternalAlert.objects.values_list("identifier", flat=True)) == ["KZ-41", "KZ-42"]
    assert len(routes["KZ-41"].requests) == 1  # the stored alert is not fetched again
    source.refresh_from_db()
    assert source.etag == '"v1"'


def test_a_feed_outage_catches_up_on_recovery_without_duplicates(server):
    routes = publish(server, "/feed.atom", ["KZ-51"])
    server.route("/feed.atom", last_modified="Sat, 28 Nov 2026 10:00:00 GMT")
    source = source_at(server, "/feed.atom", poll_interval_s=60)
    now = timezone.now()
    cap_feeds_poll_due(now=now, settings=STEADY)
    server.route("/feed.atom", status=500)
    for _ in range(2):
        now += timedelta(seconds=3600)
        assert "1 failed" in cap_feeds_poll_due(now=now, settings=STEADY)
    source.refresh_from_db()
    assert source.consecutive_failures == 2

    routes.update(publish(server, "/feed.atom", ["KZ-51", "KZ-52", "KZ-53"]))
    server.route("/feed.atom", status=200, last_modified="Sat, 28 Nov 2026 11:00:00 GMT")
    now += timedelta(seconds=3600)
    assert "2 alert(s) accepted, 0 failed" in cap_feeds_poll_due(now=now, settings=STEADY)
    assert ExternalAlert.objects.count() == 3
    assert len(routes["KZ-51"].requests) == 1
    index = server.routes["/feed.atom"]
    assert index.requests[-1]["If-Modified-Since"] == "Sat, 28 Nov 2026 10:00:00 GMT"
    source.refresh_from_db()
    assert (source.consecutive_failures, source.last_modified) == (0, "Sat, 28 Nov 2026 11:00:00 GMT")

    now += timedelta(seconds=60)
    assert "0 alert(s) accepted, 0 failed" in cap_feeds_poll_due(now=now, settings=STEADY)  # 304
    assert index.requests[-1]["If-Modified-Since"] == "Sat, 28 Nov 2026 11:00:00 GMT"


def test_a_bad_trust_folder_fails_the_feed_with_the_reason(server, tmp_path, monkeypatch):
    monkeypatch.setenv("HUSHDOR_CAP_TRUSTED_CERTS", str(tmp_path / "nowhere"))
    signed = sign(foreign("KZ-T9"), *generate_self_signed("impostor.example.org"))
    server.route("/alert.xml", body=signed, content_type="application/cap+xml")
    source = source_at(server, "/alert.xml")
    assert "1 failed" in cap_feeds_poll_due(now=timezone.now(), settings=STEADY)
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and "not a folder" in source.last_error
    assert not ExternalAlert.objects.exists()
