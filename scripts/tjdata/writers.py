"""Deterministic writers: same inputs give byte-identical files (sorted keys, 5-decimal coordinates,
fixed zip timestamps)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

COORDINATE_DECIMALS = 5
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _rounded(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    if isinstance(value, float):
        rounded = round(value, COORDINATE_DECIMALS)
        return 0.0 if rounded == 0 else rounded
    return value


def geometry_json(geometry: BaseGeometry) -> dict[str, Any]:
    geo = mapping(geometry)
    return {"type": geo["type"], "coordinates": _rounded(geo["coordinates"])}


def write_geojson(path: Path, records: list[dict[str, Any]], properties: list[str]) -> None:
    """A FeatureCollection, one feature per record in the given order, with the named properties."""
    features = [
        {
            "type": "Feature",
            "properties": {name: record[name] for name in properties},
            "geometry": geometry_json(record["geometry"]),
        }
        for record in records
    ]
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path.write_text(text + "\n", encoding="utf-8")


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like numpy.savez_compressed, but with fixed member timestamps and order (reproducible bytes)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue(), compresslevel=9)
