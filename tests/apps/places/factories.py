"""Small files the import tests write: areas as GeoJSON, settlements as CSV, population as GeoTIFF."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from shapely.geometry import box, mapping

# Two regions side by side inside the working grid, three districts (two in the first region).
REGIONS = {"XR-A": box(68.0, 37.0, 70.0, 39.0), "XR-B": box(70.0, 37.0, 72.0, 39.0)}
DISTRICTS = {
    "XR-A-1": ("XR-A", box(68.0, 37.0, 69.0, 39.0)),
    "XR-A-2": ("XR-A", box(69.0, 37.0, 70.0, 39.0)),
    "XR-B-1": ("XR-B", box(70.0, 37.0, 72.0, 39.0)),
}


def write_geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    document: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def feature(properties: dict, geometry) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry) if geometry else None}


def regions_file(path: Path) -> Path:
    return write_geojson(
        path, [feature({"iso": code, "label": f"Region {code}"}, shape) for code, shape in REGIONS.items()]
    )


def districts_file(path: Path, *, with_parent: bool = True) -> Path:
    features = []
    for code, (parent, shape) in DISTRICTS.items():
        properties = {"code": code, "name": f"District {code}", "pop": 1000}
        if with_parent:
            properties["region"] = parent
        features.append(feature(properties, shape))
    return write_geojson(path, features)


def csv_file(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_geotiff(
    path: Path, values: np.ndarray, *, west: float, north: float, pixel: float, crs: str, nodata: float | None
) -> Path:
    import warnings

    import rasterio
    from rasterio.transform import from_origin

    # rasterio 1.4.4's writer still multiplies affine transforms with `*` (affine >= 3.1 warns).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Use `@` matmul", PendingDeprecationWarning)
        return _write(path, values, rasterio, from_origin(west, north, pixel, pixel), crs, nodata)


def _write(path, values, rasterio, transform, crs, nodata) -> Path:
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=values.shape[1],
        height=values.shape[0],
        count=1,
        dtype="float32",
        crs=crs,
        transform=transform,
        nodata=nodata,
    ) as target:
        target.write(values.astype(np.float32), 1)
    return path
