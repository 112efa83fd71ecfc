"""Rapid impact of one earthquake: shaking on every grid cell and settlement, exposure, losses, alert.

``assess(EarthquakeInput(...), Exposure.bundled())`` evaluates the model set chosen by the event's
depth (:mod:`~hushdor.science.quake.model_sets`) on all 511,920 cells of the 30″ grid box
(:mod:`~hushdor.science.quake.fast_shaking`), then:

* exposure per MMI with PAGER's binning (usgs/pager ``losspager/models/exposure.py``: population in
  [MMI − 0.5, MMI + 0.5), i.e. rounded to the nearest integer, bins I…X, keys "1".."10");
* totals per region and district (population at MMI ≥ V and ≥ VI by that binning, maximum MMI);
* MMI, its sigma and population at every settlement, most shaken first;
* the PAGER empirical fatality and economic estimates and alert level (:mod:`.losses`), computed with
  the Tajik model on MMI from a set whose Bindi branch is MSK-64 (taken as MMI, see model_sets);
* the steep-slope secondary-hazard flag at MMI ≥ VI (:func:`.losses.steep_slope_exposure`);
* optionally, MMI contours (:mod:`.contours`) from the same full-grid field.

Shaking is computed only within 1,000 km of the epicentre, ShakeMap's maximum map extent
(usgs/shakemap ``shakemap/data/model.conf``, ``[extent] maxdist = 1000``); beyond it a cell has MMI
0 ("not computed") and counts in no bin, so a far-away event (Chile) has zero exposure.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hushdor.science.quake import losses
from hushdor.science.quake.contours import mmi_contours
from hushdor.science.quake.distances import MAX_DEPTH_KM, InvalidEventError, compute_distances
from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.fast_shaking import F32, FastDistances, SiteSet, branch_mmi, event_distances
from hushdor.science.quake.impact_summary import region_totals, settlement_rows
from hushdor.science.quake.model_sets import ModelSet, get_model_set

MAX_EXTENT_KM = 1000.0
MMI_BINS = tuple(range(1, 11))
STEEP_SLOPE_TEXT = (
    "{population:,.0f} people live on steep slopes (≥ 15°) shaken at MMI ≥ VI. Landslides, rock falls "
    "and loess flow slides caused most earthquake deaths in Tajikistan (Khait 1949, Gissar 1989: about "
    "25× the shaking-only estimate); the fatality estimate above does not include them."
)
MSK_NOTE = (
    "Intensities mix MSK-64 (Bindi 2011 IPE) and MMI (WGRW12); the two scales are taken as equal up to IX, "
    "and PAGER's MMI-calibrated loss model is applied to the mixture."
)
POPULATION_NOTE = "Population is a modeled 30″ grid (1 July 2023), indicative, not a census."


@dataclass(frozen=True)
class EarthquakeInput:
    """One event: epicentre (degrees), depth (km), moment magnitude, optional strike and model set."""

    lat: float
    lon: float
    depth_km: float
    mag: float
    strike: float | None = None
    model_set: str | None = None
    rake: float = 0.0

    def validated(self) -> EarthquakeInput:
        """A copy with every number checked and converted; raises :class:`InvalidEventError`."""
        return EarthquakeInput(
            lat=_number("latitude", self.lat, -90.0, 90.0),
            lon=_number("longitude", self.lon, -180.0, 180.0),
            depth_km=_number("depth (km)", self.depth_km, 0.0, MAX_DEPTH_KM),
            mag=_number("magnitude", self.mag, 0.0, 10.0),
            strike=None if self.strike is None else _number("strike (degrees)", self.strike, 0.0, 360.0),
            model_set=self.model_set,
            rake=_number("rake (degrees)", self.rake, -180.0, 180.0),
        )


def _number(name: str, value: Any, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidEventError(f"{name} must be a number, got {value!r}") from None
    if math.isnan(number) or not low <= number <= high:
        raise InvalidEventError(f"{name} must be between {low:g} and {high:g}, got {value!r}")
    return number


@dataclass
class Assessment:
    """The result of :func:`assess`; :meth:`to_json` gives the documented JSON shape."""

    event: EarthquakeInput
    model_set: ModelSet
    regime: str
    branches: list[dict[str, Any]]
    exposure_by_mmi: dict[str, int]
    max_mmi: float | None
    regions: list[dict[str, Any]]
    districts: list[dict[str, Any]]
    settlements: list[dict[str, Any]]
    fatalities: losses.LossEstimate
    economic: losses.LossEstimate
    steep_slope: losses.SteepSlopeExposure
    notes: list[str]
    timings_ms: dict[str, float]
    grid_mmi_source: Callable[[], NDArray[np.float32]] = field(repr=False)
    contours: dict[str, Any] | None = field(default=None, repr=False)

    @cached_property
    def grid_mmi(self) -> NDArray[np.float32]:
        """Mixture MMI on every cell of the grid box (flat order), computed on first use.

        The assessment itself needs only the populated cells (a third of the box); the whole box is
        for the map and the full-resolution contours, so a caller that needs neither never pays for it.
        """
        return self.grid_mmi_source()

    def to_json(self) -> dict[str, Any]:
        return {
            "event": {
                "lat": self.event.lat,
                "lon": self.event.lon,
                "depth_km": self.event.depth_km,
                "mag": self.event.mag,
                "strike": self.event.strike,
            },
            "model_set": self.model_set.name,
            "regime": self.regime,
            "branches": self.branches,
            "exposure_by_mmi": self.exposure_by_mmi,
            "max_mmi": self.max_mmi,
            "fatalities": _loss_json(self.fatalities),
            "economic": _loss_json(self.economic),
            "alert": _higher_alert(self.fatalities.alert, self.economic.alert),
            "secondary_hazards": {
                "steep_slope_population_mmi6": round(self.steep_slope.population),
                "flagged": self.steep_slope.flagged,
            },
            "regions": self.regions,
            "districts": self.districts,
            "settlements": self.settlements,
            "coverage": "Tajikistan only",
            "notes": self.notes,
            "timings_ms": {key: round(value, 3) for key, value in self.timings_ms.items()},
            **({"contours": self.contours} if self.contours is not None else {}),
        }


_ALERT_ORDER = ("green", "yellow", "orange", "red")


def _higher_alert(first: str, second: str) -> str:
    return max(first, second, key=_ALERT_ORDER.index)


def _loss_json(estimate: losses.LossEstimate) -> dict[str, Any]:
    return {
        "expected": round(estimate.expected, 3),
        "unit": estimate.unit,
        "alert": estimate.alert,
        "probabilities": {key: round(value, 4) for key, value in estimate.probabilities.items()},
        "model": estimate.model,
    }


class _Clock:
    def __init__(self) -> None:
        self.start = self.mark = time.perf_counter()
        self.timings: dict[str, float] = {}

    def stage(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + (now - self.mark) * 1000.0
        self.mark = now

    def total(self) -> float:
        return (time.perf_counter() - self.start) * 1000.0


def site_distances(event: EarthquakeInput, sites: SiteSet) -> FastDistances:
    """Distances to each site: the fast path, or distances.py's line source when a strike is given."""
    if event.strike is None:
        return event_distances(
            sites, event_lat=event.lat, event_lon=event.lon, depth_km=event.depth_km, mag=event.mag
        )
    exact = compute_distances(
        sites.lat,
        sites.lon,
        event_lat=event.lat,
        event_lon=event.lon,
        depth_km=event.depth_km,
        mag=event.mag,
        strike=event.strike,
    )
    return FastDistances.given(
        *(getattr(exact, name).astype(F32) for name in ("repi", "rhypo", "rjb", "rrup")),
        exact.source,
        depth_km=event.depth_km,
    )


