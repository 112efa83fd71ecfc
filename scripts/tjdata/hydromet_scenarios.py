"""Build the four hydromet exercise scenarios (src/hushdor/data/tj/scenarios/) and the indicative
hydrological posts they use (src/hushdor/data/tj/stations_hydro.csv).

SYNTHETIC series, built around documented events to exercise the rules, not records of them:

* mudflow_varzob.csv — a July cloudburst over the Varzob valley (hourly rain, 3 dry hours then 4 h of
  6–18 mm/h), the kind that sends mudflows down the Varzob side valleys (cf. the July 2015 Barsem
  mudflow in Shugnan, which dammed the Gunt; floodlist / The Diplomat 2015);
* flood_obikhingou.csv — a spring snowmelt flood on the Obikhingou (a Vakhsh tributary) at Tavildara
  rising through its 5-year discharge over two days; the return levels come from a synthetic 30-year
  annual-maximum series (obikhingou_annual_max.csv) fitted by L-moments (hushdor.science.hydromet);
* avalanche_anzob.csv — a March storm at the Anzob pass: 60 cm new snow in 48 h, then 7 °C warming;
* sarez.csv — Lake Sarez rising 30 cm in 24 h (the 2005 monitoring system sent a team at > 25 cm/24 h,
  13 July 2005; EurasiaNet 2005) with seepage discharge up, after the felt earthquake of the replay.

    .venv/bin/python scripts/tjdata/hydromet_scenarios.py
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from hushdor.science.hydromet.return_periods import gumbel_l_moments

DATA = Path(__file__).resolve().parents[2] / "src" / "hushdor" / "data" / "tj"
OUT = DATA / "scenarios"
HEADER = "# SYNTHETIC exercise series built by scripts/tjdata/hydromet_scenarios.py ({what}); not observations.\n"

# Indicative positions (2 decimals) of hydrological posts named in CoES/Tajikhydromet public reports;
# replace with the agency's station register before real use.
POSTS = [
    ("VARZOB-RAIN", "Varzob valley rain gauge (Takob)", "Осадкомер долины Варзоба (Такоб)",
     "Боронсанҷи водии Варзоб (Такоб)", 38.84, 68.93, 1650, "precipitation_mm"),
    ("OBIKHINGOU-TAVILDARA", "Obikhingou at Tavildara", "Обихингоу у Тавильдары", "Обихингоу дар Тавилдара",
     38.70, 70.47, 1616, "discharge_m3s;water_level_cm"),
    ("ANZOB-PASS", "Anzob pass", "Перевал Анзоб", "Ағбаи Анзоб", 39.08, 68.87, 3373,
     "snow_depth_cm;air_temperature_c;precipitation_mm"),
]


def rows_mudflow(start: datetime) -> list[tuple]:
    rain = [0, 0, 0, 0.2, 6.0, 14.0, 18.0, 9.0, 1.0, 0, 0, 0, 0, 0, 0, 0]  # then dry: the event ends
    return [("VARZOB-RAIN", start + timedelta(hours=k), "precipitation_mm", value) for k, value in enumerate(rain)]


def rows_flood(start: datetime, q5: float) -> list[tuple]:
    rows = []
    for k in range(49):
        q = 140.0 + (q5 * 1.08 - 140.0) * (k / 48) ** 1.6  # up through Q5 on the second day
        rows.append(("OBIKHINGOU-TAVILDARA", start + timedelta(hours=k), "discharge_m3s", round(q, 1)))
    return rows


def rows_avalanche(start: datetime) -> list[tuple]:
    rows = []
    for k in range(73):
        depth = 80.0 + min(k, 48) * 60.0 / 48  # 60 cm new snow in 48 h
        daily = 2.0 * np.sin(2 * np.pi * (k - 9) / 24)  # a diurnal cycle (a flat series would be "stuck")
        temperature = -5.0 + daily + (7.0 * (k - 48) / 24 if k > 48 else 0.0)  # then 7 °C warming in a day
        rows.append(("ANZOB-PASS", start + timedelta(hours=k), "snow_depth_cm", round(depth, 1)))
        rows.append(("ANZOB-PASS", start + timedelta(hours=k), "air_temperature_c", round(temperature, 1)))
    return rows


def rows_sarez(start: datetime) -> list[tuple]:
    rows = []
    for k in range(31):
        level = 3263.00 + (0.0 if k < 6 else (k - 6) * 0.0125)  # 30 cm in the 24 h after hour 6
        rows.append(("SAREZ-LAKE", start + timedelta(hours=k), "lake_level_m", round(level, 4)))
        rows.append(("USOI-SEEPAGE", start + timedelta(hours=k), "discharge_m3s", round(45.0 + max(k - 10, 0) * 0.4, 1)))
    return rows


def write(name: str, what: str, rows: list[tuple]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER.format(what=what))
        writer = csv.writer(handle)
        writer.writerow(["station", "time", "variable", "value"])
        for station, time, variable, value in rows:
            writer.writerow([station, time.strftime("%Y-%m-%dT%H:%M:%SZ"), variable, value])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2015)
    annual = np.round(rng.gumbel(loc=260.0, scale=60.0, size=30), 1)  # synthetic, Gumbel by construction
    with (OUT / "obikhingou_annual_max.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER.format(what="annual maxima drawn from a Gumbel(260, 60) law, seed 2015"))
        writer = csv.writer(handle)
        writer.writerow(["station", "year", "annual_max"])
        for year, value in zip(range(1991, 2021), annual, strict=True):
            writer.writerow(["OBIKHINGOU-TAVILDARA", year, value])
    fit = gumbel_l_moments(annual)
    q2, q5, q20 = (round(fit.level(t), 1) for t in (2, 5, 20))
    with (DATA / "stations_hydro.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# Hydrological posts for the exercises: INDICATIVE positions (2 decimals) of posts named in public\n"
            "# reports; q2/q5/q20 of the Obikhingou come from the SYNTHETIC series scenarios/obikhingou_annual_max.csv\n"
            "# (L-moment Gumbel; scripts/tjdata/hydromet_scenarios.py). Replace with Tajikhydromet's register and\n"
            "# return levels before real use.\n"
        )
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "name_ru", "name_tg", "lat", "lon", "elevation_m", "variables", "q2", "q5", "q20"])
        for code, name, name_ru, name_tg, lat, lon, elevation, variables in POSTS:
            levels = (q2, q5, q20) if code == "OBIKHINGOU-TAVILDARA" else ("", "", "")
            writer.writerow([code, name, name_ru, name_tg, lat, lon, elevation, variables, *levels])
    base = datetime(2015, 7, 16, 0, tzinfo=UTC)
    write("mudflow_varzob.csv", "July cloudburst over the Varzob valley", rows_mudflow(base))
    write("flood_obikhingou.csv", f"spring flood through Q5 = {q5} m3/s", rows_flood(datetime(2016, 5, 10, tzinfo=UTC), q5))
    write("avalanche_anzob.csv", "March storm, 60 cm new snow then warming", rows_avalanche(datetime(2017, 3, 5, tzinfo=UTC)))
    write("sarez.csv", "lake level +30 cm in 24 h, seepage up", rows_sarez(datetime(2005, 7, 12, 6, tzinfo=UTC)))
    print(f"Q2 {q2}, Q5 {q5}, Q20 {q20}; scenarios in {OUT}")


if __name__ == "__main__":
    main()
