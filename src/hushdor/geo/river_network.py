"""Distances along a river network (pure): from a source point (a dam) to places on the rivers.

The bundled river lines (``data/tj/rivers.geojson``) are a drawing, not a topological network: lines
that meet on the ground may end a little apart. The graph joins consecutive vertices of each line and
every line end to any vertex within ``join_km`` (3 km by default: the Bartang reaches the Panj at
Rushon only with that); a place is snapped to the nearest vertex. Shortest paths (Dijkstra, scipy) give
the distance along the rivers. A planning estimate: the drawing simplifies bends, so true thalweg
distances are longer (compare ``sinuosity`` in the village table's provenance).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

KM_PER_DEG_LAT = 110.57


@dataclass(frozen=True)
class Snapped:
    distance_km: float  # along the rivers from the source; inf when not connected
    snap_km: float  # from the place to the river vertex it was snapped to


class RiverNetwork:
    def __init__(self, lines: list[list[tuple[float, float]]], *, join_km: float = 3.0, ref_lat: float = 38.0):
        points, edges, ends = [], [], []
        for line in lines:
            base = len(points)
            points += [(float(lon), float(lat)) for lon, lat, *_ in line]
            edges += [(base + i, base + i + 1) for i in range(len(line) - 1)]
            ends += [base, base + len(line) - 1]
        self.scale = np.cos(np.radians(ref_lat)) * 111.32
        lonlat = np.asarray(points, dtype=np.float64)
        self.xy = np.c_[lonlat[:, 0] * self.scale, lonlat[:, 1] * KM_PER_DEG_LAT]
        tree = cKDTree(self.xy)
        joins = [(end, other) for end in ends for other in tree.query_ball_point(self.xy[end], join_km) if other != end]
        pairs = np.asarray(edges + joins, dtype=np.int64).reshape(-1, 2)
        weights = np.hypot(*(self.xy[pairs[:, 0]] - self.xy[pairs[:, 1]]).T) + 1e-9
        n = len(self.xy)
        self.graph = coo_matrix(
            (np.r_[weights, weights], (np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]])), shape=(n, n)
        ).tocsr()
        self.tree = tree

    @classmethod
    def from_geojson(cls, path: Path, **kwargs) -> RiverNetwork:
        data = json.loads(path.read_text())
        lines = []
        for feature in data["features"]:
            geometry = feature["geometry"]
            if geometry["type"] == "LineString":
                lines.append(geometry["coordinates"])
            elif geometry["type"] == "MultiLineString":
                lines += geometry["coordinates"]
        return cls(lines, **kwargs)

    def _snap(self, lat: float, lon: float) -> tuple[int, float]:
        distance, index = self.tree.query([lon * self.scale, lat * KM_PER_DEG_LAT])
        return int(index), float(distance)

    def distances_from(self, source: tuple[float, float], places: list[tuple[float, float]]) -> list[Snapped]:
        """Along-river km from ``source`` (lat, lon) to each place (lat, lon)."""
        start, _ = self._snap(*source)
        along = dijkstra(self.graph, indices=start)
        out = []
        for lat, lon in places:
            index, snap = self._snap(lat, lon)
            out.append(Snapped(float(along[index]), snap))
        return out