def site_shaking(
    event: EarthquakeInput, model_set: ModelSet, sites: SiteSet, clock: _Clock | None = None
) -> tuple[NDArray[np.float32], FastDistances]:
    """Mixture MMI at each site (0 beyond ``MAX_EXTENT_KM``), and the distances it was computed from."""
    clock = clock or _Clock()
    distances = site_distances(event, sites)
    clock.stage("distances")
    mmi = np.zeros(sites.size, dtype=F32)
    if distances.repi.size == 0 or float(distances.repi.min()) > MAX_EXTENT_KM:
        return mmi, distances
    for branch in model_set.branches_for(event.depth_km):
        values = branch_mmi(
            branch.model,
            branch.imt,
            mag=event.mag,
            depth_km=event.depth_km,
            rake=event.rake,
            distances=distances,
            sites=sites,
        )
        values *= F32(branch.weight)
        mmi += values
        clock.stage(branch.model if not branch.via_gmice else f"{branch.model}:{branch.imt}")
    if float(distances.repi.max()) > MAX_EXTENT_KM:
        mmi[distances.repi > F32(MAX_EXTENT_KM)] = 0.0
    return mmi, distances


def shaking_field(
    event: EarthquakeInput, model_set: ModelSet, exposure: Exposure, clock: _Clock | None = None
) -> tuple[NDArray[np.float32], FastDistances]:
    """Mixture MMI on every cell of the grid box (0 beyond ``MAX_EXTENT_KM``)."""
    return site_shaking(event, model_set, exposure.grid_sites, clock)


