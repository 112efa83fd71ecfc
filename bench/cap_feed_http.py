"""Serve the public Atom CAP feed with 1,000 active alerts and load it from a second process.

What it measures (issue "Warnings", benchmarks): requests/s and latency percentiles of
`/cap/feed.atom` served by the same server `hushdor run` starts (gunicorn, 2 workers), loaded by
Debian's `wrk` on loopback; the baseline in the same run is a static file of the same bytes served by the
same server (WhiteNoise), so the ratio says how close the feed comes to the cheapest thing that server can do.

    .venv/bin/python bench/cap_feed_http.py [--alerts 1000] [--seconds 8] [--connections 16] [--json]

Needs `wrk` (Debian package `wrk`; `make bench` installs it when missing and run as root).
Targets: >= 1,000 requests/s with p99 < 50 ms on the 2-core machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

POPULATE = r"""
import sys, django
django.setup()
from datetime import timedelta
from django.utils import timezone
from hushdor.apps.alerts.services import alert_issue_automatic
from hushdor.apps.alerts.services.drafts import AreaDraft, InfoDraft
n = int(sys.argv[1])
now = timezone.now()
for i in range(n):
    lat, lon = 37.0 + (i % 40) * 0.1, 68.0 + (i // 40) * 0.2
    info = InfoDraft(language="en", event="Earthquake", urgency="Immediate", severity="Severe",
                     certainty="Observed", headline=f"Strong earthquake shaking near site {i}",
                     description="Strong shaking was felt. Damage to weak buildings is likely.",
                     instruction="Stay outside buildings. Keep away from damaged walls and slopes.",
                     expires=now + timedelta(days=2))
    area = AreaDraft(kind="circle", description=f"Within 30 km of site {i}", circle=(lat, lon), radius_km=30.0)
    alert = alert_issue_automatic(hazard="earthquake", severity="Severe", infos=[info], areas=[area],
                                  trigger=f"bench:{i}")
    assert alert.state == "issued", alert.state
print(n)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, *, seconds: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    percentiles = {}
    for label, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        percentiles[f"p{label}_ms"] = round(float(value) * scale, 3)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"requests_per_s": rps, **percentiles, "non_2xx": int(errors.group(1)) if errors else 0}


@contextlib.contextmanager
def serve(env: dict, threads: int):
    """gunicorn as `hushdor run` starts it (2 workers), on a free loopback port."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "hushdor.wsgi:application",
                               "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", str(threads),
                               "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (hushdor run uses 4)")
    parser.add_argument("--workdir", default=None, help="keep the database here and reuse it on the next run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("bench/cap_feed_http.py: `wrk` is not installed (Debian package wrk)", file=sys.stderr)
        return 2
    keep = args.workdir is not None
    work = Path(args.workdir) if keep else Path(tempfile.mkdtemp(prefix="hushdor-bench-feed-"))
    work.mkdir(parents=True, exist_ok=True)
    reuse = keep and (work / "bench.sqlite3").exists()
    env = {**os.environ, "HUSHDOR_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "hushdor.settings",
           "HUSHDOR_DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}", "HUSHDOR_LOG_LEVEL": "WARNING"}
    python = sys.executable
    started = time.perf_counter()
    subprocess.run([python, "-m", "hushdor.cli", "migrate", "-v", "0"], env=env, check=True)
    if not reuse:
        subprocess.run([python, "-c", POPULATE, str(args.alerts)], env=env, check=True, stdout=subprocess.DEVNULL)
    populate_s = time.perf_counter() - started
    # The baseline: a static file of the same size as the feed, served by the same server (WhiteNoise).
    static_dir = work / "static"
    (static_dir / "bench").mkdir(parents=True, exist_ok=True)
    env["HUSHDOR_STATIC_ROOT"] = str(static_dir)
    try:
        with serve(env, args.threads) as base:
            feed = urllib.request.urlopen(f"{base}/cap/feed.atom", timeout=30).read()
        (static_dir / "bench" / "feed-copy.xml").write_bytes(feed)
        entries = feed.count(b"<entry")
        with serve(env, args.threads) as base:
            urllib.request.urlopen(f"{base}/cap/feed.atom", timeout=30).read()
            urllib.request.urlopen(f"{base}/cap/feed.atom", timeout=30).read()
            static = wrk(f"{base}/static/bench/feed-copy.xml", seconds=args.seconds, connections=args.connections)
            atom = wrk(f"{base}/cap/feed.atom", seconds=args.seconds, connections=args.connections)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    result = {
        "alerts_issued": args.alerts,
        "populate_s": round(populate_s, 1),
        "feed_entries": entries,
        "feed_bytes": len(feed),
        "feed": atom,
        "baseline_static": static,
        "ratio_feed_to_static_rps": round(atom["requests_per_s"] / static["requests_per_s"], 3),
        "targets_met": atom["requests_per_s"] >= 1000 and atom.get("p99_ms", 1e9) < 50 and atom["non_2xx"] == 0,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
