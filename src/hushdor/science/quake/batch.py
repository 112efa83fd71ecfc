"""Many events from a CSV: parse rows into :class:`EarthquakeInput`, assess each, flatten to CSV rows.

Input columns (header names, case-insensitive): ``lat``, ``lon``, ``depth_km`` (or ``depth``), ``mag``
(or ``magnitude``), optional ``strike``, ``model_set`` and ``id`` (or ``name``). A bad row is reported
with its line number and field and does not stop the others.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from hushdor.science.quake.distances import InvalidEventError
from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import EarthquakeInput, assess
from hushdor.science.quake.model_sets import UnknownModelSetError

REQUIRED = {
    "lat": ("lat", "latitude"),
    "lon": ("lon", "longitude"),
    "depth_km": ("depth_km", "depth"),
    "mag": ("mag", "magnitude"),
}
OPTIONAL = {"strike": ("strike",), "model_set": ("model_set",), "id": ("id", "name", "event")}
OUTPUT_COLUMNS = (
    "line",
    "id",
    "lat",
    "lon",
    "depth_km",
    "mag",
    "model_set",
    "max_mmi",
    *(f"mmi{k}" for k in range(1, 11)),
    "fatalities",
    "fatality_alert",
    "economic_usd",
    "economic_alert",
    "steep_slope_population",
    "ms",
    "error",
)


class BatchInputError(ValueError):
    """The CSV as a whole cannot be read (no header, a required column missing)."""


@dataclass(frozen=True)
class BatchRow:
    line: int
    identifier: str
    event: EarthquakeInput | None
    error: str | None


def _columns(header: Iterable[str]) -> dict[str, str]:
    present = {name.strip().lower(): name for name in header}
    found: dict[str, str] = {}
    for key, aliases in (*REQUIRED.items(), *OPTIONAL.items()):
        for alias in aliases:
            if alias in present:
                found[key] = present[alias]
                break
    missing = [key for key in REQUIRED if key not in found]
    if missing:
        raise BatchInputError(
            f"the CSV header lacks column(s) {', '.join(missing)} (have: {', '.join(present)})"
        )
    return found


def read_events(stream: TextIO) -> Iterator[BatchRow]:
    """One :class:`BatchRow` per data line; a row's ``error`` names its line and the bad field."""
    reader = csv.DictReader(line for line in stream if not line.startswith("#"))
    if reader.fieldnames is None:
        raise BatchInputError("the CSV is empty: expected a header with lat, lon, depth_km, mag")
    columns = _columns(reader.fieldnames)
    for number, record in enumerate(reader, start=2):
        identifier = (record.get(columns.get("id", ""), "") or "").strip() or f"line {number}"
        strike_text = (record.get(columns.get("strike", ""), "") or "").strip()
        model_set = (record.get(columns.get("model_set", ""), "") or "").strip() or None
        event = EarthquakeInput(
            lat=(record.get(columns["lat"]) or "").strip(),  # type: ignore[arg-type]
            lon=(record.get(columns["lon"]) or "").strip(),  # type: ignore[arg-type]
            depth_km=(record.get(columns["depth_km"]) or "").strip(),  # type: ignore[arg-type]
            mag=(record.get(columns["mag"]) or "").strip(),  # type: ignore[arg-type]
            strike=strike_text or None,  # type: ignore[arg-type]
            model_set=model_set,
        )
        try:
            yield BatchRow(number, identifier, event.validated(), None)
        except InvalidEventError as error:
            yield BatchRow(number, identifier, None, f"line {number}: {error}")


def assess_row(row: BatchRow, exposure: Exposure) -> dict[str, Any]:
    """The output CSV row of one input row (``error`` filled instead of results when it is bad)."""
    result: dict[str, Any] = {"line": row.line, "id": row.identifier}
    if row.event is None:
        return {**result, "error": row.error}
    event = row.event
    result.update(lat=event.lat, lon=event.lon, depth_km=event.depth_km, mag=event.mag)
    try:
        assessment = assess(event, exposure)
    except (InvalidEventError, UnknownModelSetError) as error:
        return {**result, "error": f"line {row.line}: {error}"}
    result.update(
        model_set=assessment.model_set.name,
        max_mmi="" if assessment.max_mmi is None else assessment.max_mmi,
        **{f"mmi{k}": assessment.exposure_by_mmi[str(k)] for k in range(1, 11)},
        fatalities=round(assessment.fatalities.expected, 3),
        fatality_alert=assessment.fatalities.alert,
        economic_usd=round(assessment.economic.expected),
        economic_alert=assessment.economic.alert,
        steep_slope_population=round(assessment.steep_slope.population),
        ms=round(assessment.timings_ms["total"], 1),
        error="",
    )
    return result
