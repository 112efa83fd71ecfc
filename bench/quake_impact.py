"""Benchmark: rapid earthquake impact on the whole 30″ grid box, against OpenQuake's scenario route.

    .venv/bin/python bench/quake_impact.py [--json] [--runs 7] [--no-openquake]

One M7.2 event (2015 Sarez: 38.211 N 72.780 E, 22 km). Times (median of ``--runs`` after one warm-up):

* ``assessment`` — the whole of ``impact.assess``: distances and all models of the default set on the
  151,225 populated cells, exposure, regions and districts, settlements, losses; ``assessment_deep``
  the same for the 2015 Hindu Kush M7.5 at 231 km (the in-slab set);
* ``grid_box_on_demand`` — the shaking on every cell of the box (511,920), computed only when the map
  or full-resolution contours ask for it (``Assessment.grid_mmi``); ``contours`` — 30″ contours of it;
* ``BindiEtAl2011Repi`` — distances (epicentral, hypocentral) + the Bindi Repi MMI;
* ``BooreEtAl2014:PGV`` — distances (orientation-averaged Rjb) + BSSA14 ln PGV with the Vs30 site term.

When OpenQuake hazardlib is importable in ``.venv-bench`` (``bench/requirements-openquake.txt``;
override the interpreter with ``HUSHDOR_BENCH_OQ_PYTHON``), the same two models run on the same sites
(same Vs30) through OpenQuake's scenario route in a subprocess (``bench/_oq_scenario.py``: planar
rupture, prebuilt SiteCollection, ``ContextMaker.genctxs`` → ``get_mean_stds``). ``max_rel_diff``
compares the models on identical inputs: Bindi end to end (both compute repi by haversine), BSSA14 on
OpenQuake's own planar-rupture Rjb fed to our kernel (our timing uses our orientation-averaged Rjb,
which by design differs from an assumed strike-45° plane). Differences are relative, in MMI for
Bindi and in PGV (cm/s) for BSSA14.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from hushdor.science.quake import fast_shaking
from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import EarthquakeInput, assess
from hushdor.science.quake.models import get_model

HERE = Path(__file__).resolve().parent
EVENT = EarthquakeInput(lat=38.211, lon=72.780, depth_km=22.0, mag=7.2)
DEEP_EVENT = EarthquakeInput(lat=36.524, lon=70.368, depth_km=231.0, mag=7.5)  # Hindu Kush 2015 (USGS)
# Issue 8: the whole assessment ≤ 12 ms (median), every model ≥ 30× OpenQuake in the same run,
# max relative difference ≤ 1e-3; a model with distances on the whole 500k-cell box ≤ 10 ms (issue 3).
TARGETS = {
    "assessment_ms": 12.0,
    "model_ms_per_500k": 10.0,
    "speedup_vs_openquake": 30.0,
    "max_rel_diff": 1e-3,
}


def median_ms(function: Callable[[], Any], runs: int) -> float:
    function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples)


def best_ms(function: Callable[[], Any], runs: int) -> float:
    """The fastest run: on a shared machine the least disturbed one."""
    function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000.0)
    return min(samples)


def bindi_with_distances(sites: fast_shaking.SiteSet) -> np.ndarray:
    repi = fast_shaking.epicentral_distance(sites, EVENT.lat, EVENT.lon)
    distances = fast_shaking.FastDistances(repi, repi, "point", EVENT.depth_km, EVENT.depth_km)
    return fast_shaking.bindi_repi_intensity(
        get_model("BindiEtAl2011Repi"), EVENT.mag, EVENT.depth_km, distances
    )


def bssa_with_distances(sites: fast_shaking.SiteSet) -> np.ndarray:
    distances = fast_shaking.event_distances(
        sites, event_lat=EVENT.lat, event_lon=EVENT.lon, depth_km=EVENT.depth_km, mag=EVENT.mag
    )
    return fast_shaking.bssa14_ln_motion(get_model("BooreEtAl2014"), "PGV", EVENT.mag, 0.0, distances, sites)


def ours(exposure: Exposure, runs: int) -> dict[str, float]:
    sites = exposure.grid_sites
    assess(EVENT, exposure)
    stages: list[dict[str, float]] = [assess(EVENT, exposure).timings_ms for _ in range(runs)]
    result = {
        "assessment": statistics.median(s["assessment"] for s in stages),
        "assessment_best": min(s["assessment"] for s in stages),
    }
    for stage in stages[0]:
        if stage not in ("assessment", "total"):
            result[f"stage:{stage}"] = statistics.median(s[stage] for s in stages)
    deep = [assess(DEEP_EVENT, exposure).timings_ms["assessment"] for _ in range(runs)]
    result["assessment_deep"] = statistics.median(deep)
    result["grid_box_on_demand"] = median_ms(lambda: assess(EVENT, exposure).grid_mmi, runs) - result["assessment"]
    result["contours"] = (
        median_ms(lambda: assess(EVENT, exposure, contours=True), max(1, runs // 3)) - result["assessment"]
    )
    result["BindiEtAl2011Repi"] = median_ms(lambda: bindi_with_distances(sites), runs)
    result["BooreEtAl2014:PGV"] = median_ms(lambda: bssa_with_distances(sites), runs)
    result["BindiEtAl2011Repi_best"] = best_ms(lambda: bindi_with_distances(sites), runs)
    result["BooreEtAl2014:PGV_best"] = best_ms(lambda: bssa_with_distances(sites), runs)
    return result


def openquake_python() -> Path | None:
    configured = os.environ.get("HUSHDOR_BENCH_OQ_PYTHON")
    candidate = Path(configured) if configured else HERE.parent / ".venv-bench" / "bin" / "python"
    return candidate if candidate.exists() else None


def openquake(exposure: Exposure, runs: int) -> tuple[dict[str, float], dict[str, float], str | None]:
    """(oq_ms, max_rel_diff, reason it did not run)."""
    python = openquake_python()
    if python is None:
        return {}, {}, "no .venv-bench (see bench/requirements-openquake.txt)"
    sites = exposure.grid_sites
    with tempfile.TemporaryDirectory() as folder:
        site_file, out_file = Path(folder) / "sites.npy", Path(folder) / "oq.npz"
        np.save(site_file, np.column_stack([sites.lon, sites.lat, sites.vs30]))
        command = [
            str(python),
            str(HERE / "_oq_scenario.py"),
            str(site_file),
            str(out_file),
            "--lat",
            str(EVENT.lat),
            "--lon",
            str(EVENT.lon),
            "--depth",
            str(EVENT.depth_km),
            "--mag",
            str(EVENT.mag),
            "--runs",
            str(runs),
        ]
        completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
        if completed.returncode != 0:
            last = (completed.stderr.strip().splitlines() or ["unknown error"])[-1]
            return {}, {}, f"OpenQuake run failed: {last}"
        timings = json.loads(completed.stdout.strip().splitlines()[-1])
        arrays = dict(np.load(out_file))
    return timings, compare(arrays, sites), None


def compare(arrays: dict[str, np.ndarray], sites: fast_shaking.SiteSet) -> dict[str, float]:
    differences = {}
    ids = arrays["BindiEtAl2011Repi_sids"]
    if ids.size != sites.size:
        raise SystemExit(f"OpenQuake returned {ids.size} of {sites.size} sites (integration distance?)")
    ours_bindi = bindi_with_distances(sites)[ids].astype(np.float64)
    theirs = arrays["BindiEtAl2011Repi_mean"]
    differences["BindiEtAl2011Repi"] = float(np.max(np.abs(ours_bindi - theirs) / np.abs(theirs)))
    ids = arrays["BooreEtAl2014_sids"]
    rjb = arrays["BooreEtAl2014_rjb"].astype(np.float32)
    distances = fast_shaking.FastDistances.given(rjb, rjb, rjb, rjb, "openquake planar")
    subset = fast_shaking.SiteSet(sites.lat[ids], sites.lon[ids], sites.vs30[ids])
    ln_pgv = fast_shaking.bssa14_ln_motion(
        get_model("BooreEtAl2014"), "PGV", EVENT.mag, 0.0, distances, subset
    )
    differences["BooreEtAl2014:PGV"] = float(np.max(np.abs(np.expm1(ln_pgv - arrays["BooreEtAl2014_mean"]))))
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-openquake", action="store_true")
    args = parser.parse_args()

    exposure = Exposure.bundled()
    ours_ms = ours(exposure, args.runs)
    oq_ms, max_rel_diff, skipped = ({}, {}, "--no-openquake") if args.no_openquake else openquake(exposure, 5)
    oq_by_model = {"BindiEtAl2011Repi": "BindiEtAl2011Repi", "BooreEtAl2014:PGV": "BooreEtAl2014"}
    ratio = {model: oq_ms[oq] / ours_ms[model] for model, oq in oq_by_model.items() if oq in oq_ms}
    oq_named = {model: oq_ms[oq] for model, oq in oq_by_model.items() if oq in oq_ms}
    if "site_collection_build" in oq_ms:
        oq_named["site_collection_build"] = oq_ms["site_collection_build"]
    document = {
        "grid_cells": exposure.grid.size,
        "populated_cells": int(exposure.cell_index.size),
        "settlements": exposure.settlements.size,
        "ours_ms": {key: round(value, 2) for key, value in ours_ms.items()},
        "oq_ms": {key: round(value, 1) for key, value in oq_named.items()},
        "ratio": {key: round(value, 1) for key, value in ratio.items()},
        "max_rel_diff": {key: float(f"{value:.3g}") for key, value in max_rel_diff.items()},
        "targets": TARGETS,
        "openquake": "ran" if skipped is None else f"skipped: {skipped}",
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count()},
    }
    document["targets_met"] = targets_met(ours_ms, ratio, max_rel_diff)
    if args.json:
        print(json.dumps(document))
    else:
        print(json.dumps(document, indent=2))
    return 0  # the figures are the point; a noisy shared machine must not fail `make bench`


def targets_met(
    ours_ms: dict[str, float], ratio: dict[str, float], max_rel_diff: dict[str, float]
) -> dict[str, bool | None]:
    """Each target of TARGETS against this run's medians (None: not measured in this run)."""
    models = ("BindiEtAl2011Repi", "BooreEtAl2014:PGV")
    return {
        "assessment_ms": ours_ms["assessment"] <= TARGETS["assessment_ms"],
        "model_ms_per_500k": all(ours_ms[model] <= TARGETS["model_ms_per_500k"] for model in models),
        "speedup_vs_openquake": (
            all(value >= TARGETS["speedup_vs_openquake"] for value in ratio.values()) if ratio else None
        ),
        "max_rel_diff": (
            all(value <= TARGETS["max_rel_diff"] for value in max_rel_diff.values()) if max_rel_diff else None
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
