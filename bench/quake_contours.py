"""Benchmark: MMI contours V–X on the full 30″ grid against a 60″ grid (every second row and column).

    .venv/bin/python bench/quake_contours.py [--json] [--runs 7]

For a few events over the whole 948 × 540 grid box: the time of ``mmi_contours`` (levels V–X, PAGER
binning: threshold level − 0.5, default half-cell simplification) on the 30″ field and on the 60″ one
(what the chain traced before issue 8, ``CONTOUR_STEP = 2``), alternating, median and minimum of
``--runs`` after a warm-up; then what the 30″ contours add:

* ``covered_people`` — the share of the population of the 30″ cells at or above each level
  (value ≥ level − 0.5) whose cell centre lies inside that level's polygons (30″ and 60″);
* ``area_ratio`` — the 60″ level's area over the 30″ level's;
* ``cap_shift_km`` — for the level's largest part, the Hausdorff distance between the CAP polygons
  made from the 30″ and from the 60″ contours (exterior → ``cap.geometry.repair_polygon``, ≤ 100
  points), beside ``cap_reduction_km``, how far that reduction itself moves the 30″ exterior.

The figures are the point; the script exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

import numpy as np
import shapely

from hushdor.cap.geometry import repair_polygon
from hushdor.science.quake.contours import mmi_contours
from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import EarthquakeInput, assess

EVENTS = {
    "Sarez M7.2 22 km": EarthquakeInput(lat=38.211, lon=72.780, depth_km=22.0, mag=7.2),
    "Dushanbe M6.8 15 km (scenario)": EarthquakeInput(lat=38.56, lon=68.79, depth_km=15.0, mag=6.8),
    "Rasht M6.5 10 km (scenario)": EarthquakeInput(lat=39.05, lon=70.55, depth_km=10.0, mag=6.5),
    "Hindu Kush M7.5 210 km": EarthquakeInput(lat=36.5, lon=70.9, depth_km=210.0, mag=7.5),
}
LEVELS = tuple(range(5, 11))  # the chain's CONTOUR_LEVELS
OFFSET = -0.5
KM_PER_DEGREE = 111.195  # 6371 km · π/180


def contour_field(field: np.ndarray, exposure: Exposure, step: int) -> dict[str, Any]:
    grid = exposure.grid
    half = 0.5 * grid.resolution_deg
    return mmi_contours(
        field[::step, ::step],
        west=grid.west + half,
        north=grid.north - half,
        resolution=grid.resolution_deg * step,
        levels=LEVELS,
        threshold_offset=OFFSET,
    )


def timed(function: Any) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000.0


def level_geometry(collection: dict[str, Any], level: int) -> Any:
    for feature in collection["features"]:
        if feature["properties"]["mmi"] == level:
            return shapely.geometry.shape(feature["geometry"])
    return shapely.MultiPolygon()


def cap_polygon(geometry: Any) -> Any:
    """The CAP polygon of the largest part, as the warning makes it (quake_message._cap_polygons)."""
    parts = sorted(shapely.get_parts(geometry), key=lambda part: -part.area)
    ring = tuple((round(lat, 4), round(lon, 4)) for lon, lat in parts[0].exterior.coords)
    repaired, _ = repair_polygon(ring)
    return shapely.Polygon([(lon, lat) for lat, lon in repaired]), shapely.Polygon(parts[0].exterior)


def km(distance_deg: float) -> float:
    """Degrees as km of latitude: an upper bound (a degree of longitude is shorter by cos φ)."""
    return distance_deg * KM_PER_DEGREE


def compare(field: np.ndarray, exposure: Exposure, fine: dict[str, Any], coarse: dict[str, Any]) -> dict:
    grid = exposure.grid
    lat, lon = grid.cell_centres()
    cells = exposure.cell_index
    cell_mmi = field.reshape(-1)[cells]
    rows = {}
    for level in LEVELS:
        above = cell_mmi >= level + OFFSET
        people = exposure.population[above]
        if people.sum() <= 0.0:
            continue
        x, y = lon[cells][above], lat[cells][above]
        row: dict[str, Any] = {"people_at_or_above": round(float(people.sum()))}
        geometries = {"30s": level_geometry(fine, level), "60s": level_geometry(coarse, level)}
        for name, geometry in geometries.items():
            inside = shapely.contains_xy(geometry, x, y) if not geometry.is_empty else np.zeros(x.size, bool)
            row[f"covered_people_{name}"] = round(float(people[inside].sum() / people.sum()), 4)
        if geometries["30s"].is_empty or geometries["60s"].is_empty:
            rows[str(level)] = row
            continue
        row["area_ratio_60s_to_30s"] = round(geometries["60s"].area / geometries["30s"].area, 4)
        cap_fine, exterior_fine = cap_polygon(geometries["30s"])
        cap_coarse, _ = cap_polygon(geometries["60s"])
        row["cap_points"] = [len(cap_fine.exterior.coords), len(cap_coarse.exterior.coords)]
        row["cap_shift_km"] = round(km(shapely.hausdorff_distance(cap_fine, cap_coarse)), 2)
        row["cap_reduction_km"] = round(km(shapely.hausdorff_distance(cap_fine, exterior_fine)), 2)
        rows[str(level)] = row
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    load_before = os.getloadavg()
    exposure = Exposure.bundled()
    document: dict[str, Any] = {"grid": list(exposure.grid.shape), "levels": list(LEVELS), "events": {}}
    for name, event in EVENTS.items():
        field = assess(event, exposure).grid_mmi.reshape(exposure.grid.shape)
        fine, coarse = contour_field(field, exposure, 1), contour_field(field, exposure, 2)
        samples: dict[str, list[float]] = {"30s": [], "60s": []}
        for _ in range(args.runs):  # alternating, so both see the same load
            samples["30s"].append(timed(lambda f=field: contour_field(f, exposure, 1)))
            samples["60s"].append(timed(lambda f=field: contour_field(f, exposure, 2)))
        document["events"][name] = {
            "ms_median": {key: round(statistics.median(value), 1) for key, value in samples.items()},
            "ms_min": {key: round(min(value), 1) for key, value in samples.items()},
            "points": {
                "30s": sum(_points(feature) for feature in fine["features"]),
                "60s": sum(_points(feature) for feature in coarse["features"]),
            },
            "levels": compare(field, exposure, fine, coarse),
        }
    document["load_average_1_5_15"] = [round(value, 2) for value in load_before]
    document["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    print(json.dumps(document, indent=None if args.json else 2))
    return 0


def _points(feature: dict[str, Any]) -> int:
    return sum(len(ring) for polygon in feature["geometry"]["coordinates"] for ring in polygon)


if __name__ == "__main__":
    sys.exit(main())
