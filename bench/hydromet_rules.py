"""Benchmark: quality control and every hydromet rule over 1,000,000 observations from 1,000 stations.

    .venv/bin/python bench/hydromet_rules.py [--json] [--observations 1000000] [--stations 1000] [--runs 5]

Synthetic hourly series (seeded): per station 1,000 hours of one variable — rain (showers with dry
spells), river level, snow depth with temperature, or lake level — with a few storms that cross the
thresholds, so the rules do real work. Timed: ``run_rules`` (QC → mudflow, rate of rise, avalanche,
lake rules → triggers), median of ``--runs`` after a warm-up, excluding parsing. Baseline in the same
run: one numpy pass that only sorts the same columns (``ObservationSet.from_columns``), the floor any
vectorised rule engine pays; ``ratio`` = rules time ÷ that.

Ingest (``--ingest-observations``, default 50,000): a fresh SQLite database under a temporary folder,
10 stations, hourly rain pushed in batches of 5,000 rows through ``POST /hydromet/push`` (the Django
test client: the real view, token check, parser, INSERTs, QC and rules over the last 72 h, without a
socket), against a bare ``bulk_create`` of the same number of Observation rows into the same database
(``ratio_to_insert`` = ingest ÷ bare insert).

Printed: ``{"observations", "rules_obs_per_s", "ingest_obs_per_s", "baseline_insert_obs_per_s",
"ratio_to_insert", "baseline_sort_obs_per_s", "ratio_to_sort", "triggers", "load_average"}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numpy as np

from hushdor.science.hydromet.observations import VARIABLE_CODE, ObservationSet
from hushdor.science.hydromet.rules import run_rules

T0 = 1_437_004_800  # 2015-07-16T00:00Z


def synthetic(observations: int, stations: int, seed: int = 7) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    hours = observations // stations
    station = np.repeat(np.arange(stations), hours)
    t = np.tile(T0 + np.arange(hours) * 3600, stations)
    kind = station % 4
    names = ("precipitation_mm", "water_level_cm", "snow_depth_cm", "lake_level_m")
    variable = np.array([VARIABLE_CODE[names[k]] for k in range(4)], dtype=np.int8)[kind]
    step = np.arange(hours)
    storm = ((step % 240) > 200) & ((step % 240) < 212)
    rain = np.where(rng.random(hours * stations) < 0.15, rng.gamma(1.2, 1.5, hours * stations), 0.0)
    rain = rain + np.tile(np.where(storm, 6.0, 0.0), stations)
    level = 150 + 40 * np.sin(np.tile(step, stations) / 30.0) + np.tile(np.where(storm, 90.0, 0.0), stations)
    snow = 80 + np.cumsum(rng.random(hours * stations) < 0.05) % 200 * 0.5
    lake = 3263.0 + np.tile(step, stations) * 0.0006
    value = np.select([kind == 0, kind == 1, kind == 2], [rain, level, snow], lake)
    return station, variable, t, value


def ingest(observations: int) -> tuple[float, float]:
    """(pushed observations per second, bare bulk INSERT observations per second) on a fresh SQLite."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="hushdor-bench-")
    os.environ["HUSHDOR_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["HUSHDOR_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hushdor.settings")
    import django

    django.setup()
    from datetime import UTC, datetime, timedelta

    from django.core.management import call_command
    from django.test import Client

    from hushdor.apps.hydromet.models import Observation, Station
    from hushdor.apps.hydromet.services import station_token_create

    call_command("migrate", verbosity=0)
    stations, batch = 10, 5_000
    per_station = max(observations // stations, batch)
    client = Client()
    start_time = datetime(2015, 7, 1, tzinfo=UTC)
    rng = np.random.default_rng(3)
    pushed = 0
    started = time.perf_counter()
    for k in range(stations):
        Station.objects.create(code=f"BENCH-{k}", name=f"bench {k}", lat=38.5, lon=68.8)
        token = station_token_create(code=f"BENCH-{k}")
        rain = np.where(rng.random(per_station) < 0.15, rng.gamma(1.2, 1.5, per_station), 0.0)
        for first in range(0, per_station, batch):
            lines = ["time,variable,value"] + [
                f"{(start_time + timedelta(hours=h)).strftime('%Y-%m-%dT%H:%M:%SZ')},precipitation_mm,{rain[h]:.1f}"
                for h in range(first, min(first + batch, per_station))
            ]
            response = client.post(
                "/hydromet/push", data="\n".join(lines), content_type="text/csv", HTTP_AUTHORIZATION=f"Bearer {token}"
            )
            assert response.status_code == 200, response.content
            pushed += response.json()["accepted"]
    ingest_s = time.perf_counter() - started
    baseline_station = Station.objects.create(code="BENCH-BASELINE", name="baseline", lat=38.5, lon=68.8)
    rows = [
        Observation(station=baseline_station, variable=0, time=start_time + timedelta(hours=h), value=1.0)
        for h in range(pushed)
    ]
    started = time.perf_counter()
    Observation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    insert_s = time.perf_counter() - started
    return pushed / ingest_s, pushed / insert_s


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--stations", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ingest-observations", type=int, default=50_000, help="0: skip the ingest figure")
    args = parser.parse_args()
    columns = synthetic(args.observations, args.stations)
    names = tuple(f"S{k:04d}" for k in range(args.stations))
    observations = ObservationSet.from_columns(*columns, names)
    result = run_rules(observations)
    rules_s, sort_s = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        ObservationSet.from_columns(*columns, names)
        sort_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        run_rules(observations)
        rules_s.append(time.perf_counter() - start)
    ingest_rate, insert_rate = ingest(args.ingest_observations) if args.ingest_observations else (None, None)
    n = len(observations)
    rules = statistics.median(rules_s)
    sort = statistics.median(sort_s)
    document = {
        "observations": n,
        "rules_obs_per_s": round(n / rules),
        "rules_ms": round(rules * 1000, 1),
        "ingest_obs_per_s": round(ingest_rate) if ingest_rate else None,
        "baseline_insert_obs_per_s": round(insert_rate) if insert_rate else None,
        "ratio_to_insert": round(ingest_rate / insert_rate, 2) if ingest_rate else None,
        "baseline_sort_obs_per_s": round(n / sort),
        "ratio_to_sort": round(rules / sort, 2),
        "triggers": len(result.triggers),
        "flagged": int((result.flags.flag != 0).sum()),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(document) if args.json else json.dumps(document, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
