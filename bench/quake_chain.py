"""Earthquake chain latency: feed bytes received → signed CAP alert issued and visible in /cap/feed.atom.

A local HTTP server (a thread on 127.0.0.1) serves a USGS GeoJSON summary feed; each poll returns one
new earthquake inside Tajikistan (seeded random epicentre, M 5.8–7.0, depth 5–35 km: every one is
above the warning threshold, so every one is issued). For each event the bench fetches the feed with
httpx, then times the stages the worker runs, on SQLite (a fresh database under a temporary folder):

    fetch      GET of the feed (reported, not part of the latency: the clock starts when the bytes are in)
    parse      hushdor.feeds.seismic.parse_feed
    associate  monitoring origin_receive (one transaction), less the assessment its after-commit
               chain hook runs
    assess     the impact assessment of the preferred origin (chain.assessment_run, stored as an
               Assessment with its contours)
    compose    the warning policy, texts and areas (quake_warning_for_event minus the issuing)
    issue      alert_issue_automatic: validate, sign, store, bump the feed version
    feed       GET /cap/feed.atom through Django's test client, from the moment origin_receive returns,
               until the identifier is in it

The clock stops there. assess, compose and issue run inside origin_receive (the chain's after-commit
hook); the bench wraps them to time each. The hook no longer draws the PNG shakemap: the worker job
``monitoring.render_shakemaps`` does, later. The bench then runs that job's work
(``shakemaps_render_pending``) and reports it apart as ``shakemap_ms`` (not in the latency).

Then ``--pairs`` feed documents each carry two new events at once (a main shock and a large
aftershock, or two agencies' events): ``pairs.both_warnings_ms`` is the time from their bytes to both
signed alerts being in the feed — the second warning no longer waits behind the first one's picture.

Baseline, measured on the same bytes in the same run: ``json.loads``. Target: p99 ≤ 1,000 ms.
The first ``--warmup`` events (loading the exposure grid, first contouring) are not counted.

    python bench/quake_chain.py [--json] [-n 50] [--warmup 3] [--pairs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

TARGET_P99_MS = 1000.0
STAGES = ("parse", "associate", "assess", "compose", "issue", "feed")


def _django(folder: Path) -> None:
    os.environ["HUSHDOR_VAR_DIR"] = str(folder)
    os.environ["HUSHDOR_DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hushdor.settings")
    os.environ.setdefault("HUSHDOR_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Feed:
    """The document the server answers with; the bench replaces it before each poll."""

    def __init__(self) -> None:
        self.document = b'{"type":"FeatureCollection","features":[]}'


def _server(feed: Feed) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = feed.document
            self.send_response(200)
            self.send_header("Content-Type", "application/geo+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _events(count: int, seed: int = 20151207) -> list[dict]:
    from hushdor.apps.monitoring.replay import ReplayEvent, usgs_feature

    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    features = []
    for index in range(count):
        event = ReplayEvent(
            key=f"bench-{index}",
            name=f"bench {index}",
            time=start + timedelta(hours=index),
            latitude=round(rng.uniform(37.6, 39.6), 3),
            longitude=round(rng.uniform(68.5, 73.5), 3),
            depth_km=round(rng.uniform(5.0, 35.0), 1),
            magnitude=round(rng.uniform(5.8, 7.0), 1),
            place="bench event, Tajikistan",
        )
        features.append(usgs_feature(event, event_id=f"bench{index:04d}", status="reviewed"))
    return features


def run(count: int, warmup: int, pairs: int) -> dict:
    import httpx
    from django.test import Client

    from hushdor.apps.monitoring.models import Source
    from hushdor.apps.monitoring.replay import usgs_document
    from hushdor.apps.monitoring.services import chain, quake_warning
    from hushdor.apps.monitoring.services.association import origin_receive
    from hushdor.apps.monitoring.services.shakemaps import shakemaps_render_pending
    from hushdor.feeds.seismic import parse_feed

    clocks: dict[str, list[float]] = {"assess": [], "warning": [], "issue": []}
    outcomes: list = []
    client = Client()

    def timed(function, clock: str, keep=None):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
                if keep is not None:
                    keep.append(result)
                return result
            finally:
                clocks[clock].append((time.perf_counter() - started) * 1000.0)

        return wrapper

    def visible(identifiers: list[str]) -> float:
        """Read /cap/feed.atom until every identifier is in it; the moment it is."""
        while not all(
            identifier.encode() in client.get("/cap/feed.atom").content for identifier in identifiers
        ):
            pass
        return time.perf_counter()

    def issued_identifiers(index: int) -> list[str]:
        if not outcomes or any(outcome.state != "issued" for outcome in outcomes):
            raise SystemExit(f"event {index} was not issued: {[outcome.state for outcome in outcomes]}")
        return [outcome.identifier for outcome in outcomes]

    def shakemaps(expected: int) -> float:
        """The worker job's work, after the alerts are out: draw the pending shakemaps (ms)."""
        started = time.perf_counter()
        drawn = shakemaps_render_pending(budget_s=None).drawn
        if drawn != expected:
            raise SystemExit(f"the shakemap job drew {drawn} shakemap(s), not {expected}")
        return (time.perf_counter() - started) * 1000.0

    # The chain's after-commit hook (inside origin_receive) assesses and warns: time each step apart
    # from association.
    chain.assessment_run = timed(chain.assessment_run, "assess")
    quake_warning.assessment_run = chain.assessment_run
    chain.quake_warning_for_event = timed(chain.quake_warning_for_event, "warning", outcomes)
    quake_warning.alert_issue_automatic = timed(quake_warning.alert_issue_automatic, "issue")
    feed = Feed()
    server = _server(feed)
    url = f"http://127.0.0.1:{server.server_address[1]}/summary/all_hour.geojson"
    source = Source.objects.create(name="bench USGS", kind="usgs_geojson", url=url, agency="USGS")
    http = httpx.Client(timeout=10.0)
    features = _events(count + warmup + 2 * pairs)
    rows, baseline, pair_rows = [], [], []
    for index, batch in enumerate(
        [[feature] for feature in features[: count + warmup]]
        + [features[count + warmup + 2 * k : count + warmup + 2 * k + 2] for k in range(pairs)]
    ):
        feed.document = usgs_document(batch)
        started = time.perf_counter()
        body = http.get(url).content
        received = time.perf_counter()
        for clock in clocks.values():
            clock.clear()
        outcomes.clear()
        parsed = parse_feed(source.kind, body, agency=source.agency)
        parsed_at = time.perf_counter()
        for report in parsed.reports:  # as the poller does: one origin_receive (and its hook) per item
            origin_receive(report, source=source)
        received_at = time.perf_counter()
        feed_at = visible(issued_identifiers(index))
        shakemap_ms = shakemaps(len(batch))
        if len(batch) == 2:
            pair_rows.append({"second_warning": (feed_at - received) * 1000.0, "shakemaps": shakemap_ms})
            continue

        loads_started = time.perf_counter()
        json.loads(body)
        loads_ms = (time.perf_counter() - loads_started) * 1000.0
        if index < warmup:
            continue
        assess_ms, warning_ms, issue_ms = (sum(clocks[name]) for name in ("assess", "warning", "issue"))
        rows.append(
            {
                "fetch": (received - started) * 1000.0,
                "parse": (parsed_at - received) * 1000.0,
                "associate": (received_at - parsed_at) * 1000.0 - assess_ms - warning_ms,
                "assess": assess_ms,
                "compose": warning_ms - issue_ms,
                "issue": issue_ms,
                "feed": (feed_at - received_at) * 1000.0,
                "total": (feed_at - received) * 1000.0,
                "shakemap_ms": shakemap_ms,
            }
        )
        baseline.append(loads_ms)
    server.shutdown()
    totals = np.array([row["total"] for row in rows])
    baseline_p50 = float(np.percentile(baseline, 50))
    p50, p99 = float(np.percentile(totals, 50)), float(np.percentile(totals, 99))
    return {
        "n": len(rows),
        "p50_ms": round(p50, 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(float(totals.max()), 1),
        "target_p99_ms": TARGET_P99_MS,
        "meets_target": p99 <= TARGET_P99_MS,
        "stages_ms": {stage: _percentiles([row[stage] for row in rows]) for stage in ("fetch", *STAGES)},
        "shakemap_ms": _percentiles([row["shakemap_ms"] for row in rows]),
        "pairs": {
            "n": len(pair_rows),
            "what": "two new events in one feed document: bytes in -> both signed CAP alerts in the feed",
            "both_warnings_ms": _percentiles([row["second_warning"] for row in pair_rows]),
            "both_shakemaps_ms": _percentiles([row["shakemaps"] for row in pair_rows]),
        },
        "baseline": {"what": "json.loads of the same feed bytes", "p50_ms": round(baseline_p50, 4)},
        "ratio_p50_to_baseline": round(p50 / baseline_p50, 0) if baseline_p50 else None,
        "database": "sqlite",
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "p50": round(float(np.percentile(values, 50)), 2),
        "p99": round(float(np.percentile(values, 99)), 2),
    }


def main() -> int:
    arguments = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    arguments.add_argument("--json", action="store_true")
    arguments.add_argument("-n", type=int, default=50, help="events measured (at least 50 for the record)")
    arguments.add_argument("--warmup", type=int, default=3)
    arguments.add_argument("--pairs", type=int, default=10, help="feed documents carrying two new events")
    options = arguments.parse_args()
    with tempfile.TemporaryDirectory(prefix="hushdor-bench-") as folder:
        _django(Path(folder))
        figures = run(options.n, options.warmup, options.pairs)
    if options.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"earthquake chain latency over {figures['n']} events on SQLite")
        print(
            f"  p50 {figures['p50_ms']} ms   p99 {figures['p99_ms']} ms   (target p99 ≤ {TARGET_P99_MS:.0f} ms)"
        )
        for stage, values in [*figures["stages_ms"].items(), ("shakemap", figures["shakemap_ms"])]:
            print(f"  {stage:<10} p50 {values['p50']:>8.2f} ms   p99 {values['p99']:>8.2f} ms")
        pairs = figures["pairs"]
        if pairs["n"]:
            both = pairs["both_warnings_ms"]
            print(
                f"  two events in one document ({pairs['n']}×): both warnings p50 {both['p50']} ms, p99 {both['p99']} ms"
            )
        print(
            f"  baseline json.loads p50 {figures['baseline']['p50_ms']} ms; ratio {figures['ratio_p50_to_baseline']}×"
        )
    return 0 if figures["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
