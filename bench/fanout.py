"""Benchmark: which of 1,000,000 subscribers does one Sarez-sized warning reach?

    .venv/bin/python bench/fanout.py [--json] [--subscribers 1000000] [--runs 7]

Subscribers are points placed by the modeled population grid (a person's home; seeded), jittered
inside their 30″ cell. The warning area is the Sarez 2015 M7.2 MMI ≥ V contour (the chain's own
assessment and contouring), as CAP carries it after simplification (~4,000 points in all rings).
Timed: the exact point-in-polygon test of every subscriber (``shapely.contains_xy`` on the prepared
area, vectorised in GEOS), median and p99 of ``--runs``, after the area is built. Baseline in the same
run: a numpy bounding-box filter of the same points (the floor of any vectorised test).

Printed: ``{"subscribers", "matched", "match_ms_p50", "match_ms_p99", "baseline_bbox_ms",
"ratio_to_bbox", "postgis_ms", "ratio_vs_postgis", "load_average"}``. PostGIS is not installed on this
machine kind (Debian ``postgresql-15-postgis-3`` is not part of the set-up), so ``postgis_ms`` is null.
This is the vectorised matcher the dissemination listener uses for point subscribers
(``hushdor.geo.area_match.reached_points``, which adds a circle test for points outside).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numpy as np
import shapely
from shapely.geometry import shape

from hushdor.geo import dataset
from hushdor.science.quake.contours import mmi_contours
from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import EarthquakeInput, assess


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    population = dataset.load_population()
    grid = population.grid
    rng = np.random.default_rng(11)
    cells = rng.choice(population.cell_index, size=args.subscribers, p=population.population / population.population.sum())
    lat, lon = grid.centres_of(cells)
    lat = lat + (rng.random(lat.size) - 0.5) * grid.resolution_deg
    lon = lon + (rng.random(lon.size) - 0.5) * grid.resolution_deg
    exposure = Exposure.bundled()
    half = 0.5 * exposure.grid.resolution_deg
    result = assess(EarthquakeInput(lat=38.211, lon=72.780, depth_km=22.0, mag=7.2), exposure)
    contours = mmi_contours(
        result.grid_mmi.reshape(exposure.grid.shape),
        west=exposure.grid.west + half,
        north=exposure.grid.north - half,
        resolution=exposure.grid.resolution_deg,
        levels=(5,),
        threshold_offset=-0.5,
    )
    area = shapely.simplify(shapely.union_all([shape(f["geometry"]) for f in contours["features"]]), 0.02)
    match_ms, bbox_ms, matched = [], [], 0
    for _ in range(args.runs):
        start = time.perf_counter()
        minx, miny, maxx, maxy = area.bounds
        in_box = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        assert in_box.any()
        bbox_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        shapely.prepare(area)
        hit = shapely.contains_xy(area, lon, lat)
        match_ms.append((time.perf_counter() - start) * 1000)
        shapely.destroy_prepared(area)
        matched = int(hit.sum())
    p50 = statistics.median(match_ms)
    document = {
        "subscribers": args.subscribers,
        "matched": matched,
        "area_points": int(shapely.get_num_coordinates(area)),
        "match_ms_p50": round(p50, 1),
        "match_ms_p99": round(float(np.percentile(match_ms, 99)), 1),
        "baseline_bbox_ms": round(statistics.median(bbox_ms), 1),
        "ratio_to_bbox": round(p50 / statistics.median(bbox_ms), 1),
        "postgis_ms": None,
        "ratio_vs_postgis": None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(document) if args.json else json.dumps(document, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
