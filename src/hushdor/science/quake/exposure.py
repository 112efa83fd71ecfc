"""What an earthquake assessment is computed over: the grid box, populated cells, settlements.

:class:`Exposure` bundles the arrays that do not change between events — the full 30″ grid box as a
:class:`~hushdor.science.quake.fast_shaking.SiteSet` (its per-site constants precomputed once), the
populated cells (flat indices into the box, population, district and region indices, slope), the
settlements, and the names of regions and districts. :meth:`Exposure.bundled` builds it once from
the packaged Tajik dataset (:mod:`hushdor.geo.dataset`) and caches it.

Site conditions: Vs30 per cell from the topographic slope of the bundled 30″ GEBCO elevation with
the Wald & Allen (2007) active-tectonic table (:mod:`hushdor.science.quake.site`). Lakes are not
masked as water (the dataset has no lake raster); a lake surface is flat, so its cells get soft-soil
Vs30, which only matters for the (unpopulated) lake cells themselves.

Coverage: the population grid is Tajikistan's only (modeled; ``docs/data.md``); cells in
neighbouring countries carry no population.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property

import numpy as np
from numpy.typing import NDArray

from hushdor.geo.grid import Grid
from hushdor.science.quake.fast_shaking import SiteSet
from hushdor.science.quake.losses import STEEP_SLOPE_M_PER_M
from hushdor.science.quake.site import DEFAULT_VS30, slope_from_elevation, vs30_from_slope

COVERAGE_NOTE = "Tajikistan only: population outside Tajikistan is not counted (no raster for neighbours)."


class InvalidExposureError(ValueError):
    """Exposure arrays that are inconsistent (lengths, indices outside the grid, negative population)."""


@dataclass(frozen=True)
class Settlements:
    """Named places: coordinates, population and the Vs30 of the cell they lie in."""

    name: tuple[str, ...]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    population: NDArray[np.float64]
    vs30: NDArray[np.float64]
    region: tuple[str, ...] = ()
    population_modeled: tuple[bool, ...] = ()  # True where the figure is modeled, not a count

    @property
    def size(self) -> int:
        return len(self.name)


@dataclass(frozen=True)
class Grouping:
    """Cells in group order: ``order`` (cells with a group), group runs from ``starts``, their ``groups``."""

    order: NDArray[np.intp]
    starts: NDArray[np.intp]
    groups: NDArray[np.intp]
    size: int
    population: NDArray[np.float64]  # total per group (length ``size``)

    contiguous: bool = False  # ``order`` is 0, 1, 2, …: the cells are already in group order

    @classmethod
    def of(cls, index: NDArray[np.intp], size: int, population: NDArray[np.float64]) -> Grouping:
        order = np.flatnonzero(index >= 0)
        order = order[np.argsort(index[order], kind="stable")]
        sorted_index = index[order]
        starts = np.flatnonzero(np.r_[True, sorted_index[1:] != sorted_index[:-1]]) if order.size else order
        totals = np.bincount(sorted_index, weights=population[order], minlength=size)
        contiguous = bool(order.size == index.size and np.array_equal(order, np.arange(order.size)))
        return cls(order, starts, sorted_index[starts], size, totals, contiguous)

    def reduce(self, values: NDArray[np.generic], operation: np.ufunc) -> NDArray[np.float64]:
        """``operation`` (np.add, np.maximum) of ``values`` (one per cell) over each group; 0 if empty."""
        result = np.zeros(self.size, dtype=np.float64)
        if self.order.size:
            ordered = values if self.contiguous else values[self.order]
            result[self.groups] = operation.reduceat(ordered, self.starts)
        return result


@dataclass(eq=False)
class Exposure:
    """Grid box, populated cells and settlements for :func:`hushdor.science.quake.impact.assess`."""

    grid: Grid
    grid_sites: SiteSet  # every cell of the box, flat order (row 0 = north)
    cell_index: NDArray[np.intp]  # flat indices of the populated cells
    population: NDArray[np.float64]
    region_index: NDArray[np.intp]  # -1: no region
    district_index: NDArray[np.intp]  # -1: no district
    slope: NDArray[np.float32]  # m/m, per populated cell
    region_names: tuple[str, ...]
    district_names: tuple[str, ...]
    settlements: Settlements
    country: str = "TJ"
    coverage: str = COVERAGE_NOTE
    _groupings: dict[str, Grouping] = field(default_factory=dict, repr=False)
    _stepped: dict[int, tuple[tuple[int, int], SiteSet]] = field(default_factory=dict, repr=False)

    @cached_property
    def steep_cells(self) -> NDArray[np.intp]:
        """Populated cells on slopes at or above the steep-slope threshold (compared in float64, as losses does)."""
        return np.flatnonzero(self.slope.astype(np.float64) >= STEEP_SLOPE_M_PER_M)

    @cached_property
    def cell_sites(self) -> SiteSet:
        """The populated cells as sites of their own (a third of the box): exposure needs only these."""
        sites = self.grid_sites
        cells = self.cell_index
        return SiteSet(sites.lat[cells], sites.lon[cells], np.asarray(sites.vs30)[cells])

    def stepped_sites(self, step: int) -> tuple[tuple[int, int], SiteSet]:
        """Every ``step``-th row and column of the box, first cell kept: (shape, sites in flat order).

        Their centres are cell centres of the box: the first at (west + ½ cell, north − ½ cell), then
        ``step`` cells apart.
        """
        if step < 1:
            raise InvalidExposureError(f"step must be a positive whole number, got {step}")
        if step not in self._stepped:
            grid = self.grid
            rows = np.arange(0, grid.nrows, step)
            cols = np.arange(0, grid.ncols, step)
            flat = (rows[:, None] * grid.ncols + cols[None, :]).reshape(-1)
            sites = self.grid_sites
            subset = SiteSet(sites.lat[flat], sites.lon[flat], np.asarray(sites.vs30)[flat])
            self._stepped[step] = ((int(rows.size), int(cols.size)), subset)
        return self._stepped[step]

    def grouping(self, kind: str) -> Grouping:
        """The populated cells sorted by region (``"region"``) or district (``"district"``), cached."""
        if kind not in self._groupings:
            index = self.region_index if kind == "region" else self.district_index
            names = self.region_names if kind == "region" else self.district_names
            self._groupings[kind] = Grouping.of(index, len(names), self.population)
        return self._groupings[kind]

    def __post_init__(self) -> None:
        count = self.cell_index.size
        for name in ("population", "region_index", "district_index", "slope"):
            if getattr(self, name).shape != (count,):
                raise InvalidExposureError(f"{name} must have one value per populated cell ({count})")
        if count and (self.cell_index.min() < 0 or self.cell_index.max() >= self.grid.size):
            raise InvalidExposureError(f"cell_index must lie within the grid's {self.grid.size} cells")
        if self.grid_sites.size != self.grid.size:
            raise InvalidExposureError("grid_sites must hold every cell of the grid")
        if not np.all(np.isfinite(self.population)) or (count and self.population.min() < 0.0):
            raise InvalidExposureError("population must be finite and non-negative")
        if self.region_index.size and self.region_index.max() >= len(self.region_names):
            raise InvalidExposureError("a region_index points past region_names")
        if self.district_index.size and self.district_index.max() >= len(self.district_names):
            raise InvalidExposureError("a district_index points past district_names")

    @property
    def total_population(self) -> float:
        return float(self.population.sum())

    @classmethod
    def from_grid(
        cls,
        grid: Grid,
        *,
        vs30: NDArray[np.float64],
        cell_index: NDArray[np.integer],
        population: NDArray[np.floating],
        region_index: NDArray[np.integer],
        district_index: NDArray[np.integer],
        slope: NDArray[np.floating],
        region_names: tuple[str, ...],
        district_names: tuple[str, ...],
        settlements: Settlements,
        country: str = "TJ",
    ) -> Exposure:
        """Build from plain arrays (``vs30`` per grid cell, flat order); precomputes the site constants."""
        lat, lon = grid.cell_centres()
        vs30_flat = np.asarray(vs30, dtype=np.float64).reshape(-1)
        if vs30_flat.size != grid.size:
            raise InvalidExposureError(f"vs30 must have one value per grid cell ({grid.size})")
        # Populated cells in (region, district) order, so that the per-region and per-district totals
        # of every event are reductions over contiguous runs, without gathering the cells first.
        regions = np.asarray(region_index, dtype=np.intp)
        districts = np.asarray(district_index, dtype=np.intp)
        per_cell = (cell_index, population, region_index, district_index, slope)
        same_length = len({np.shape(values) for values in per_cell}) == 1 and regions.ndim == 1
        # Mismatched lengths are refused with a clear message by __post_init__, so leave them as given.
        order = np.lexsort((districts, regions)) if same_length else slice(None)
        return cls(
            grid=grid,
            grid_sites=SiteSet(lat, lon, vs30_flat),
            cell_index=np.asarray(cell_index, dtype=np.intp)[order],
            population=np.asarray(population, dtype=np.float64)[order],
            region_index=regions[order],
            district_index=districts[order],
            slope=np.asarray(slope, dtype=np.float32)[order],
            region_names=region_names,
            district_names=district_names,
            settlements=settlements,
            country=country,
        )

    @classmethod
    def bundled(cls) -> Exposure:
        """The packaged Tajik dataset, built once per process (about a second) and cached."""
        return _bundled_exposure()


def cell_vs30(
    grid: Grid, vs30: NDArray[np.float64], lat: NDArray[np.float64], lon: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Vs30 of the grid cell holding each point; ``DEFAULT_VS30`` for points off the grid."""
    index = grid.index_of(lat, lon)
    return np.where(index >= 0, vs30.reshape(-1)[np.maximum(index, 0)], DEFAULT_VS30)


