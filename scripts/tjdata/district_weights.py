"""District population totals: official regional totals shared out by district weights.

Step 1 (figures). reference/tj_district_population.csv gives 41 of the 65 statistical units
(mixed years; read its header). Each unit is mapped to the geoBoundaries polygon holding it
(crosswalk.STAT_UNIT_TO_DISTRICT); a polygon's figure is the sum of its units' figures.
  - basis "figure": every unit of the polygon has a figure;
  - basis "partial": some units have a figure, others do not (or the figure is a city proper
    only, crosswalk.CITY_PROPER_ONLY): the figure plus a modelled rural term for the rest;
  - basis "modeled": no unit of the polygon has a figure.
Step 2 (Rudaki). Rudaki's figure is for its pre-2021 territory, part of which was moved to Dushanbe
(CSV header). The moved population is estimated as Dushanbe's official 2023 total minus Dushanbe's
1 Jan 2020 figure grown at the national rate, converted back to 2020 terms, and taken off Rudaki.
The national rate is the one implied by the two national totals in the CSV header: 9,661 k at the
1 Oct 2020 census and 10,277.1 k on 1 Jan 2024.
Step 3 (modelled weight). For polygons without a complete figure the weight is
    W = S + rho_R * H            (modeled)      or     W = figure + rho_R * H      (partial)
where S is the sum of GeoNames cities500 populations in the polygon, H the sum of the rural
habitability weights of its cells (dasymetric.rural_weight), and rho_R a per-region people-per-unit-H
fitted by least squares on the region's "figure" polygons: rho = sum H (F - S) / sum H².
Step 4 (share). Each region's official 1 July 2023 total is shared among its districts in proportion
to W (figures, unrescaled, are W for "figure" polygons), so regional totals are exact by construction.
Figures of different years are used as they are (not rescaled to 2023); this biases units with
older figures (GBAO's 2010 rows, Sughd's 2009 rows) low relative to their neighbours.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tjdata.crosswalk import CITY_PROPER_ONLY, OFFICIAL_TOTALS_2023, STAT_UNIT_TO_DISTRICT

NATIONAL_CENSUS_2020 = 9_661_000  # 1 Oct 2020 preliminary census, CSV header (asiaplustj.info 2021-10-13)
NATIONAL_2024 = 10_277_100  # 1 Jan 2024, CSV header (stat.tj via Khovar)
NATIONAL_ANNUAL_GROWTH = (NATIONAL_2024 / NATIONAL_CENSUS_2020) ** (1 / 3.25) - 1
GROWTH_2020_TO_2023 = (1 + NATIONAL_ANNUAL_GROWTH) ** 3.5  # 1 Jan 2020 -> 1 Jul 2023


@dataclass
class DistrictFigure:
    district_code: str
    region_code: str
    units: list[str] = field(default_factory=list)
    units_with_figure: list[str] = field(default_factory=list)
    figure: float = 0.0
    years: list[int] = field(default_factory=list)
    city_proper_only: bool = False
    note: str = ""

    @property
    def basis(self) -> str:
        if not self.units_with_figure:
            return "modeled"
        complete = len(self.units_with_figure) == len(self.units) and not self.city_proper_only
        return "figure" if complete else "partial"


def read_unit_figures(csv_path: Path) -> dict[tuple[str, str], tuple[int, int]]:
    """(region_iso, unit_name) -> (population, year) from tj_district_population.csv."""
    lines = [line for line in csv_path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {
        (row["region_iso"], row["unit_name_en"]): (int(row["population"]), int(row["year"]))
        for row in csv.DictReader(lines)
    }


def collect_figures(
    unit_figures: dict[tuple[str, str], tuple[int, int]], district_code_of: dict[tuple[str, str], str]
) -> dict[str, DistrictFigure]:
    """Figures per district code. `district_code_of` maps (region, geoBoundaries name) to a code."""
    unknown = set(unit_figures) - set(STAT_UNIT_TO_DISTRICT)
    if unknown:
        raise ValueError(f"units in the population CSV missing from the crosswalk: {sorted(unknown)}")
    figures: dict[str, DistrictFigure] = {}
    for (region, unit), polygon_name in sorted(STAT_UNIT_TO_DISTRICT.items()):
        code = district_code_of[(region, polygon_name)]
        entry = figures.setdefault(code, DistrictFigure(code, region))
        entry.units.append(unit)
        if (region, unit) in unit_figures:
            population, year = unit_figures[(region, unit)]
            entry.units_with_figure.append(unit)
            entry.figure += population
            entry.years.append(year)
            entry.city_proper_only |= (region, unit) in CITY_PROPER_ONLY
    return figures


def adjust_rudaki(figures: dict[str, DistrictFigure], rudaki_code: str, dushanbe_code: str) -> float:
    """Take the population moved to Dushanbe (in 2020 terms) off Rudaki's figure; return it."""
    dushanbe_2020 = figures[dushanbe_code].figure
    moved_2023 = max(0.0, OFFICIAL_TOTALS_2023["TJ-DU"] - dushanbe_2020 * GROWTH_2020_TO_2023)
    moved_2020 = moved_2023 / GROWTH_2020_TO_2023
    rudaki = figures[rudaki_code]
    rudaki.figure = max(rudaki.figure - moved_2020, 0.0)
    rudaki.note = f"pre-2021 figure minus {moved_2020:,.0f} estimated moved to Dushanbe"
    return moved_2020


def fit_rural_density(
    figures: list[DistrictFigure], settled: dict[str, float], habitability: dict[str, float]
) -> float:
    """Least-squares people per unit of habitability over the given complete-figure districts."""
    numerator = sum(habitability[f.district_code] * (f.figure - settled[f.district_code]) for f in figures)
    denominator = sum(habitability[f.district_code] ** 2 for f in figures)
    return numerator / denominator if denominator > 0 else 0.0


def district_totals(
    figures: dict[str, DistrictFigure], settled: dict[str, float], habitability: dict[str, float]
) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """2023 population per district code, and a record of how each weight was made."""
    complete = [f for f in figures.values() if f.basis == "figure"]
    national_rho = fit_rural_density(complete, settled, habitability)
    totals: dict[str, float] = {}
    records: dict[str, dict[str, Any]] = {}
    for region, official in sorted(OFFICIAL_TOTALS_2023.items()):
        members = sorted(
            (f for f in figures.values() if f.region_code == region), key=lambda f: f.district_code
        )
        region_complete = [f for f in members if f.basis == "figure"]
        rho = fit_rural_density(region_complete, settled, habitability) if len(region_complete) >= 3 else 0.0
        rho = rho if rho > 0 else national_rho
        weights = {}
        for entry in members:
            code = entry.district_code
            if entry.basis == "figure":
                weights[code] = entry.figure
            elif entry.basis == "partial":
                weights[code] = entry.figure + rho * habitability[code]
            else:
                weights[code] = settled[code] + rho * habitability[code]
        weight_sum = sum(weights.values())
        for entry in members:
            code = entry.district_code
            totals[code] = official * weights[code] / weight_sum
            records[code] = {
                "basis": entry.basis,
                "figure": round(entry.figure) if entry.units_with_figure else None,
                "figure_years": sorted(set(entry.years)),
                "statistical_units": entry.units,
                "weight": round(weights[code]),
                "rural_density_fit": round(rho, 3) if entry.basis != "figure" else None,
                "note": entry.note,
            }
    return totals, records
