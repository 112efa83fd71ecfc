"""A small TopoJSON decoder (specification: https://github.com/topojson/topojson-specification).

Handles quantized (delta-encoded, `transform`) and plain arcs, Polygon / MultiPolygon /
LineString / MultiLineString / Point geometries and GeometryCollections. Rings that collapse
below four positions after quantization are dropped (world-atlas 50m has such rings; shapely
refuses them).
"""

from __future__ import annotations

from typing import Any

Position = list[float]


def _decode_arcs(topology: dict[str, Any]) -> list[list[Position]]:
    transform = topology.get("transform")
    arcs: list[list[Position]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([[float(x), float(y)] for x, y, *_ in arc])
            continue
        (scale_x, scale_y), (translate_x, translate_y) = transform["scale"], transform["translate"]
        x = y = 0
        positions: list[Position] = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            positions.append([x * scale_x + translate_x, y * scale_y + translate_y])
        arcs.append(positions)
    return arcs


def _line(arc_indices: list[int], arcs: list[list[Position]]) -> list[Position]:
    positions: list[Position] = []
    for index in arc_indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their joining position
        positions.extend(arc if not positions else arc[1:])
    return positions


def _rings(ring_arcs: list[list[int]], arcs: list[list[Position]]) -> list[list[Position]]:
    rings = [_line(ring, arcs) for ring in ring_arcs]
    return [ring for ring in rings if len(ring) >= 4]


def _geometry(obj: dict[str, Any], arcs: list[list[Position]], transform: Any) -> dict[str, Any] | None:
    kind = obj.get("type")
    if kind == "Polygon":
        rings = _rings(obj["arcs"], arcs)
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if kind == "MultiPolygon":
        polygons = [rings for rings in (_rings(p, arcs) for p in obj["arcs"]) if rings]
        return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None
    if kind == "LineString":
        return {"type": "LineString", "coordinates": _line(obj["arcs"], arcs)}
    if kind == "MultiLineString":
        return {"type": "MultiLineString", "coordinates": [_line(line, arcs) for line in obj["arcs"]]}
    if kind == "Point":
        x, y = obj["coordinates"][:2]
        if transform is not None:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x, y = x * sx + tx, y * sy + ty
        return {"type": "Point", "coordinates": [x, y]}
    if kind is None:
        return None
    raise ValueError(f"unsupported TopoJSON geometry type {kind!r}")


def to_features(topology: dict[str, Any], object_name: str) -> list[dict[str, Any]]:
    """GeoJSON features of one named object of a TopoJSON topology (null geometries dropped)."""
    if topology.get("type") != "Topology":
        raise ValueError("not a TopoJSON Topology")
    arcs = _decode_arcs(topology)
    root = topology["objects"][object_name]
    members = root["geometries"] if root.get("type") == "GeometryCollection" else [root]
    features = []
    for member in members:
        geometry = _geometry(member, arcs, topology.get("transform"))
        if geometry is None:
            continue
        feature = {"type": "Feature", "geometry": geometry, "properties": dict(member.get("properties", {}))}
        if "id" in member:
            feature["id"] = member["id"]
        features.append(feature)
    return features
