"""Reading area files (GeoJSON, GeoPackage) into checked records; no database here.

Every problem raises `PlacesImportError` naming the file, the feature and the field. Geometries are
repaired with shapely's ``make_valid`` (OGC validity), reduced to their polygonal part, and
reprojected to WGS84 longitude/latitude with pyproj when the file declares another CRS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from hushdor.apps.places.errors import PlacesImportError

WGS84 = CRS.from_epsg(4326)
# Column widths of Region/District (models.Area): a longer value is refused here, naming the feature,
# instead of by the database (PostgreSQL raises a traceback; SQLite would store it silently).
CODE_LIMIT = 32
NAME_LIMIT = 200


@dataclass(frozen=True)
class AreaRecord:
    code: str
    name: str
    parent_code: str
    population: int | None
    geometry: BaseGeometry
    name_ru: str = ""
    name_tg: str = ""


@dataclass(frozen=True)
class RawFeature:
    """One feature as read from a file: its position (1-based), properties and geometry (or None)."""

    number: int
    properties: dict[str, Any]
    geometry: BaseGeometry | None


def read_features(path: Path) -> tuple[list[RawFeature], CRS | None]:
    """The features of a GeoJSON or GeoPackage file, and the CRS it declares (None when it declares none)."""
    suffix = path.suffix.lower()
    if suffix in {".geojson", ".json"}:
        return _read_geojson(path)
    if suffix == ".gpkg":
        return _read_geopackage(path)
    raise PlacesImportError(path, "", "", "unknown file type; give a .geojson, .json or .gpkg file")


def _read_geojson(path: Path) -> tuple[list[RawFeature], CRS | None]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise PlacesImportError(path, "", "", "no such file") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PlacesImportError(path, "", "", f"not valid JSON ({error})") from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise PlacesImportError(path, "", "type", "expected a GeoJSON FeatureCollection")
    crs = _declared_crs(path, document.get("crs"))
    members = document.get("features") or []
    if not isinstance(members, list):
        raise PlacesImportError(path, "", "features", "expected a list of GeoJSON Features")
    features = []
    for number, feature in enumerate(members, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise PlacesImportError(path, f"feature {number}", "type", "expected a GeoJSON Feature")
        if not isinstance(feature.get("properties") or {}, dict):
            raise PlacesImportError(path, f"feature {number}", "properties", "expected a JSON object")
        geometry = None
        if feature.get("geometry") is not None:
            try:
                geometry = shape(feature["geometry"])
            except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.GEOSException) as error:
                raise PlacesImportError(
                    path, f"feature {number}", "geometry", f"unreadable ({error})"
                ) from error
        features.append(RawFeature(number, dict(feature.get("properties") or {}), geometry))
    return features, crs


def _declared_crs(path: Path, member: Any) -> CRS | None:
    if member is None:
        return None
    try:
        name = member["properties"]["name"]
        return CRS.from_user_input(name)
    except (KeyError, TypeError, ValueError) as error:
        raise PlacesImportError(path, "", "crs", f"cannot understand the declared CRS {member!r}") from error


def _read_geopackage(path: Path) -> tuple[list[RawFeature], CRS | None]:
    try:
        from pyogrio.raw import read as ogr_read
    except ImportError as error:
        raise PlacesImportError(
            path,
            "",
            "",
            "reading GeoPackage needs the pyogrio package (pip install pyogrio); or give GeoJSON",
        ) from error
    if not path.exists():
        raise PlacesImportError(path, "", "", "no such file")
    try:
        meta, _fids, geometries, field_data = ogr_read(path)
    except Exception as error:  # pyogrio raises several GDAL-derived classes; all mean "unreadable"
        raise PlacesImportError(path, "", "", f"cannot read the GeoPackage ({error})") from error
    names = list(meta["fields"])
    features = []
    for index, wkb in enumerate(geometries):
        properties = {name: _plain(field_data[column][index]) for column, name in enumerate(names)}
        geometry = shapely.from_wkb(wkb) if wkb is not None else None
        features.append(RawFeature(index + 1, properties, geometry))
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    return features, crs


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def read_areas(
    path: Path,
    *,
    code_field: str,
    name_field: str,
    parent_field: str | None = None,
    population_field: str | None = None,
    name_ru_field: str | None = None,
    name_tg_field: str | None = None,
) -> list[AreaRecord]:
    """Checked area records from a file: every feature has a code, a name and a polygonal geometry."""
    features, crs = read_features(path)
    if not features:
        raise PlacesImportError(path, "", "features", "the file has no features")
    transformer = _transformer_to_wgs84(crs)
    records: list[AreaRecord] = []
    seen: set[str] = set()
    for feature in features:
        where = f"feature {feature.number}"
        code = _text(path, where, feature.properties, code_field, required=True, limit=CODE_LIMIT)
        if code in seen:
            raise PlacesImportError(path, where, code_field, f"code {code!r} appears twice")
        seen.add(code)
        records.append(
            AreaRecord(
                code=code,
                name=_text(path, where, feature.properties, name_field, required=True),
                parent_code=_text(path, where, feature.properties, parent_field, required=bool(parent_field)),
                population=_count(path, where, feature.properties, population_field),
                geometry=_polygonal(path, where, feature.geometry, transformer),
                name_ru=_text(path, where, feature.properties, name_ru_field, required=False),
                name_tg=_text(path, where, feature.properties, name_tg_field, required=False),
            )
        )
    return records


def _transformer_to_wgs84(crs: CRS | None) -> Transformer | None:
    if crs is None or crs.equals(WGS84, ignore_axis_order=True) or crs.to_string() == "OGC:CRS84":
        return None
    return Transformer.from_crs(crs, WGS84, always_xy=True)


def _text(
    path: Path, where: str, properties: dict, field: str | None, *, required: bool, limit: int = NAME_LIMIT
) -> str:
    if not field:
        return ""
    value = properties.get(field)
    if value is None or str(value).strip() == "":
        if required:
            raise PlacesImportError(path, where, field, "missing or empty")
        return ""
    text = str(value).strip()
    if len(text) > limit:
        raise PlacesImportError(path, where, field, f"{len(text)} characters long; at most {limit} fit")
    return text


def _count(path: Path, where: str, properties: dict, field: str | None) -> int | None:
    if not field or properties.get(field) in (None, ""):
        return None
    try:
        value = float(properties[field])
    except (TypeError, ValueError) as error:
        raise PlacesImportError(path, where, field, f"not a number: {properties[field]!r}") from error
    if not value >= 0:
        raise PlacesImportError(path, where, field, f"a population cannot be {value}")
    return round(value)


def _polygonal(
    path: Path, where: str, geometry: BaseGeometry | None, transformer: Transformer | None
) -> BaseGeometry:
    if geometry is None or geometry.is_empty:
        raise PlacesImportError(path, where, "geometry", "missing or empty")
    if transformer is not None:
        geometry = shapely.transform(geometry, lambda xy: _project(transformer, xy))
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise PlacesImportError(
            path, where, "geometry", "coordinates are not longitude/latitude; declare the file's CRS"
        )
    repaired = shapely.make_valid(geometry)
    parts = [
        part for part in getattr(repaired, "geoms", [repaired]) if isinstance(part, Polygon | MultiPolygon)
    ]
    polygonal = shapely.union_all(parts) if parts else None
    if polygonal is None or polygonal.is_empty or polygonal.area == 0:
        raise PlacesImportError(path, where, "geometry", f"not a polygon (got {geometry.geom_type})")
    return polygonal


def _project(transformer: Transformer, xy: np.ndarray) -> np.ndarray:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])
