"""Ours against PAGER's EXPO-CAT: population exposed per MMI bin for the Tajik events of the catalogue.

    .venv/bin/python bench/expocat_compare.py [--json] [--model-set NAME] [--reference DIR]

Reads ``pager_expocat_central_asia.csv`` (usgs/pager ``losspager/data/expocat.xlsx``, commit 081a55f8;
columns EventID, Time, Lat, Lon, Depth, Magnitude, CountryCode, MMI1..MMI9+, deaths, flags) from the
repository's reference tables (tests/data/reference), keeps the events whose CountryCode is TJ, assesses each with the bundled
exposure and prints, per event, EXPO-CAT's and our population per MMI bin (our X bin is added to
IX+, as EXPO-CAT's last bin is "9+"), with PAGER's modelled deaths on each exposure.

EXPO-CAT counts everyone in the ShakeMap (all countries, LandScan population of the event's year);
ours counts Tajikistan's modeled 2023 population only. See docs/validation.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from hushdor.science.quake import losses
from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import EarthquakeInput, assess

BINS = ("MMI1", "MMI2", "MMI3", "MMI4", "MMI5", "MMI6", "MMI7", "MMI8", "MMI9+")


def reference_dir(given: str | None) -> Path:
    """The repository's copy of the reference tables (tests/data/reference), or ``--reference DIR``."""
    return Path(given) if given else Path(__file__).resolve().parents[1] / "tests" / "data" / "reference"


def tajik_events(folder: Path) -> list[dict[str, str]]:
    text = (folder / "pager_expocat_central_asia.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return [row for row in rows if row["CountryCode"] == "TJ"]


def compare(row: dict[str, str], exposure: Exposure, model_set: str | None) -> dict[str, Any]:
    depth = max(float(row["Depth"]), 0.0)
    event = EarthquakeInput(
        lat=float(row["Lat"]),
        lon=float(row["Lon"]),
        depth_km=depth,
        mag=float(row["Magnitude"]),
        model_set=model_set,
    )
    assessment = assess(event, exposure)
    ours = [assessment.exposure_by_mmi[str(k)] for k in range(1, 9)]
    ours.append(assessment.exposure_by_mmi["9"] + assessment.exposure_by_mmi["10"])
    theirs = [int(float(row[name] or 0)) for name in BINS]
    return {
        "event": row["EventID"],
        "time": row["Time"][:10],
        "lat": event.lat,
        "lon": event.lon,
        "depth_km": depth,
        "mag": event.mag,
        "expocat": theirs,
        "ours": ours,
        "expocat_model_deaths": round(losses.fatality_estimate([*theirs, 0], "TJ").expected, 2),
        "ours_model_deaths": round(assessment.fatalities.expected, 2),
        "observed_deaths": row["TotalDeaths"] or row["ShakingDeaths"] or "",
        "ours_max_mmi": assessment.max_mmi,
    }


def markdown(results: list[dict[str, Any]]) -> str:
    header = (
        "| event | M | depth | source | "
        + " | ".join(b.replace("MMI", "") for b in BINS)
        + " | model deaths | observed |"
    )
    lines = [header, "|" + "---|" * (len(BINS) + 6)]
    for result in results:
        for source in ("expocat", "ours"):
            label = (
                f"{result['time']} ({result['lat']:.2f}, {result['lon']:.2f})" if source == "expocat" else ""
            )
            magnitude = f"{result['mag']:g}" if source == "expocat" else ""
            depth = f"{result['depth_km']:g}" if source == "expocat" else ""
            cells = " | ".join(f"{value:,}" for value in result[source])
            deaths = result[f"{source}_model_deaths"]
            observed = result["observed_deaths"] if source == "expocat" else ""
            lines.append(
                f"| {label} | {magnitude} | {depth} | {source} | {cells} | {deaths:g} | {observed} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--model-set", default=None)
    parser.add_argument("--reference", default=None)
    args = parser.parse_args()
    exposure = Exposure.bundled()
    results = [compare(row, exposure, args.model_set) for row in tajik_events(reference_dir(args.reference))]
    if args.json:
        print(json.dumps({"events": results}))
    else:
        print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
