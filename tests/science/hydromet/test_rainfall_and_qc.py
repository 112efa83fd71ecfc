"""Rainfall events and the ID exceedance; quality control flags with their reasons."""

from __future__ import annotations

import numpy as np
import pytest

from hushdor.science.hydromet.observations import VARIABLE_CODE, ObservationSet
from hushdor.science.hydromet.qc import (
    BAD,
    GOOD,
    MISSING,
    PERSISTENCE_HOURS,
    SUSPECT,
    buddy_check,
    quality_control,
)
from hushdor.science.hydromet.rainfall import IdCurve, rainfall_exceedance

H = 3600
T0 = 1_437_004_800  # 2015-07-16T00:00Z


def test_the_guzzetti_curve_gives_the_worked_thresholds():
    curve = IdCurve()
    hours = np.array([1.0, 3.0, 6.0, 24.0, 72.0])
    # reference notes A.1: 2.20 / 1.36 / 1.00 / 0.54 / 0.34 mm/h
    assert np.round(curve.intensity(hours), 2).tolist() == [2.20, 1.36, 1.00, 0.54, 0.34]


def test_events_are_split_by_six_dry_hours_and_measured_from_their_first_wet_hour():
    rain = [3.0, 0.0, 2.0, 0.1, 0, 0, 0, 0, 0, 0, 4.0, 5.0]  # hours 3–9 are dry (0.1 mm is below 0.2)
    hours = np.arange(len(rain))
    state = rainfall_exceedance(np.zeros(len(rain), int), T0 + hours * H, np.array(rain, dtype=float))
    assert state.index.tolist() == [0, 2, 10, 11]
    assert state.event.tolist() == [0, 0, 1, 1]  # 0.1 mm at hour 3 is dry; hours 3–9 are 7 dry hours
    assert state.duration_h.tolist() == [1.0, 3.0, 1.0, 2.0]
    assert state.rain_mm.tolist() == [3.0, 5.0, 4.0, 9.0]
    expected = (5.0 / 3.0) / (2.20 * 3.0**-0.44)
    assert state.ratio[1] == pytest.approx(expected)


def test_five_dry_hours_do_not_end_an_event():
    rain = [2.0, 0, 0, 0, 0, 0, 2.0]
    state = rainfall_exceedance(np.zeros(7, int), T0 + np.arange(7) * H, np.array(rain, dtype=float))
    assert state.event.tolist() == [0, 0] and state.duration_h.tolist() == [1.0, 7.0]


def test_levels_rise_with_the_exceedance_ratio_and_stations_never_share_an_event():
    # 3 h of rain at 1.5, 4 and 12 mm/h on three stations, interleaved in time
    station = np.repeat([0, 1, 2], 3)
    time = np.tile(T0 + np.arange(3) * H, 3)
    rain = np.repeat([1.5, 4.0, 12.0], 3)
    state = rainfall_exceedance(station, time, rain)
    assert state.event.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert state.level[[2, 5, 8]].tolist() == [1, 2, 3]  # r = 1.1, 2.9, 8.8 at D = 3 h
    assert state.above_caine[[2, 5, 8]].tolist() == [False, False, True]  # Caine at 3 h: 9.7 mm/h


def obs(variable, values, *, station=0, step_h=1, start=T0):
    values = np.asarray(values, dtype=float)
    n = values.size
    return ObservationSet.from_columns(
        np.full(n, station), np.full(n, VARIABLE_CODE[variable]), start + np.arange(n) * step_h * H, values, ("S",)
    )


def test_missing_out_of_range_and_future_values_are_flagged_never_dropped():
    observations = obs("precipitation_mm", [1.0, np.nan, -2.0, 250.0, np.inf, 3.0])
    flags = quality_control(observations, now=T0 + 4 * H)
    assert len(flags.flag) == 6
    assert flags.flag.tolist() == [GOOD, MISSING, BAD, BAD, MISSING, BAD]
    assert flags.reason_text(2) == "outside the physical range"
    assert flags.reason_text(5) == "time in the future"


def test_a_lake_level_in_centimetres_instead_of_metres_is_out_of_range():
    flags = quality_control(obs("lake_level_m", [3263.10, 326_311.0]))
    assert flags.flag.tolist() == [GOOD, BAD]


def test_duplicates_keep_the_first_value_and_out_of_order_input_is_sorted():
    observations = ObservationSet.from_columns(
        np.zeros(3, int), np.full(3, VARIABLE_CODE["air_temperature_c"]), np.array([T0 + H, T0, T0 + H]),
        np.array([11.0, 10.0, 30.0]), ("S",)
    )
    assert observations.time.tolist() == [T0, T0 + H, T0 + H]
    flags = quality_control(observations)
    assert flags.flag.tolist() == [GOOD, GOOD, BAD] and "duplicate" in flags.reason_text(2)


def test_a_jump_is_suspect_and_a_stuck_sensor_is_suspect_after_a_day():
    jump = quality_control(obs("air_temperature_c", [10.0, 11.0, 30.0, 12.0]))
    assert jump.flag.tolist() == [GOOD, GOOD, SUSPECT, SUSPECT]
    stuck = quality_control(obs("water_level_cm", [120.0] * (PERSISTENCE_HOURS + 2)))
    assert stuck.flag[: PERSISTENCE_HOURS - 1].tolist() == [GOOD] * (PERSISTENCE_HOURS - 1)
    assert stuck.flag[PERSISTENCE_HOURS - 1 :].tolist() == [SUSPECT] * 3
    dry = quality_control(obs("precipitation_mm", [0.0] * 48))  # days without rain are normal
    assert (dry.flag == GOOD).all()


def test_the_buddy_check_flags_the_station_far_from_its_neighbours():
    lat = np.array([38.56, 38.60, 38.50, 38.65, 39.90])
    lon = np.array([68.77, 68.80, 68.70, 68.90, 69.00])
    values = np.array([24.0, 25.0, 23.5, 4.0, 5.0])  # the 4th reads 20 °C low; the 5th has no buddies
    assert buddy_check(values, lat, lon).tolist() == [False, False, False, True, False]
