"""Benchmark: quality control and every hydromet rule over 1,000,000 observations from 1,000 stations.

    .venv/bin/python bench/hydromet_rules.py [--json] [--observations 1000000] [--stations 1000] [--runs 5]

Synthetic hourly series (seeded): per station 1,000 hours of one variable — rain (showers with dry
spells), river level, snow depth with temperature, or lake level — with a few storms that cross the
thresholds, so the rules do real work. Timed: ``run_rules`` (QC → mudflow, rate of rise, avalanche,
lake rules → triggers), median of ``--runs`` after a warm-up, excluding parsing. Baseline in the same
run: one numpy pass that only sorts the same columns (``ObservationSet.from_columns``), the floor any
vectorised rule engine pays; ``ratio`` = rules time ÷ that.

Printed: ``{"observations", "rules_obs_per_s", "ingest_obs_per_s", "baseline_insert_obs_per_s",
"baseline_sort_obs_per_s", "ratio_to_sort", "triggers", "load_average"}``. The end-to-end ingest figures
(HTTP push endpoint → database → rules) need the hydromet app, which is not built yet: they print null.
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--stations", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
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
    n = len(observations)
    rules = statistics.median(rules_s)
    sort = statistics.median(sort_s)
    document = {
        "observations": n,
        "rules_obs_per_s": round(n / rules),
        "rules_ms": round(rules * 1000, 1),
        "ingest_obs_per_s": None,
        "baseline_insert_obs_per_s": None,
        "baseline_sort_obs_per_s": round(n / sort),
        "ratio_to_sort": round(rules / sort, 2),
        "triggers": len(result.triggers),
        "flagged": int((result.flags.flag != 0).sum()),
        "ingest": "not measured: the hydromet app (HTTP push endpoint, database) is not built yet",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(document) if args.json else json.dumps(document, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
