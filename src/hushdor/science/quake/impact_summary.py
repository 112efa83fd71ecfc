"""Tables of an assessment: totals per region and district, and shaking at each settlement.

Region and district totals use the PAGER bins of the cells (``bins >= 5`` is "MMI ≥ V": MMI ≥ 4.5).
Settlements are evaluated through the reference models (:mod:`.shaking`, float64) with the sigma of
the model-set mixture, at the Vs30 of the cell they lie in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from hushdor.science.quake.distances import compute_distances
from hushdor.science.quake.model_sets import ModelSet
from hushdor.science.quake.models import QuakeModelError
from hushdor.science.quake.shaking import EventParameters, intensity_field

if TYPE_CHECKING:
    from hushdor.science.quake.exposure import Exposure, Grouping
    from hushdor.science.quake.impact import EarthquakeInput

#: Settlements farther than this from the epicentre are not listed (ShakeMap's maximum extent, km).
SETTLEMENT_EXTENT_KM = 1000.0


def _grouped(
    grouping: Grouping,
    names: tuple[str, ...],
    people_v: NDArray[np.float64],
    people_vi: NDArray[np.float64],
    cell_mmi: NDArray[np.float32],
) -> list[dict[str, Any]]:
    at_least_v = grouping.reduce(people_v, np.add)
    at_least_vi = grouping.reduce(people_vi, np.add)
    peak = grouping.reduce(cell_mmi, np.maximum)
    rows = [
        {
            "name": names[k],
            "population": round(float(grouping.population[k])),
            "exposed_mmi5_plus": round(float(at_least_v[k])),
            "exposed_mmi6_plus": round(float(at_least_vi[k])),
            "max_mmi": round(float(peak[k]), 2) if peak[k] > 0.0 else None,
        }
        for k in range(len(names))
    ]
    rows.sort(key=lambda row: (-(row["max_mmi"] or 0.0), -row["population"]))
    return rows


def region_totals(
    exposure: Exposure, cell_mmi: NDArray[np.float32], bins: NDArray[np.intp]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(regions, districts): population, exposed at MMI ≥ V and ≥ VI, maximum MMI; most shaken first."""
    people = exposure.population
    people_v = np.where(bins >= 5, people, 0.0)  # per cell once, reduced by region and by district
    people_vi = np.where(bins >= 6, people, 0.0)
    regions = _grouped(exposure.grouping("region"), exposure.region_names, people_v, people_vi, cell_mmi)
    districts = _grouped(exposure.grouping("district"), exposure.district_names, people_v, people_vi, cell_mmi)
    return regions, districts


def settlement_rows(
    event: EarthquakeInput, model_set: ModelSet, exposure: Exposure, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """MMI (mixture), sigma and population at each settlement within the extent, most shaken first."""
    places = exposure.settlements
    if places.size == 0:
        return []
    distances = compute_distances(
        places.lat,
        places.lon,
        event_lat=event.lat,
        event_lon=event.lon,
        depth_km=event.depth_km,
        mag=event.mag,
        strike=event.strike,
    )
    parameters = EventParameters(mag=event.mag, depth_km=event.depth_km, rake=event.rake)
    try:
        field = intensity_field(
            model_set.branches_for(event.depth_km), parameters, distances, places.vs30, with_sigma=True
        )
    except QuakeModelError:  # e.g. magnitude exactly 0 or 10, outside the models' open range
        return []
    order = np.lexsort((-places.population, -field.mmi))
    rows = []
    for k in order:
        if distances.repi[k] > SETTLEMENT_EXTENT_KM:
            continue
        rows.append(
            {
                "name": places.name[k],
                "region": places.region[k] if places.region else None,
                "mmi": round(float(field.mmi[k]), 2),
                "sigma": round(float(field.sigma[k]), 3) if field.sigma is not None else None,
                "population": int(places.population[k]),
                "population_modeled": bool(places.population_modeled and places.population_modeled[k]),
                "distance_km": round(float(distances.repi[k]), 1),
            }
        )
        if limit is not None and len(rows) >= limit:
            break
    return rows
