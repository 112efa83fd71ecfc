"""Which subscriptions an alert's areas reach: by place code or by a point and radius. Pure.

A subscription names districts or regions (ISO 3166-2 codes such as ``TJ-GB`` and district codes such
as ``TJ-GB-MURGHOB``) and/or a point with a radius. It is reached when one of its codes is among the
alert's geocodes (a region code also reaches every district of that region, by prefix), or when its
circle touches one of the alert's polygons. Polygons are ``[(lat, lon), …]`` rings as CAP writes them.
Distances use a local equirectangular projection around each point (error well under 1 % over the
tens of kilometres of a subscription radius).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon

KM_PER_DEGREE = math.pi / 180.0 * 6371.0


@dataclass(frozen=True)
class SubscriptionArea:
    key: int
    codes: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    radius_km: float = 0.0


@dataclass(frozen=True)
class AlertAreas:
    codes: frozenset[str]
    polygons: tuple[Polygon, ...]  # lon/lat

    @classmethod
    def of(cls, codes: Iterable[str], rings: Iterable[Sequence[Sequence[float]]]) -> AlertAreas:
        polygons = []
        for ring in rings:
            points = [(float(lon), float(lat)) for lat, lon in ring]
            if len(points) >= 4:
                polygon = Polygon(points)
                polygons.append(polygon if polygon.is_valid else shapely.make_valid(polygon))
        return cls(frozenset(code.upper() for code in codes), tuple(polygons))


def _code_reached(code: str, alert_codes: frozenset[str]) -> bool:
    code = code.upper()
    return code in alert_codes or any(alert_code.startswith(code + "-") for alert_code in alert_codes)


def _circle_reached(
    area: SubscriptionArea, polygons: tuple[Polygon, ...], tree: shapely.STRtree | None
) -> bool:
    if area.lat is None or area.lon is None or tree is None:
        return False
    scale_lon = KM_PER_DEGREE * max(math.cos(math.radians(area.lat)), 1e-6)
    half_lat = area.radius_km / KM_PER_DEGREE
    half_lon = area.radius_km / scale_lon
    window = shapely.box(area.lon - half_lon, area.lat - half_lat, area.lon + half_lon, area.lat + half_lat)
    for index in tree.query(window):
        polygon = polygons[int(index)]
        local = shapely.transform(
            polygon, lambda xy: (xy - (area.lon, area.lat)) * (scale_lon, KM_PER_DEGREE)
        )
        if local.distance(shapely.Point(0.0, 0.0)) <= area.radius_km:
            return True
    return False


def reached(alert: AlertAreas, subscriptions: Iterable[SubscriptionArea]) -> list[int]:
    """Keys of the subscriptions the alert reaches, in the order given."""
    tree = shapely.STRtree(alert.polygons) if alert.polygons else None
    keys = []
    for area in subscriptions:
        if any(_code_reached(code, alert.codes) for code in area.codes) or _circle_reached(
            area, alert.polygons, tree
        ):
            keys.append(area.key)
    return keys


def reached_points(
    alert: AlertAreas,
    keys: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    radius_km: np.ndarray,
) -> np.ndarray:
    """Keys of the point subscriptions the alert reaches, vectorised for a million of them.

    A point inside an alert polygon is reached whatever its radius (one GEOS ``contains_xy`` over all
    points). A point outside is reached when its circle touches a polygon: first a conservative
    ``dwithin`` in degrees (the radius over the smallest longitude scale of the points), then the exact
    local-kilometre test of ``reached`` on those few candidates only. Same answer as ``reached``.
    """
    keys, lat, lon, radius_km = (np.asarray(a) for a in (keys, lat, lon, radius_km))
    if not alert.polygons or keys.size == 0:
        return keys[:0]
    union = shapely.union_all(alert.polygons)
    shapely.prepare(union)
    inside = shapely.contains_xy(union, lon, lat)
    outside = np.flatnonzero(~inside & (radius_km > 0))
    near = np.zeros(keys.size, dtype=bool)
    if outside.size:
        coslat = np.cos(np.radians(np.abs(lat[outside]).max()))
        reach_deg = radius_km[outside] / (KM_PER_DEGREE * max(coslat, 1e-6))
        candidates = outside[shapely.dwithin(union, shapely.points(lon[outside], lat[outside]), reach_deg)]
        exact = reached(
            alert,
            (SubscriptionArea(int(k), (), float(lat[k]), float(lon[k]), float(radius_km[k])) for k in candidates),
        )
        near[np.asarray(exact, dtype=np.intp)] = True
    shapely.destroy_prepared(union)
    return keys[inside | near]
