"""Every hydromet rule over an observation set: QC first, then the rules on good observations only.

A rule gives a level per observation (0 = nothing); a **trigger** is emitted when a level first rises
above 0 and each time it rises further, per station and rule — not every hour the condition lasts —
so that a warning is written once and updated when things get worse.

Rules and their defaults (each configurable; sources in docs/hydromet.md):

* ``mudflow`` — rainfall intensity–duration exceedance (``rainfall.py``: Guzzetti et al. 2008);
* ``flood.return_period`` — discharge or river level at or above the station's Q2/Q5/Q20 (levels 1/2/3:
  the GloFAS yellow/red/purple return periods), when the station's return levels are given;
* ``flood.rate_of_rise`` — river level up ≥ 50 cm within 3 h (level 1) or ≥ 100 cm (level 2), or a
  stage jump of ≥ 50 cm within one hour (level 2) — planning values for mountain gauges, to calibrate;
* ``avalanche`` — new snow (rise of snow depth) in 24 h / 72 h, with warming (air temperature up ≥ 5 °C
  in 24 h to above 0 °C) or rain on snow adding one level: an indicative EAWS level 1–5, "indicators,
  not a forecaster's bulletin"; a trigger from level 3 (considerable);
* ``sarez.lake_level`` — Lake Sarez up > 0.25 m in 24 h (level 1): the rise at which the 2005 monitoring
  system sent an observation team (13 July 2005); > 0.5 m in 24 h level 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hushdor.science.hydromet.observations import HOUR, VARIABLE_CODE, ObservationSet, iso_time
from hushdor.science.hydromet.qc import QualityFlags, quality_control
from hushdor.science.hydromet.rainfall import IdCurve, rainfall_exceedance

_SERIES_SPAN = np.int64(1) << 40  # larger than any time in seconds: keys of different series never mix


@dataclass(frozen=True)
class RuleSettings:
    id_curve: IdCurve = field(default_factory=IdCurve)
    dry_gap_h: float = 6.0
    rise_3h_cm: tuple[float, float] = (50.0, 100.0)
    jump_1h_cm: float = 50.0
    # station name → (Q2, Q5, Q20) of the station's variable given in ``return_level_variable``
    return_levels: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    return_level_variable: str = "discharge_m3s"
    new_snow_24h_cm: tuple[float, ...] = (10.0, 20.0, 30.0, 50.0)  # → levels 2, 3, 4, 5
    new_snow_72h_cm: tuple[float, ...] = (20.0, 30.0, 50.0, 80.0)  # → levels 2, 3, 4, 5
    warming_24h_c: float = 5.0
    avalanche_trigger_level: int = 3
    lake_rise_24h_m: tuple[float, float] = (0.25, 0.5)


@dataclass(frozen=True)
class Trigger:
    rule: str
    station: str
    time: int
    value: float
    level: int

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "station": self.station,
            "time": iso_time(self.time),
            "value": round(self.value, 3),
            "level": self.level,
        }


@dataclass(eq=False)
class RulesResult:
    flags: QualityFlags
    triggers: list[Trigger]


def run_rules(
    observations: ObservationSet, settings: RuleSettings | None = None, *, now: int | None = None
) -> RulesResult:
    """QC and every rule; returns the flags and the triggers in time order."""
    settings = settings or RuleSettings()
    flags = quality_control(observations, now=now)
    good = flags.good
    triggers: list[Trigger] = []
    triggers += _mudflow(observations, good, settings)
    triggers += _rate_of_rise(observations, good, settings)
    triggers += _return_period(observations, good, settings)
    triggers += _avalanche(observations, good, settings)
    triggers += _lake(observations, good, settings)
    triggers.sort(key=lambda t: (t.time, t.station, t.rule))
    return RulesResult(flags, triggers)


# --- helpers -------------------------------------------------------------------------------------


def _subset(observations: ObservationSet, good: NDArray[np.bool_], variable: str):
    rows = np.flatnonzero(good & (observations.variable == VARIABLE_CODE[variable]))
    return rows, observations.station[rows], observations.time[rows], observations.value[rows]


def _rise_within(station: NDArray, time: NDArray, value: NDArray, hours: float) -> NDArray[np.float64]:
    """value − the earliest value of the same station within the last ``hours`` (0 where none)."""
    if time.size == 0:
        return np.zeros(0)
    keys = station.astype(np.int64) * _SERIES_SPAN + time
    first = np.searchsorted(keys, keys - int(hours * HOUR), side="left")
    return value - value[first]


def _emit(
    rule: str,
    observations: ObservationSet,
    station: NDArray,
    time: NDArray,
    value: NDArray,
    level: NDArray,
    *,
    reset: NDArray[np.bool_] | None = None,
) -> list[Trigger]:
    """Triggers where the level rises above the highest since it was last 0 (or since ``reset``)."""
    triggers = []
    highest = 0
    previous_station = None
    for k in range(level.size):
        if station[k] != previous_station or (reset is not None and reset[k]):
            highest, previous_station = 0, station[k]
        current = int(level[k])
        if current == 0:
            highest = 0
        elif current > highest:
            highest = current
            triggers.append(
                Trigger(rule, observations.stations[station[k]], int(time[k]), float(value[k]), current)
            )
    return triggers


def _emit_nonzero(rule, observations, station, time, value, level, **kwargs) -> list[Trigger]:
    """``_emit`` on the rows with a level and their immediate predecessors only (fast on long series)."""
    if not np.any(level):
        return []
    keep = level > 0
    keep[:-1] |= level[1:] > 0  # the row before a rise carries the reset to 0
    index = np.flatnonzero(keep)
    reset = kwargs.get("reset")
    return _emit(
        rule,
        observations,
        station[index],
        time[index],
        value[index],
        level[index],
        reset=None if reset is None else reset[index],
    )


# --- the rules -----------------------------------------------------------------------------------


def _mudflow(observations, good, settings) -> list[Trigger]:
    _rows, station, time, value = _subset(observations, good, "precipitation_mm")
    state = rainfall_exceedance(station, time, value, curve=settings.id_curve, dry_gap_h=settings.dry_gap_h)
    if state.index.size == 0:
        return []
    new_event = np.ones(state.event.size, dtype=bool)
    new_event[1:] = state.event[1:] != state.event[:-1]
    return _emit(
        "mudflow",
        observations,
        station[state.index],
        time[state.index],
        state.ratio,
        state.level,
        reset=new_event,
    )


def _rate_of_rise(observations, good, settings) -> list[Trigger]:
    _rows, station, time, value = _subset(observations, good, "water_level_cm")
    rise3 = _rise_within(station, time, value, 3.0)
    jump1 = _rise_within(station, time, value, 1.0)
    level = np.searchsorted(np.asarray(settings.rise_3h_cm), rise3, side="right").astype(np.int8)
    level = np.maximum(level, np.where(jump1 >= settings.jump_1h_cm, 2, 0).astype(np.int8))
    return _emit_nonzero("flood.rate_of_rise", observations, station, time, np.maximum(rise3, jump1), level)


def _return_period(observations, good, settings) -> list[Trigger]:
    if not settings.return_levels:
        return []
    _rows, station, time, value = _subset(observations, good, settings.return_level_variable)
    thresholds = np.full((len(observations.stations), 3), np.inf)
    for name, levels in settings.return_levels.items():
        if name in observations.stations:
            thresholds[observations.stations.index(name)] = levels
    level = (value[:, None] >= thresholds[station]).sum(axis=1).astype(np.int8)
    return _emit_nonzero("flood.return_period", observations, station, time, value, level)


def _at_same_hour(observations, good, variable: str, station: NDArray, time: NDArray) -> NDArray[np.float64]:
    """The good value of ``variable`` at the same station and time (NaN where there is none)."""
    _, other_station, other_time, other_value = _subset(observations, good, variable)
    if other_time.size == 0:
        return np.full(time.size, np.nan)
    keys = other_station.astype(np.int64) * _SERIES_SPAN + other_time
    wanted = station.astype(np.int64) * _SERIES_SPAN + time
    position = np.minimum(np.searchsorted(keys, wanted), keys.size - 1)
    return np.where(keys[position] == wanted, other_value[position], np.nan)


def _avalanche(observations, good, settings) -> list[Trigger]:
    rows, station, time, depth = _subset(observations, good, "snow_depth_cm")
    if rows.size == 0:
        return []
    new24 = np.maximum(_rise_within(station, time, depth, 24.0), 0.0)
    new72 = np.maximum(_rise_within(station, time, depth, 72.0), 0.0)
    level = 1 + np.maximum(
        np.searchsorted(np.asarray(settings.new_snow_24h_cm), new24, side="right"),
        np.searchsorted(np.asarray(settings.new_snow_72h_cm), new72, side="right"),
    )
    _, t_station, t_time, temperature = _subset(observations, good, "air_temperature_c")
    warming_all = _rise_within(t_station, t_time, temperature, 24.0)
    warming = (
        np.zeros(t_time.size, dtype=bool)
        if t_time.size == 0
        else (warming_all >= settings.warming_24h_c) & (temperature > 0.0)
    )
    warm_here = _lookup(t_station, t_time, warming.astype(np.float64), station, time) > 0
    rain = _at_same_hour(observations, good, "precipitation_mm", station, time)
    air = _at_same_hour(observations, good, "air_temperature_c", station, time)
    rain_on_snow = (np.nan_to_num(rain) >= 1.0) & (np.nan_to_num(air, nan=-99.0) > 1.0) & (depth > 0)
    level = np.minimum(level + (warm_here | rain_on_snow), 5).astype(np.int8)
    level = np.where(level >= settings.avalanche_trigger_level, level, 0).astype(np.int8)
    return _emit_nonzero("avalanche", observations, station, time, np.maximum(new24, new72), level)


def _lookup(station_from, time_from, value_from, station, time) -> NDArray[np.float64]:
    if time_from.size == 0:
        return np.zeros(time.size)
    keys = station_from.astype(np.int64) * _SERIES_SPAN + time_from
    wanted = station.astype(np.int64) * _SERIES_SPAN + time
    position = np.minimum(np.searchsorted(keys, wanted), keys.size - 1)
    return np.where(keys[position] == wanted, value_from[position], 0.0)


def _lake(observations, good, settings) -> list[Trigger]:
    _rows, station, time, value = _subset(observations, good, "lake_level_m")
    rise = _rise_within(station, time, value, 24.0)
    # "> 0.25 m": a rise of exactly 0.25 m is not above it (side="left" counts thresholds below the rise)
    level = np.searchsorted(np.asarray(settings.lake_rise_24h_m), rise, side="left").astype(np.int8)
    return _emit_nonzero("sarez.lake_level", observations, station, time, rise, level)
