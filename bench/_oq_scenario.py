"""OpenQuake hazardlib's scenario route on given sites — run by quake_impact.py with .venv-bench's python.

    python _oq_scenario.py SITES.npy OUT.npz --lat 38.211 --lon 72.780 --depth 22 --mag 7.2 --runs 5

SITES.npy holds (N, 3) float64 rows of lon, lat, vs30. The route is the one a user of OpenQuake takes
for a scenario: a planar rupture (`source.rupture.build_planar`, strike 45, dip 90, rake 0 — assumed,
as in tests/data/reference/notes/oracles.md §3 route A), a prebuilt `SiteCollection` (its build is timed
separately), `ContextMaker.genctxs` (OpenQuake computes the distances) and `get_mean_stds`. Prints one
JSON line of median timings (ms) and writes, per site (in input order), the means and the context's
repi/rjb so the caller can compare its models on identical inputs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
from openquake.hazardlib import valid
from openquake.hazardlib.contexts import simple_cmaker
from openquake.hazardlib.geo import Point
from openquake.hazardlib.site import SiteCollection
from openquake.hazardlib.source.rupture import build_planar

ROUTES = {"BindiEtAl2011Repi": "MMI", "BooreEtAl2014": "PGV"}


def _median_ms(function, runs: int) -> tuple[float, object]:
    result = function()  # warm-up (numba compilation, caches)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sites")
    parser.add_argument("out")
    for name in ("lat", "lon", "depth", "mag"):
        parser.add_argument(f"--{name}", type=float, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sites = np.load(args.sites)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    site_model = np.zeros(len(sites), dtype=[("vs30", float)])
    site_model["vs30"] = sites[:, 2]
    sitecol = SiteCollection.from_points(
        sites[:, 0], sites[:, 1], sitemodel=site_model, req_site_params=("vs30",)
    )
    timings["site_collection_build"] = (time.perf_counter() - start) * 1000.0
    rupture = build_planar(Point(args.lon, args.lat, args.depth), args.mag, rake=0.0, strike=45.0, dip=90.0)
    saved: dict[str, np.ndarray] = {}
    for model, imt in ROUTES.items():
        cmaker = simple_cmaker([valid.gsim(model)], [imt])

        def route(cmaker=cmaker):
            contexts = list(cmaker.genctxs([rupture], sitecol, 0))
            return contexts, cmaker.get_mean_stds(contexts)

        timings[model], (contexts, mean_stds) = _median_ms(route, args.runs)
        context = contexts[0]
        order = np.argsort(context.sids)
        saved[f"{model}_sids"] = np.asarray(context.sids)[order]
        saved[f"{model}_mean"] = np.asarray(mean_stds[0, 0, 0])[order]
        for distance in ("repi", "rjb"):  # whichever the model's context carries
            if distance in context.dtype.names:
                saved[f"{model}_{distance}"] = np.asarray(context[distance])[order]
    np.savez(args.out, **saved)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
