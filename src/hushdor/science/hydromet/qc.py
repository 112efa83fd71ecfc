"""Quality control of observations, vectorised: every observation gets a flag, nothing is deleted.

Flags follow the WMO convention of quality levels (WMO-No. 488, Guide to the Global Observing System,
§ 6.3; WIGOS data-quality flags): ``GOOD`` 0, ``SUSPECT`` 1, ``BAD`` 2, ``MISSING`` 3. Each check
adds a bit to ``reasons`` so the station page can say *why*. Only ``GOOD`` observations reach the
rules; flagged ones stay visible.

Checks (limits per variable below; they are plausibility limits for Tajikistan's stations, not
climatology, and a deployment sets its own per station):

* **missing** — NaN or ±inf;
* **range** — outside physical limits (e.g. rain < 0 or > 200 mm/h: the world-record hour is 305 mm,
  WMO's record of 1947; Tajik extremes are far below; a lake level given in cm instead of m fails here);
* **future** — a time later than the reference ``now`` + 10 min (a logger clock gone wrong);
* **duplicate** — a second value for the same station, variable and time (the first is kept good);
* **step** — a change from the previous hour larger than the variable's step limit (suspect);
* **persistence** — the same value ``PERSISTENCE_HOURS`` times in a row where the variable always
  varies (air temperature, river level: a stuck sensor; not rain or snow, which are often constant);
* **consistency** — snow depth and lake level that cannot be (a negative depth is caught by range);
* **buddy** — a value far from the median of its neighbours at the same hour (``buddy_check``;
  temperature and precipitation; needs station coordinates).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from hushdor.science.hydromet.observations import HOUR, VARIABLE_CODE, ObservationSet

GOOD, SUSPECT, BAD, MISSING = 0, 1, 2, 3
FLAG_NAMES = ("good", "suspect", "bad", "missing")

R_MISSING, R_RANGE, R_FUTURE, R_DUPLICATE, R_STEP, R_PERSISTENCE, R_BUDDY = (1 << k for k in range(7))
REASON_NAMES = {
    R_MISSING: "missing value",
    R_RANGE: "outside the physical range",
    R_FUTURE: "time in the future",
    R_DUPLICATE: "duplicate of an earlier value",
    R_STEP: "step from the previous hour too large",
    R_PERSISTENCE: "same value too long (stuck sensor?)",
    R_BUDDY: "far from its neighbours",
}

# (lowest, highest, largest change in one hour or None, varies always → persistence check)
LIMITS: dict[str, tuple[float, float, float | None, bool]] = {
    "precipitation_mm": (0.0, 200.0, None, False),
    "water_level_cm": (-200.0, 3_000.0, 300.0, True),
    "discharge_m3s": (0.0, 30_000.0, None, True),
    "air_temperature_c": (-60.0, 50.0, 12.0, True),
    "snow_depth_cm": (0.0, 1_500.0, 120.0, False),
    "lake_level_m": (1_000.0, 5_000.0, 2.0, False),
}
PERSISTENCE_HOURS = 24
FUTURE_TOLERANCE_S = 600


@dataclass(eq=False)
class QualityFlags:
    flag: NDArray[np.int8]  # GOOD, SUSPECT, BAD or MISSING per observation
    reasons: NDArray[np.int16]  # bit set of R_* per observation

    @property
    def good(self) -> NDArray[np.bool_]:
        return self.flag == GOOD

    def reason_text(self, index: int) -> str:
        bits = int(self.reasons[index])
        return "; ".join(text for bit, text in REASON_NAMES.items() if bits & bit)


def quality_control(observations: ObservationSet, *, now: int | None = None) -> QualityFlags:
    """Flags for every observation (sorted by station, variable, time, as ObservationSet keeps them)."""
    n = len(observations)
    flag = np.zeros(n, dtype=np.int8)
    reasons = np.zeros(n, dtype=np.int16)
    value, time = observations.value, observations.time

    def mark(where: NDArray[np.bool_], level: int, reason: int) -> None:
        np.maximum(flag, np.where(where, np.int8(level), np.int8(0)), out=flag)
        reasons[where] |= np.int16(reason)

    finite = np.isfinite(value)
    mark(~finite, MISSING, R_MISSING)
    if now is not None:
        mark(time > now + FUTURE_TOLERANCE_S, BAD, R_FUTURE)
    new_series = observations.series_starts()
    same_as_previous = np.zeros(n, dtype=bool)
    same_as_previous[1:] = ~new_series[1:] & (time[1:] == time[:-1])
    mark(same_as_previous, BAD, R_DUPLICATE)

    step = np.zeros(n)
    hours = np.ones(n)
    step[1:] = np.abs(np.diff(value))
    hours[1:] = np.maximum(np.diff(time) / HOUR, 1.0)
    continues = ~new_series & ~same_as_previous
    continues[1:] &= np.isfinite(value[:-1])
    for name, (low, high, max_step, varies) in LIMITS.items():
        rows = observations.variable == VARIABLE_CODE[name]
        if not rows.any():
            continue
        mark(rows & finite & ((value < low) | (value > high)), BAD, R_RANGE)
        if max_step is not None:
            mark(rows & continues & finite & (step > max_step * hours), SUSPECT, R_STEP)
        if varies:
            mark(rows & _stuck(value, continues, PERSISTENCE_HOURS), SUSPECT, R_PERSISTENCE)
    return QualityFlags(flag, reasons)


def _stuck(value: NDArray[np.float64], continues: NDArray[np.bool_], run: int) -> NDArray[np.bool_]:
    """True from the ``run``-th equal value in a row onwards (within one series)."""
    equal = np.zeros(value.size, dtype=bool)
    equal[1:] = continues[1:] & (value[1:] == value[:-1])
    # length of the current run of equal values, by cumulative sums reset at every break
    count = np.cumsum(equal)
    breaks = np.maximum.accumulate(np.where(~equal, count, 0))
    return (count - breaks) >= run - 1


def buddy_check(
    values: NDArray[np.float64],
    lat: NDArray[np.float64],
    lon: NDArray[np.float64],
    *,
    radius_km: float = 50.0,
    max_difference: float = 8.0,
    min_buddies: int = 2,
) -> NDArray[np.bool_]:
    """Suspect values of one variable at one hour: farther than ``max_difference`` from the median of
    the stations within ``radius_km`` (at least ``min_buddies`` of them with a finite value).

    The spatial consistency test of WMO-No. 488 § 6.3.3 in its simplest form (a median of neighbours,
    as the "buddy check" of Ingleby & Lorenc 1993 without the error model): 8 °C for air temperature
    is a plausibility limit for valley stations 50 km apart, to be tuned per network.
    """
    values = np.asarray(values, dtype=np.float64)
    phi = np.radians(lat)
    x = np.radians(lon)[:, None] - np.radians(lon)[None, :]
    y = phi[:, None] - phi[None, :]
    a = np.sin(y / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(x / 2) ** 2
    near = (2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(a, 1.0))) <= radius_km) & ~np.eye(
        values.size, dtype=bool
    )
    near &= np.isfinite(values)[None, :]
    suspect = np.zeros(values.size, dtype=bool)
    for k in np.flatnonzero(np.isfinite(values) & (near.sum(axis=1) >= min_buddies)):
        suspect[k] = abs(values[k] - np.median(values[near[k]])) > max_difference
    return suspect
