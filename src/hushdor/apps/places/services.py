"""Writes for places: load the bundled dataset, import areas, settlements and a population grid.

Every function is one use case in one transaction: a bad file raises `PlacesImportError` (naming
the file, the row or feature and the field) and nothing of it is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import shapely
from django.db import transaction
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from hushdor.apps.places.area_files import AreaRecord, read_areas
from hushdor.apps.places.errors import PlacesImportError
from hushdor.apps.places.grid_areas import cells_in_areas
from hushdor.apps.places.models import District, PopulationGrid, Region, Settlement
from hushdor.apps.places.population_rasters import resample_population
from hushdor.apps.places.population_store import StoredGrid, grid_remove, grid_write, population_dir
from hushdor.apps.places.settlement_files import SettlementRecord, read_settlements

logger = logging.getLogger(__name__)

BUNDLED_SOURCE = "bundled dataset (hushdor.geo.dataset)"


@dataclass(frozen=True)
class PlacesLoadSummary:
    regions: int
    districts: int
    settlements: int


@dataclass(frozen=True)
class PopulationImportSummary:
    grid_id: int
    path: Path
    total_read: float
    total_on_grid: float
    cells: int
    skipped_pixels: int


def _bbox_columns(geometry: BaseGeometry) -> dict[str, float]:
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}


def _area_columns(*, name: str, name_ru: str, name_tg: str, population, geometry, source: str) -> dict:
    return {
        "name": name,
        "name_ru": name_ru or "",
        "name_tg": name_tg or "",
        "population": None if population is None else round(population),
        "geometry": shapely.to_geojson(geometry),
        "source": source,
        **_bbox_columns(geometry),
    }


@transaction.atomic
def places_load_bundled() -> PlacesLoadSummary:
    """Load (or refresh) regions, districts and settlements from the packaged dataset; idempotent."""
    from hushdor.geo import dataset

    regions = {}
    for region in dataset.load_regions():
        regions[region.code], _ = Region.objects.update_or_create(
            code=region.code,
            defaults=_area_columns(
                name=region.name,
                name_ru=region.name_ru,
                name_tg=region.name_tg,
                population=region.population,
                geometry=region.geometry,
                source=BUNDLED_SOURCE,
            ),
        )
    districts = {}
    for district in dataset.load_districts():
        districts[district.code], _ = District.objects.update_or_create(
            code=district.code,
            defaults={
                "region": regions[district.region_code],
                **_area_columns(
                    name=district.name,
                    name_ru=getattr(district, "name_ru", ""),
                    name_tg=getattr(district, "name_tg", ""),
                    population=district.population,
                    geometry=district.geometry,
                    source=BUNDLED_SOURCE,
                ),
            },
        )
    settlements = 0
    bundled_codes = []
    for settlement in dataset.load_settlements():
        Settlement.objects.update_or_create(
            code=str(settlement.id),
            defaults={
                "name": settlement.name,
                "name_ru": settlement.name_ru or "",
                "name_tg": settlement.name_tg or "",
                "lat": settlement.lat,
                "lon": settlement.lon,
                "population": round(settlement.population or 0),
                "population_source": settlement.population_source,
                "region": regions.get(settlement.region_code or ""),
                "district": districts.get(settlement.district_code or ""),
                "source": BUNDLED_SOURCE,
            },
        )
        bundled_codes.append(str(settlement.id))
        settlements += 1
    # A bundled place the new dataset no longer has (a merged duplicate) goes; imported ones stay.
    Settlement.objects.filter(source=BUNDLED_SOURCE).exclude(code__in=bundled_codes).delete()
    return PlacesLoadSummary(regions=len(regions), districts=len(districts), settlements=settlements)


@transaction.atomic
def areas_import(
    path: Path,
    *,
    level: Literal["region", "district"],
    code_field: str,
    name_field: str,
    parent_field: str | None = None,
    population_field: str | None = None,
    name_ru_field: str | None = None,
    name_tg_field: str | None = None,
) -> int:
    """Create or update regions or districts from a GeoJSON/GeoPackage file; returns how many.

    A district's region comes from ``parent_field`` when given, else from the region holding
    the district's representative point.
    """
    path = Path(path)
    if level not in ("region", "district"):
        raise PlacesImportError(path, "", "level", f"level must be 'region' or 'district', not {level!r}")
    records = read_areas(
        path,
        code_field=code_field,
        name_field=name_field,
        parent_field=parent_field,
        population_field=population_field,
        name_ru_field=name_ru_field,
        name_tg_field=name_tg_field,
    )
    source = f"imported from {path.name}"
    for number, record in enumerate(records, start=1):
        columns = _area_columns(
            name=record.name,
            name_ru=record.name_ru,
            name_tg=record.name_tg,
            population=record.population,
            geometry=record.geometry,
            source=source,
        )
        if level == "region":
            Region.objects.update_or_create(code=record.code, defaults=columns)
        else:
            region = _parent_region(path, f"feature {number}", record, parent_field)
            District.objects.update_or_create(code=record.code, defaults={"region": region, **columns})
    return len(records)


def _parent_region(path: Path, where: str, record: AreaRecord, parent_field: str | None) -> Region:
    if parent_field:
        region = Region.objects.filter(code=record.parent_code).first()
        if region is None:
            raise PlacesImportError(
                path, where, parent_field, f"no region has the code {record.parent_code!r}"
            )
        return region
    point = record.geometry.representative_point()
    region = _area_holding(Region.objects.all(), point)
    if region is None:
        raise PlacesImportError(
            path,
            where,
            "geometry",
            "no region holds this district; import regions first or give parent_field",
        )
    return region


def _area_holding(queryset, point: Point):
    """The first area of ``queryset`` whose polygon holds ``point`` (bounding boxes filter first)."""
    candidates = queryset.filter(
        min_lon__lte=point.x, max_lon__gte=point.x, min_lat__lte=point.y, max_lat__gte=point.y
    )
    for area in candidates:
        if shapely.from_geojson(area.geometry).covers(point):
            return area
    return None


@transaction.atomic
def settlements_import(path: Path) -> int:
    """Create or update settlements from CSV or GeoJSON points; returns how many.

    A settlement without a district code gets the district holding its point (and that district's
    region); codes that are given must exist.
    """
    path = Path(path)
    records = read_settlements(path)
    for number, record in enumerate(records, start=1):
        district, region = _settlement_areas(path, number, record, path.suffix.lower() == ".csv")
        Settlement.objects.update_or_create(
            code=record.code,
            defaults={
                "name": record.name,
                "name_ru": record.name_ru,
                "name_tg": record.name_tg,
                "lat": record.lat,
                "lon": record.lon,
                "population": record.population,
                "region": region,
                "district": district,
                "source": f"imported from {path.name}",
            },
        )
    return len(records)


def _settlement_areas(
    path: Path, number: int, record: SettlementRecord, is_csv: bool
) -> tuple[District | None, Region | None]:
    where = f"row {number}" if is_csv else f"feature {number}"
    district = None
    if record.district_code:
        district = District.objects.select_related("region").filter(code=record.district_code).first()
        if district is None:
            raise PlacesImportError(
                path, where, "district_code", f"no district has the code {record.district_code!r}"
            )
    else:
        district = _area_holding(District.objects.select_related("region"), Point(record.lon, record.lat))
    region = district.region if district is not None else None
    if record.region_code:
        region = Region.objects.filter(code=record.region_code).first()
        if region is None:
            raise PlacesImportError(
                path, where, "region_code", f"no region has the code {record.region_code!r}"
            )
    elif region is None:
        region = _area_holding(Region.objects.all(), Point(record.lon, record.lat))
    return district, region


def population_import(path: Path, *, name: str | None = None) -> PopulationImportSummary:
    """Resample a population-count GeoTIFF onto the working grid, store it and make it the active grid."""
    from hushdor.geo.grid import working_grid

    path = Path(path)
    grid = working_grid()
    resampled = resample_population(path, grid)
    cell_index = np.flatnonzero(resampled.counts > 0).astype(np.int32)
    if cell_index.size == 0:
        raise PlacesImportError(
            path, "", "band 1", "no people on the working grid (all zero, nodata or outside)"
        )
    districts = list(District.objects.select_related("region").order_by("code"))
    regions = list(Region.objects.order_by("code"))
    stored = StoredGrid(
        cell_index=cell_index,
        population=resampled.counts[cell_index].astype(np.float32),
        district_index=cells_in_areas(grid, cell_index, _geometries(districts)),
        region_index=cells_in_areas(grid, cell_index, _geometries(regions)).astype(np.int8),
        district_codes=[district.code for district in districts],
        region_codes=[region.code for region in regions],
        metadata={"source": str(path), "source_resolution": resampled.source_resolution},
    )
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = population_dir() / f"{stamp}-{path.stem}"
    grid_write(folder, stored)
    try:
        grid_id = _population_grid_activate(
            name=name or path.stem,
            source=f"{path.name}, {resampled.source_resolution}",
            folder=folder,
            cells=int(cell_index.size),
            total=float(stored.population.astype(np.float64).sum()),
            total_in_source=resampled.total_read,
        )
    except Exception:
        grid_remove(folder)
        raise
    logger.info(
        "population grid %s: %.0f people read, %.0f on the grid",
        path,
        resampled.total_read,
        resampled.total_on_grid,
    )
    return PopulationImportSummary(
        grid_id=grid_id,
        path=folder,
        total_read=resampled.total_read,
        total_on_grid=resampled.total_on_grid,
        cells=int(cell_index.size),
        skipped_pixels=resampled.skipped_pixels,
    )


def _geometries(areas: Iterable) -> list[BaseGeometry]:
    return [shapely.from_geojson(area.geometry) for area in areas]


@transaction.atomic
def _population_grid_activate(
    *, name: str, source: str, folder: Path, cells: int, total: float, total_in_source: float
) -> int:
    PopulationGrid.objects.filter(is_active=True).update(is_active=False)
    grid = PopulationGrid.objects.create(
        name=name,
        source=source,
        resolution_arcsec=30.0,
        cells=cells,
        total=total,
        total_in_source=total_in_source,
        path=folder.name,
        is_active=True,
    )
    return grid.pk


@transaction.atomic
def population_grid_deactivate() -> None:
    """Go back to the bundled population grid (imported files stay on disk and in the list)."""
    PopulationGrid.objects.filter(is_active=True).update(is_active=False)