@cache
def _bundled_exposure() -> Exposure:
    from hushdor.geo import dataset

    population = dataset.load_population()
    grid = population.grid
    slope = slope_from_elevation(dataset.load_elevation(), grid.row_centres(), grid.resolution_deg)
    vs30 = vs30_from_slope(slope).reshape(-1)
    regions = dataset.load_regions()
    districts = dataset.load_districts()
    places = dataset.load_settlements()
    region_names = {region.code: region.name for region in regions}
    lat = np.array([place.lat for place in places], dtype=np.float64)
    lon = np.array([place.lon for place in places], dtype=np.float64)
    settlements = Settlements(
        name=tuple(place.name for place in places),
        lat=lat,
        lon=lon,
        population=np.array([place.population for place in places], dtype=np.float64),
        vs30=cell_vs30(grid, vs30, lat, lon),
        region=tuple(region_names.get(place.region_code, place.region_code) for place in places),
        population_modeled=tuple(place.population_source == "modeled" for place in places),
    )
    cells = np.asarray(population.cell_index, dtype=np.intp)
    return Exposure.from_grid(
        grid,
        vs30=vs30,
        cell_index=cells,
        population=population.population,
        region_index=population.region_index,
        district_index=population.district_index,
        slope=slope.reshape(-1)[cells],
        region_names=tuple(region.name for region in regions),
        district_names=tuple(district.name for district in districts),
        settlements=settlements,
    )
