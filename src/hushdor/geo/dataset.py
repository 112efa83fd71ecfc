"""Read the packaged Tajikistan dataset (`hushdor/data/tj/`): pure, offline, cached.

Files (written by `scripts/build_tj_dataset.py`, described in docs/data.md):
    regions.geojson, districts.geojson, settlements.csv, country.geojson, neighbours.geojson,
    rivers.geojson, lakes.geojson, elevation_30s.npz, population_30s.npz, ATTRIBUTION.md
Every loader takes an optional `data_dir` (a folder with the same files) and caches its result per
folder; records are frozen dataclasses and arrays are read-only, so cached values cannot be altered.
The population grid is MODELED and INDICATIVE (docs/data.md), not a census.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from hushdor.geo.errors import DatasetError
from hushdor.geo.grid import Grid, working_grid

LAYER_NAMES = ("country", "neighbours", "rivers", "lakes")
_POPULATION_ARRAYS = ("cell_index", "population", "district", "region", "metadata")


@dataclass(frozen=True)
class Region:
    """A first-level unit (viloyat, Dushanbe, or the Districts of Republican Subordination)."""

    code: str  # ISO 3166-2, e.g. "TJ-SU"
    name: str
    name_ru: str
    name_tg: str
    population: int  # official total, 1 July 2023
    geometry: BaseGeometry = field(repr=False, compare=False)
    iso_name: str = ""


@dataclass(frozen=True)
class District:
    """A district-level unit: a geoBoundaries ADM2 polygon, or the Dushanbe unit."""

    code: str  # "<ISO region>-<ASCII NAME>", e.g. "TJ-SU-ISFARA"
    name: str
    name_ru: str  # current official Russian name ("" in an older dataset without one); docs/data.md
    region_code: str
    population: int  # modeled, 1 July 2023 (sums to the official regional total)
    geometry: BaseGeometry = field(repr=False, compare=False)
    source_id: str = ""  # "geoboundaries:<shapeID>" or "naturalearth:<adm1_code>"
    population_basis: str = ""  # "figure", "partial" or "modeled" (docs/data.md)
    name_tg: str = ""  # Tajik (Cyrillic); last, with a default, so positional construction still works


@dataclass(frozen=True)
class Settlement:
    """A populated place (GeoNames cities500)."""

    id: int  # GeoNames geonameid
    name: str
    name_ru: str
    name_tg: str
    lat: float
    lon: float
    population: int  # GeoNames figure (mixed definitions), or modeled where GeoNames has none
    region_code: str
    district_code: str
    population_source: str = "geonames"  # "geonames" or "modeled" (the grid within 2 km; docs/data.md)


@dataclass(frozen=True, eq=False)
class PopulationGrid:
    """Modeled persons per working-grid cell, stored sparsely (only cells with people)."""

    grid: Grid
    cell_index: NDArray[np.int32]  # sorted flat indices (row * ncols + col)
    population: NDArray[np.float32]
    district_index: NDArray[np.int16]  # index into load_districts() order
    region_index: NDArray[np.int8]  # index into load_regions() order
    metadata: Mapping[str, Any]

    def dense(self) -> NDArray[np.float64]:
        """Population as a 2-D (nrows, ncols) array, zero where nobody lives."""
        values = np.zeros(self.grid.size)
        values[self.cell_index] = self.population
        return values.reshape(self.grid.shape)

    def total(self) -> float:
        return float(self.population.sum(dtype=np.float64))


def _folder(data_dir: Path | str | Traversable | None) -> Traversable:
    if data_dir is None:
        return files("hushdor").joinpath("data", "tj")
    return Path(data_dir) if isinstance(data_dir, str) else data_dir


def _read_bytes(folder: Traversable, name: str) -> bytes:
    entry = folder.joinpath(name)
    if not entry.is_file():
        raise DatasetError(f"dataset file {name} is missing from {folder}")
    return entry.read_bytes()


def _feature_collection(folder: Traversable, name: str) -> dict[str, Any]:
    try:
        document = json.loads(_read_bytes(folder, name).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DatasetError(f"{name} in {folder} is not valid GeoJSON: {error}") from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise DatasetError(f"{name} in {folder} is not a GeoJSON FeatureCollection")
    return document


def _geometry(feature: Mapping[str, Any], name: str) -> BaseGeometry:
    try:
        geometry = shape(feature["geometry"])
    except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as error:
        raise DatasetError(f"{name}: a feature has an unreadable geometry ({error})") from error
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


def _properties(feature: Mapping[str, Any], name: str, required: tuple[str, ...]) -> Mapping[str, Any]:
    properties = feature.get("properties") or {}
    missing = [key for key in required if key not in properties]
    if missing:
        raise DatasetError(f"{name}: a feature lacks properties {missing}")
    return properties


@cache
def _regions(folder: Traversable) -> tuple[Region, ...]:
    name = "regions.geojson"
    regions = []
    for feature in _feature_collection(folder, name)["features"]:
        p = _properties(feature, name, ("code", "name", "name_ru", "name_tg", "population"))
        regions.append(
            Region(
                p["code"],
                p["name"],
                p["name_ru"],
                p["name_tg"],
                int(p["population"]),
                _geometry(feature, name),
                p.get("iso_name", ""),
            )
        )
    return tuple(regions)


@cache
def _districts(folder: Traversable) -> tuple[District, ...]:
    name = "districts.geojson"
    districts = []
    for feature in _feature_collection(folder, name)["features"]:
        p = _properties(feature, name, ("code", "name", "region_code", "population"))
        basis = (p.get("population_model") or {}).get("basis", "")
        districts.append(
            District(
                p["code"],
                p["name"],
                p.get("name_ru") or "",
                p["region_code"],
                int(p["population"]),
                _geometry(feature, name),
                p.get("source_id", ""),
                basis,
                p.get("name_tg") or "",
            )
        )
    return tuple(districts)


@cache
def _settlements(folder: Traversable) -> tuple[Settlement, ...]:
    name = "settlements.csv"
    rows = csv.DictReader(io.StringIO(_read_bytes(folder, name).decode("utf-8")))
    settlements = []
    for line, row in enumerate(rows, start=2):
        try:
            settlements.append(
                Settlement(
                    int(row["id"]),
                    row["name"],
                    row["name_ru"],
                    row["name_tg"],
                    float(row["lat"]),
                    float(row["lon"]),
                    int(row["population"]),
                    row["region_code"],
                    row["district_code"],
                    row.get("population_source") or "geonames",
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise DatasetError(f"{name} line {line}: {error!r}") from error
    return tuple(settlements)


def _npz(folder: Traversable, name: str, required: tuple[str, ...]) -> dict[str, np.ndarray]:
    try:
        with np.load(io.BytesIO(_read_bytes(folder, name)), allow_pickle=False) as archive:
            missing = [key for key in required if key not in archive.files]
            if missing:
                raise DatasetError(f"{name} in {folder} lacks arrays {missing}")
            arrays = {key: archive[key] for key in required}
    except (OSError, ValueError) as error:
        raise DatasetError(f"{name} in {folder} is not a readable .npz file: {error}") from error
    for array in arrays.values():
        array.flags.writeable = False
    return arrays


@cache
def _population(folder: Traversable) -> PopulationGrid:
    name = "population_30s.npz"
    arrays = _npz(folder, name, _POPULATION_ARRAYS)
    grid = working_grid()
    cells = arrays["cell_index"]
    lengths = {len(arrays[key]) for key in ("cell_index", "population", "district", "region")}
    if len(lengths) != 1:
        raise DatasetError(f"{name}: arrays differ in length {sorted(lengths)}")
    if cells.size and (cells[0] < 0 or cells[-1] >= grid.size or np.any(np.diff(cells) <= 0)):
        raise DatasetError(f"{name}: cell_index is not strictly increasing within the working grid")
    metadata = json.loads(str(arrays["metadata"]))
    return PopulationGrid(
        grid, cells, arrays["population"], arrays["district"], arrays["region"], MappingProxyType(metadata)
    )


@cache
def _elevation(folder: Traversable) -> NDArray[np.int16]:
    name = "elevation_30s.npz"
    elevation = _npz(folder, name, ("elevation",))["elevation"]
    if elevation.shape != working_grid().shape or elevation.dtype != np.int16:
        raise DatasetError(
            f"{name}: elevation is {elevation.dtype}{elevation.shape}, not int16{working_grid().shape}"
        )
    return elevation


@cache
def _layer(folder: Traversable, name: str) -> dict[str, Any]:
    return _feature_collection(folder, f"{name}.geojson")


def load_regions(data_dir: Path | str | Traversable | None = None) -> tuple[Region, ...]:
    """The 5 first-level units, sorted by ISO code (the order population `region_index` refers to)."""
    return _regions(_folder(data_dir))


def load_districts(data_dir: Path | str | Traversable | None = None) -> tuple[District, ...]:
    """District-level units sorted by code (the order population `district_index` refers to)."""
    return _districts(_folder(data_dir))


def load_settlements(data_dir: Path | str | Traversable | None = None) -> tuple[Settlement, ...]:
    """Populated places, sorted by GeoNames id."""
    return _settlements(_folder(data_dir))


def load_population(data_dir: Path | str | Traversable | None = None) -> PopulationGrid:
    """The MODELED population on the working grid (1 July 2023; see docs/data.md)."""
    return _population(_folder(data_dir))


def load_elevation(data_dir: Path | str | Traversable | None = None) -> NDArray[np.int16]:
    """GEBCO 2023 elevation (m), 30″ block means, shape (540, 948), row 0 = north (read-only)."""
    return _elevation(_folder(data_dir))


def load_layer(name: str, data_dir: Path | str | Traversable | None = None) -> dict[str, Any]:
    """A basemap layer as a GeoJSON dict (a fresh copy): "country", "neighbours", "rivers" or "lakes"."""
    if name not in LAYER_NAMES:
        raise DatasetError(f"unknown layer {name!r}; choose one of {', '.join(LAYER_NAMES)}")
    return copy.deepcopy(_layer(_folder(data_dir), name))


__all__ = [
    "LAYER_NAMES",
    "District",
    "Grid",
    "PopulationGrid",
    "Region",
    "Settlement",
    "load_districts",
    "load_elevation",
    "load_layer",
    "load_population",
    "load_regions",
    "load_settlements",
    "working_grid",
]
