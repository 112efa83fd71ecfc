"""Reading settlement files (CSV or GeoJSON points) into checked records; no database here.

CSV columns: ``id,name,lat,lon,population`` and optionally ``name_ru,name_tg,region_code,district_code``
(UTF-8, comma-separated, one header line). GeoJSON: a FeatureCollection of Points whose properties
carry the same names (``lat``/``lon`` come from the geometry).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import Point

from hushdor.apps.places.area_files import read_features
from hushdor.apps.places.errors import PlacesImportError

REQUIRED_COLUMNS = ("id", "name", "lat", "lon", "population")
OPTIONAL_COLUMNS = ("name_ru", "name_tg", "region_code", "district_code")
# Column widths of Settlement (models.py); a longer value is refused naming the row, not by the database.
TEXT_LIMITS = {"id": 64, "name": 200, "name_ru": 200, "name_tg": 200}


@dataclass(frozen=True)
class SettlementRecord:
    code: str
    name: str
    lat: float
    lon: float
    population: int
    name_ru: str = ""
    name_tg: str = ""
    region_code: str = ""
    district_code: str = ""


def read_settlements(path: Path) -> list[SettlementRecord]:
    """Checked settlement records; ids are unique, coordinates are WGS84, populations are counts."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix in {".geojson", ".json"}:
        rows = _geojson_rows(path)
    else:
        raise PlacesImportError(path, "", "", "unknown file type; give a .csv or .geojson file")
    records: list[SettlementRecord] = []
    seen: set[str] = set()
    for where, values in rows:
        record = _record(path, where, values)
        if record.code in seen:
            raise PlacesImportError(path, where, "id", f"id {record.code!r} appears twice")
        seen.add(record.code)
        records.append(record)
    if not records:
        raise PlacesImportError(path, "", "", "the file has no settlements")
    return records


def _csv_rows(path: Path) -> list[tuple[str, dict]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in REQUIRED_COLUMNS if column not in header]
            if missing:
                raise PlacesImportError(path, "header", missing[0], f"missing column(s) {', '.join(missing)}")
            return [(f"row {number} (line {reader.line_num})", row) for number, row in enumerate(reader, 1)]
    except FileNotFoundError as error:
        raise PlacesImportError(path, "", "", "no such file") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise PlacesImportError(path, "", "", f"not a readable UTF-8 CSV file ({error})") from error


def _geojson_rows(path: Path) -> list[tuple[str, dict]]:
    features, crs = read_features(path)
    if crs is not None and crs.to_epsg() not in (4326, None) and crs.to_string() != "OGC:CRS84":
        raise PlacesImportError(path, "", "crs", "settlement points must be WGS84 longitude/latitude")
    rows = []
    for feature in features:
        where = f"feature {feature.number}"
        if not isinstance(feature.geometry, Point):
            raise PlacesImportError(path, where, "geometry", "expected a Point")
        rows.append((where, {**feature.properties, "lon": feature.geometry.x, "lat": feature.geometry.y}))
    return rows


def _record(path: Path, where: str, values: dict) -> SettlementRecord:
    def text(column: str, *, required: bool = False) -> str:
        value = values.get(column)
        value = "" if value is None else str(value).strip()
        if required and not value:
            raise PlacesImportError(path, where, column, "missing or empty")
        limit = TEXT_LIMITS.get(column)
        if limit is not None and len(value) > limit:
            raise PlacesImportError(path, where, column, f"{len(value)} characters long; at most {limit} fit")
        return value

    def number(column: str, low: float, high: float) -> float:
        raw = text(column, required=True)
        try:
            value = float(raw)
        except ValueError as error:
            raise PlacesImportError(path, where, column, f"not a number: {raw!r}") from error
        if not (math.isfinite(value) and low <= value <= high):
            raise PlacesImportError(path, where, column, f"{raw} is outside {low:g}..{high:g}")
        return value

    return SettlementRecord(
        code=text("id", required=True),
        name=text("name", required=True),
        lat=number("lat", -90, 90),
        lon=number("lon", -180, 180),
        population=round(number("population", 0, 1e9)),
        name_ru=text("name_ru"),
        name_tg=text("name_tg"),
        region_code=text("region_code"),
        district_code=text("district_code"),
    )
