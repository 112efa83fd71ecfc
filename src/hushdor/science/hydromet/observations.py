"""A set of observations as columns: the shape every QC step and rule works on, vectorised.

Rows are kept sorted by (station, variable, time); ``time`` is whole seconds since 1970 (UTC).
Variables and their units are fixed here (the replay file's column names):

| variable | unit | meaning |
|---|---|---|
| ``precipitation_mm`` | mm in the hour ending at ``time`` | rain gauge |
| ``water_level_cm`` | cm above the gauge datum | river stage |
| ``discharge_m3s`` | m³/s | river discharge |
| ``air_temperature_c`` | °C | air temperature |
| ``snow_depth_cm`` | cm | total snow depth |
| ``lake_level_m`` | m a.s.l. | lake surface (Sarez) |
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

VARIABLES = (
    "precipitation_mm",
    "water_level_cm",
    "discharge_m3s",
    "air_temperature_c",
    "snow_depth_cm",
    "lake_level_m",
)
VARIABLE_CODE = {name: code for code, name in enumerate(VARIABLES)}
HOUR = 3600


class ObservationError(ValueError):
    """A file or row that cannot be read as observations; the message names the row and the field."""


@dataclass(frozen=True)
class Rejected:
    row: int
    reason: str


@dataclass(eq=False)
class ObservationSet:
    """Columns of equal length, sorted by (station, variable, time)."""

    station: NDArray[np.int32]  # index into ``stations``
    variable: NDArray[np.int8]  # index into VARIABLES
    time: NDArray[np.int64]  # seconds since 1970-01-01 UTC
    value: NDArray[np.float64]
    stations: tuple[str, ...]
    rejected: list[Rejected] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.time.size)

    @classmethod
    def from_columns(
        cls,
        station: NDArray[np.integer],
        variable: NDArray[np.integer],
        time: NDArray[np.integer],
        value: NDArray[np.floating],
        stations: tuple[str, ...],
    ) -> ObservationSet:
        """Sorted copy of the columns (out-of-order input is normal: loggers resend, feeds overlap)."""
        order = np.lexsort((time, variable, station))
        return cls(
            np.asarray(station, dtype=np.int32)[order],
            np.asarray(variable, dtype=np.int8)[order],
            np.asarray(time, dtype=np.int64)[order],
            np.asarray(value, dtype=np.float64)[order],
            stations,
        )

    def series_starts(self) -> NDArray[np.bool_]:
        """True where a new (station, variable) series begins."""
        start = np.ones(len(self), dtype=bool)
        if len(self) > 1:
            start[1:] = (self.station[1:] != self.station[:-1]) | (self.variable[1:] != self.variable[:-1])
        return start

    def of(self, variable: str) -> NDArray[np.bool_]:
        return self.variable == VARIABLE_CODE[variable]


def parse_time(text: str) -> int:
    """ISO 8601 with a zone (``2015-07-16T14:00:00Z`` or ``+05:00``) → seconds since 1970 (UTC)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise ObservationError(f"time {text!r} is not an ISO 8601 date-time") from error
    if moment.tzinfo is None:
        raise ObservationError(f"time {text!r} has no time zone (add Z or +05:00)")
    return int(moment.timestamp())


def iso_time(seconds: int) -> str:
    return datetime.fromtimestamp(int(seconds), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_csv(text: str) -> ObservationSet:
    """``station,time,variable,value`` rows → an ObservationSet; bad rows are rejected with a reason.

    A row is rejected (kept in ``rejected``, never silently dropped) when its variable is unknown, its
    time unreadable or its value not a number. NaN and ±inf are kept as values: QC flags them. Lines
    that start with ``#`` before the header are comments (provenance notes of a file).
    """
    while text.startswith("#"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        name for name in ("station", "time", "variable", "value") if name not in (reader.fieldnames or [])
    ]
    if missing:
        raise ObservationError(f"header: missing column(s) {', '.join(missing)}")
    stations: dict[str, int] = {}
    columns: tuple[list, list, list, list] = ([], [], [], [])
    rejected: list[Rejected] = []
    for number, row in enumerate(reader, start=2):
        name = (row.get("station") or "").strip()
        variable = (row.get("variable") or "").strip()
        try:
            if not name:
                raise ObservationError("station is empty")
            if variable not in VARIABLE_CODE:
                raise ObservationError(f"unknown variable {variable!r} (known: {', '.join(VARIABLES)})")
            seconds = parse_time(row.get("time") or "")
            value = _number(row.get("value"))
        except ObservationError as error:
            rejected.append(Rejected(number, str(error)))
            continue
        columns[0].append(stations.setdefault(name, len(stations)))
        columns[1].append(VARIABLE_CODE[variable])
        columns[2].append(seconds)
        columns[3].append(value)
    result = ObservationSet.from_columns(
        np.array(columns[0], dtype=np.int32),
        np.array(columns[1], dtype=np.int8),
        np.array(columns[2], dtype=np.int64),
        np.array(columns[3], dtype=np.float64),
        tuple(stations),
    )
    result.rejected = rejected
    return result


def _number(text: str | None) -> float:
    try:
        value = float((text or "").strip())
    except ValueError as error:
        raise ObservationError(f"value {text!r} is not a number") from error
    return value
