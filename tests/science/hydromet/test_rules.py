"""The rules end to end on small hand-made series, and the replay command."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.management import call_command

from hushdor.science.hydromet.lead_times import LeadTimeError, lead_times
from hushdor.science.hydromet.observations import VARIABLE_CODE, ObservationSet, iso_time, read_csv
from hushdor.science.hydromet.rules import RuleSettings, run_rules

H = 3600
T0 = 1_437_004_800  # 2015-07-16T00:00Z


def series(rows: list[tuple[str, str, list[float]]], step_h: int = 1) -> ObservationSet:
    names = sorted({name for name, _, _ in rows})
    station, variable, time, value = [], [], [], []
    for name, var, values in rows:
        for k, v in enumerate(values):
            station.append(names.index(name))
            variable.append(VARIABLE_CODE[var])
            time.append(T0 + k * step_h * H)
            value.append(v)
    return ObservationSet.from_columns(
        np.array(station), np.array(variable), np.array(time), np.array(value), tuple(names)
    )


def by_rule(result, rule):
    return [(t.station, iso_time(t.time), t.level) for t in result.triggers if t.rule == rule]


def test_a_mudflow_trigger_is_written_once_per_level_not_every_hour():
    rain = [0, 3.0, 5.0, 8.0, 12.0, 9.0, 0, 0]  # Varzob, a summer storm
    result = run_rules(series([("VARZOB", "precipitation_mm", rain)]))
    triggers = by_rule(result, "mudflow")
    assert [level for _, _, level in triggers] == [1, 2, 3]
    assert triggers[0] == ("VARZOB", "2015-07-16T01:00:00Z", 1)


def test_flagged_rain_does_not_trigger():
    result = run_rules(series([("VARZOB", "precipitation_mm", [0, 250.0, 0])]))
    assert result.triggers == [] and int(result.flags.flag[1]) == 2


def test_a_river_rising_fast_triggers_the_rate_of_rise_rule():
    level = [100, 110, 130, 170, 230, 250, 240]
    result = run_rules(series([("VAKHSH", "water_level_cm", level)]))
    assert by_rule(result, "flood.rate_of_rise") == [
        ("VAKHSH", "2015-07-16T03:00:00Z", 1),  # +70 cm in 3 h
        ("VAKHSH", "2015-07-16T04:00:00Z", 2),  # +60 cm in 1 h: a stage jump
    ]


def test_return_period_levels_follow_the_station_thresholds():
    settings = RuleSettings(return_levels={"VAKHSH": (400.0, 600.0, 850.0)})
    flow = [300, 420, 610, 900, 500, 300, 700]
    result = run_rules(series([("VAKHSH", "discharge_m3s", flow)]), settings)
    assert [level for _, _, level in by_rule(result, "flood.return_period")] == [1, 2, 3, 2]


def test_sixty_centimetres_of_new_snow_with_warming_is_an_indicative_level_five():
    depth = [80.0] * 6 + [80 + 10 * k for k in range(1, 7)] + [140.0] * 12  # +60 cm over 6 hours
    temperature = [-8.0] * 12 + [-8 + k for k in range(1, 13)]  # +12 °C, above 0 °C
    result = run_rules(series([("ANZOB", "snow_depth_cm", depth), ("ANZOB", "air_temperature_c", temperature)]))
    levels = [level for _, _, level in by_rule(result, "avalanche")]
    assert levels[:2] == [3, 4] and max(levels) == 5


def test_lake_sarez_rising_more_than_25_cm_in_a_day_is_a_technical_alarm():
    rising = [3263.00 + 0.0125 * k for k in range(25)]  # +0.30 m in 24 h
    result = run_rules(series([("SAREZ-LAKE", "lake_level_m", rising)]))
    (trigger,) = [t for t in result.triggers if t.rule == "sarez.lake_level"]
    assert trigger.level == 1 and trigger.value > 0.25
    flat = [3263.00 + 0.25 / 24 * k for k in range(25)]  # exactly 0.25 m: not above it
    assert run_rules(series([("SAREZ-LAKE", "lake_level_m", flat)])).triggers == []


def test_lead_times_are_ordered_by_arrival_and_refuse_nonsense():
    arrivals = lead_times([("Rushan", 130.0), ("Barchadiv", 35.0)], celerity_m_s=5.0)
    assert [(a.village, round(a.minutes)) for a in arrivals] == [("Barchadiv", 117), ("Rushan", 433)]
    with pytest.raises(LeadTimeError, match="positive"):
        lead_times([("Rushan", 130.0)], celerity_m_s=0.0)


def test_replay_reads_the_file_rejects_bad_rows_and_prints_the_documented_json(tmp_path, capsys):
    lines = ["station,time,variable,value"]
    for k, mm in enumerate([0, 3.0, 5.0, 8.0, 12.0, 0]):
        lines.append(f"VARZOB,2015-07-16T{k:02d}:00:00Z,precipitation_mm,{mm}")
    lines += [
        "VARZOB,2015-07-16T06:00:00Z,precipitation_mm,nan",
        "VARZOB,2015-07-16T07:00:00Z,rain_inches,2",
        "VARZOB,yesterday,precipitation_mm,1",
        "VARZOB,2015-07-16T08:00:00Z,precipitation_mm,lots",
    ]
    path = tmp_path / "replay.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("hydromet", "replay", str(path), "--json")
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert set(document) == {"observations", "flagged", "rejected", "triggers"}
    assert (document["observations"], document["flagged"], document["rejected"]) == (7, 1, 3)
    assert [t["level"] for t in document["triggers"]] == [1, 2, 3]
    assert set(document["triggers"][0]) == {"rule", "station", "time", "value", "level"}
    assert "unknown variable 'rain_inches'" in captured.err and "not a number" in captured.err


def test_a_file_without_the_columns_is_refused():
    from hushdor.science.hydromet.observations import ObservationError

    with pytest.raises(ObservationError, match="missing column"):
        read_csv("station,when,value\n")