def stepped_shaking(event: EarthquakeInput, exposure: Exposure, step: int) -> NDArray[np.float32]:
    """Mixture MMI on every ``step``-th row and column of the box, as a 2-D array (row 0 = north).

    Equal, cell for cell, to ``grid_mmi.reshape(shape)[::step, ::step]`` of the same event, at a
    ``step``² share of the cost: what the chain's contours need without the whole 30″ box.
    """
    event = event.validated()
    shape, sites = exposure.stepped_sites(step)
    mmi, _ = site_shaking(event, get_model_set(event.model_set), sites)
    return mmi.reshape(shape)


def exposure_bins(
    mmi: NDArray[np.float32], population: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """PAGER bin (0 = not shaken, 1..10) per cell and the population per bin (length 11)."""
    bins = np.floor(mmi + F32(0.5)).astype(np.intp)
    np.clip(bins, 0, 10, out=bins)
    return bins, np.bincount(bins, weights=population, minlength=11)


def assess(
    event: EarthquakeInput,
    exposure: Exposure | None = None,
    *,
    contours: bool = False,
    top_settlements: int | None = None,
) -> Assessment:
    """The full rapid-impact assessment of one event (see the module docstring)."""
    exposure = exposure or Exposure.bundled()  # built once per process, not part of the timing
    clock = _Clock()
    event = event.validated()
    model_set = get_model_set(event.model_set)
    clock.stage("validate")

    # Shaking on the populated cells only; the whole box is computed when the map or contours ask.
    cell_mmi, _ = site_shaking(event, model_set, exposure.cell_sites, clock)
    bins, per_bin = exposure_bins(cell_mmi, exposure.population)
    shaken = bins > 0
    max_mmi = round(float(cell_mmi[shaken].max()), 2) if shaken.any() else None
    clock.stage("exposure")

    regions, districts = region_totals(exposure, cell_mmi, bins)
    clock.stage("regions")
    settlements = settlement_rows(event, model_set, exposure, limit=top_settlements)
    clock.stage("settlements")

    exposure_vector = per_bin[1:]
    fatalities = losses.fatality_estimate(exposure_vector, exposure.country)
    economic = losses.economic_estimate(exposure_vector, exposure.country)
    steep_cells = exposure.steep_cells  # only they can count, so only they are looked at
    steep = losses.steep_slope_exposure(
        exposure.population[steep_cells], cell_mmi[steep_cells], exposure.slope[steep_cells]
    )
    clock.stage("losses")
    timings = dict(clock.timings)
    timings["assessment"] = clock.total()

    def grid_mmi_source() -> NDArray[np.float32]:
        return shaking_field(event, model_set, exposure)[0]

    contour_collection = None
    grid_mmi = None
    if contours:
        grid_mmi = grid_mmi_source()
        grid = exposure.grid
        half = 0.5 * grid.resolution_deg
        contour_collection = mmi_contours(
            grid_mmi.reshape(grid.shape),
            west=grid.west + half,
            north=grid.north - half,
            resolution=grid.resolution_deg,
            threshold_offset=-0.5,
        )
        clock.stage("contours")
        timings["contours"] = clock.timings["contours"]
    timings["total"] = clock.total()

    notes = [exposure.coverage, MSK_NOTE, POPULATION_NOTE]
    if steep.flagged:
        notes.append(STEEP_SLOPE_TEXT.format(population=steep.population))
    branches = [
        {
            "model": branch.model,
            "imt": branch.imt,
            "weight": branch.weight,
            "via": "WGRW12" if branch.via_gmice else "direct",
        }
        for branch in model_set.branches_for(event.depth_km)
    ]
    result = Assessment(
        event=event,
        model_set=model_set,
        regime=model_set.regime_for(event.depth_km),
        branches=branches,
        exposure_by_mmi={str(mmi): round(float(per_bin[mmi])) for mmi in MMI_BINS},
        max_mmi=max_mmi,
        regions=regions,
        districts=districts,
        settlements=settlements,
        fatalities=fatalities,
        economic=economic,
        steep_slope=steep,
        notes=notes,
        timings_ms=timings,
        grid_mmi_source=grid_mmi_source,
        contours=contour_collection,
    )
    if grid_mmi is not None:
        result.__dict__["grid_mmi"] = grid_mmi  # the cached property, already computed for the contours
    return result
