"""Reads for places: the active population grid, a summary, GeoJSON layers for the map, and names by language."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from hushdor.apps.places.models import District, PopulationGrid, Region, Settlement
from hushdor.apps.places.population_store import population_dir

STATIC_LAYERS = ("country", "neighbours", "rivers", "lakes")

_lock = threading.Lock()
_cached: dict[str, Any] = {"key": None, "grid": None}


def population_grid_key() -> str:
    """Identifies the active grid: ``imported:<id>:<path>``, or ``bundled`` when none is imported."""
    active = PopulationGrid.objects.filter(is_active=True).values_list("pk", "path").first()
    return "bundled" if active is None else f"imported:{active[0]}:{active[1]}"


def population_grid_active():
    """The active population grid as a `hushdor.geo.dataset.PopulationGrid` (imported, else bundled).

    Cached per process; one small query per call notices when another process activates a new grid.
    ``metadata["region_codes"]`` / ``["district_codes"]`` name what ``region_index`` / ``district_index``
    point into.
    """
    key = population_grid_key()
    with _lock:
        if _cached["key"] != key:
            _cached["grid"] = _load_grid(key)
            _cached["key"] = key
        return _cached["grid"]


def _load_grid(key: str):
    from hushdor.geo import dataset

    if key != "bundled":
        return dataset.load_population(data_dir=population_dir() / key.split(":", 2)[2])
    bundled = dataset.load_population()
    metadata = dict(bundled.metadata)
    metadata.setdefault("region_codes", [region.code for region in dataset.load_regions()])
    metadata.setdefault("district_codes", [district.code for district in dataset.load_districts()])
    return dataclasses.replace(bundled, metadata=MappingProxyType(metadata))


def population_by_area(grid, *, level: str) -> dict[str, float]:
    """People of the grid per region or district code (``level`` "region" or "district")."""
    codes = grid.metadata[f"{level}_codes"]
    index = np.asarray(grid.region_index if level == "region" else grid.district_index, dtype=np.int64)
    inside = index >= 0
    sums = np.bincount(
        index[inside], weights=grid.population[inside].astype(np.float64), minlength=len(codes)
    )
    return {code: float(sums[position]) for position, code in enumerate(codes)}


def places_info() -> dict[str, Any]:
    """Counts and population per region; region populations are sums of the active grid's cells."""
    grid = population_grid_active()
    by_region = population_by_area(grid, level="region")
    population = np.asarray(grid.population, dtype=np.float64)
    return {
        "regions": [
            {"code": region.code, "name": region.name, "population": round(by_region.get(region.code, 0.0))}
            for region in Region.objects.order_by("code")
        ],
        "districts": District.objects.count(),
        "settlements": Settlement.objects.count(),
        "population_total": round(float(population.sum())),
        "grid": {
            "resolution_arcsec": round(grid.grid.resolution_deg * 3600),
            "cells": int(np.count_nonzero(population > 0)),
        },
    }


def _localized(record, language: str) -> str:
    """The record's name in ``language`` (ru, tg), falling back to the English/transliterated name."""
    language = language.split("-")[0].lower()
    if language in ("ru", "tg"):
        return getattr(record, f"name_{language}", "") or record.name
    return record.name


def _names(record) -> dict[str, str]:
    """The record's name in each interface language (English where a translation is missing)."""
    return {language: _localized(record, language) for language in ("tg", "ru", "en")}


@dataclass(frozen=True)
class PlaceNames:
    """Russian and Tajik names of districts and settlements, keyed by their English ``name``.

    For texts built from results that carry only the English name (the earthquake engine's district
    and settlement rows). A name with no translation, or a blank one, is returned unchanged.
    """

    districts: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # name -> (ru, tg)
    settlements: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def district(self, name: str, language: str) -> str:
        return _translated(self.districts, name, language)

    def settlement(self, name: str, language: str) -> str:
        return _translated(self.settlements, name, language)


def _translated(table: Mapping[str, tuple[str, str]], name: str, language: str) -> str:
    language = language.split("-")[0].lower()
    if language not in ("ru", "tg") or name not in table:
        return name
    name_ru, name_tg = table[name]
    return (name_ru if language == "ru" else name_tg) or name


def place_names() -> PlaceNames:
    """Names from the places tables; the bundled dataset's while no district is loaded (fresh database).

    Where two places share an English name the first by code keeps it (the bundled dataset's twins
    share their translations: tests/geo/test_dataset_names.py).
    """
    if not District.objects.exists():
        from hushdor.geo import dataset

        return PlaceNames(
            districts=_first_names((d.name, d.name_ru, d.name_tg) for d in dataset.load_districts()),
            settlements=_first_names((s.name, s.name_ru, s.name_tg) for s in dataset.load_settlements()),
        )
    return PlaceNames(
        districts=_first_names(District.objects.order_by("code").values_list("name", "name_ru", "name_tg")),
        settlements=_first_names(
            Settlement.objects.order_by("code").values_list("name", "name_ru", "name_tg")
        ),
    )


def _first_names(rows: Iterable[tuple[str, str, str]]) -> MappingProxyType:
    table: dict[str, tuple[str, str]] = {}
    for name, name_ru, name_tg in rows:
        table.setdefault(name, (name_ru or "", name_tg or ""))
    return MappingProxyType(table)


def _feature(geometry: str, properties: dict) -> str:
    return f'{{"type":"Feature","geometry":{geometry},"properties":{json.dumps(properties, ensure_ascii=False)}}}'


def _collection(features: list[str]) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def regions_geojson(*, language: str = "en") -> str:
    """Regions as a GeoJSON FeatureCollection (text): code, name in ``language``, ``names`` in tg/ru/en
    (the compose page describes a picked area in each language), population."""
    return _collection(
        [
            _feature(
                r.geometry,
                {
                    "code": r.code,
                    "name": _localized(r, language),
                    "names": _names(r),
                    "population": r.population,
                },
            )
            for r in Region.objects.order_by("code")
        ]
    )


def districts_geojson(*, language: str = "en") -> str:
    rows = District.objects.select_related("region").order_by("code")
    return _collection(
        [
            _feature(
                d.geometry,
                {
                    "code": d.code,
                    "name": _localized(d, language),
                    "names": _names(d),
                    "region": _localized(d.region, language),
                    "population": d.population,
                },
            )
            for d in rows
        ]
    )


def settlements_geojson(*, language: str = "en") -> str:
    rows = Settlement.objects.select_related("district").order_by("-population", "name")
    features = []
    for s in rows:
        geometry = json.dumps({"type": "Point", "coordinates": [round(s.lon, 5), round(s.lat, 5)]})
        district = _localized(s.district, language) if s.district else ""
        features.append(
            _feature(
                geometry,
                {
                    "code": s.code,
                    "name": _localized(s, language),
                    "population": s.population,
                    "district": district,
                },
            )
        )
    return _collection(features)


def layer_geojson(name: str) -> str:
    """A static background layer of the bundled dataset ("country", "neighbours", "rivers", "lakes")."""
    if name not in STATIC_LAYERS:
        raise KeyError(name)
    return _static_layer(name)


_static_cache: dict[str, str] = {}


def _static_layer(name: str) -> str:
    if name not in _static_cache:
        from hushdor.geo import dataset

        layer = dataset.load_layer(name)
        _static_cache[name] = layer if isinstance(layer, str) else json.dumps(layer, ensure_ascii=False)
    return _static_cache[name]
