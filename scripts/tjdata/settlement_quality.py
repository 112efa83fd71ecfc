"""Settlement rows a duty officer can trust: one row per place, and a population for every place.

GeoNames cities500 (the settlement source) has two faults that showed on the Rasht 2021 event page:

1. **Duplicate features of one place.** Roghun appears twice (geonameid 1220701, the town, 7,731
   people; 1346374, 17 km south-west, population 0): an officer saw it twice with two intensities.
   Rule: places with the same name in the same district, less than ``DUPLICATE_KM`` apart, are one
   place; the row with the larger population is kept (ties: the smaller geonameid, the older record)
   and the others are dropped and listed in the build log. Two places of one name in *different*
   districts (Vahdat the city and Vahdat in Jirgatol) are different places and both stay.
2. **Rows without a population.** cities500 takes every seat of an administrative division whatever
   its population, and 18 Tajik rows — district centres such as Tajikobod, Khovaling, Fayzobod and
   Baljuvon — carry 0. Rule: such a place gets the **modeled** population of the 30″ grid within
   ``MODELED_RADIUS_KM`` of its point (the persons the model places around it), marked
   ``population_source = modeled``; GeoNames figures are marked ``geonames``. This runs after the grid
   is modeled; places with 0 never weighted the grid (only places with people get a kernel), so the
   grid is the same with or without this step.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

import numpy as np

from hushdor.geo.grid import Grid

DUPLICATE_KM = 25.0
MODELED_RADIUS_KM = 2.0
EARTH_RADIUS_KM = 6371.0


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in folded if ch.isalnum()).casefold()


def distance_km(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Great-circle distance between two places (haversine)."""
    lat1, lat2 = math.radians(a["lat"]), math.radians(b["lat"])
    dlat = lat2 - lat1
    dlon = math.radians(b["lon"] - a["lon"])
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def merge_duplicates(places: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    """(kept places in their order, [(dropped id, kept id)]): one row per place (rule 1 above)."""
    ranked = sorted(places, key=lambda place: (-place["population"], place["id"]))
    kept: list[dict[str, Any]] = []
    dropped: list[tuple[int, int]] = []
    for place in ranked:
        twin = next(
            (
                other
                for other in kept
                if other["district_code"] == place["district_code"]
                and _key(other["name"]) == _key(place["name"])
                and distance_km(other, place) < DUPLICATE_KM
            ),
            None,
        )
        if twin is None:
            kept.append(place)
        else:
            dropped.append((place["id"], twin["id"]))
    kept_ids = {place["id"] for place in kept}
    return [place for place in places if place["id"] in kept_ids], sorted(dropped)


def fill_missing_populations(places: list[dict[str, Any]], population: np.ndarray, grid: Grid) -> list[str]:
    """Give every place without a population the modeled one around it (rule 2); returns their names."""
    lat_centres = grid.row_centres()
    lon_centres = grid.column_centres()
    filled = []
    for place in places:
        if place["population"] > 0:
            place["population_source"] = "geonames"
            continue
        dlat = (lat_centres - place["lat"]) * (math.pi / 180 * EARTH_RADIUS_KM)
        dlon = (lon_centres - place["lon"]) * (math.pi / 180 * EARTH_RADIUS_KM * math.cos(math.radians(place["lat"])))
        near = (dlat[:, None] ** 2 + dlon[None, :] ** 2) <= MODELED_RADIUS_KM**2
        place["population"] = round(float(population[near].sum()))
        place["population_source"] = "modeled"
        filled.append(f"{place['name']} {place['population']:,}")
    return filled
