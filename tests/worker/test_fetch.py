"""The concurrent fetcher on its own (no database), against a real HTTP server on 127.0.0.1."""

import pytest
from tests.worker.http_server import FeedServer

from hushdor.worker.fetch import Backoff, FetchLimits, FetchRequest, InvalidFetchSettings, fetch_all


@pytest.fixture(scope="module")
def server():
    with FeedServer() as running:
        running.route("/a", body=b"first", etag='"a1"')
        running.route("/b", body=b"second", last_modified="Sat, 28 Nov 2026 10:00:00 GMT")
        running.route("/gone", status=404)
        yield running


def test_results_come_back_in_the_order_asked_with_their_validators(server):
    urls = [server.url("/b"), server.url("/a"), server.url("/gone")]
    results = fetch_all([FetchRequest(url=url) for url in urls])
    assert [result.url for result in results] == urls
    assert [(r.state, r.body) for r in results] == [
        ("fetched", b"second"),
        ("fetched", b"first"),
        ("failed", b""),
    ]
    assert results[0].last_modified == "Sat, 28 Nov 2026 10:00:00 GMT" and results[1].etag == '"a1"'
    assert results[2].error == "HTTP 404 Not Found"


def test_a_matching_etag_is_not_modified_and_keeps_the_validators(server):
    [result] = fetch_all([FetchRequest(url=server.url("/a"), etag='"a1"', last_modified="x")])
    assert (result.state, result.body, result.etag, result.last_modified) == (
        "not_modified",
        b"",
        '"a1"',
        "x",
    )
    assert server.routes["/a"].requests[-1]["If-None-Match"] == '"a1"'


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/feed", "could not connect (ConnectError:"),
        ("ftp://example.org/feed", "not an http(s) URL: ftp://example.org/feed"),
        ("http://[::1/feed", "not a valid URL:"),
    ],
)
def test_unreachable_or_malformed_addresses_fail_with_a_plain_reason(url, reason):
    [result] = fetch_all([FetchRequest(url=url)])
    assert result.state == "failed" and result.error.startswith(reason)


def test_backoff_doubles_per_failure_up_to_the_cap_without_overflowing():
    steady = Backoff(cap_s=900.0, jitter=0.0)
    delays = [steady.delay_s(interval_s=60, failures=n) for n in (0, 1, 2, 3, 4, 10_000)]
    assert delays == [60.0, 120.0, 240.0, 480.0, 900.0, 900.0]


def test_jitter_only_shortens_the_wait():
    jittery = Backoff(cap_s=900.0, jitter=0.25)
    delays = [jittery.delay_s(interval_s=60, failures=2) for _ in range(200)]
    assert all(180.0 <= delay <= 240.0 for delay in delays)
    assert max(delays) - min(delays) > 20.0  # spread over the range, not one value


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Backoff(cap_s=0), "the backoff cap must be positive"),
        (lambda: Backoff(cap_s=60, jitter=1.0), "the backoff jitter must be in"),
        (lambda: FetchLimits(deadline_s=0), "deadline_s must be positive"),
        (lambda: FetchLimits(max_bytes=-1), "max_bytes must be positive"),
        (lambda: fetch_all([], concurrency=0), "concurrency limits must be at least 1"),
    ],
)
def test_settings_that_cannot_work_are_refused_by_name(make, message):
    with pytest.raises(InvalidFetchSettings, match=message):
        make()
