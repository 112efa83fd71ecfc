"""USGS earthquake GeoJSON: the summary feed (a FeatureCollection) and the detail feed (one Feature).

Format: earthquake.usgs.gov/earthquakes/feed/v1.0/geojson.php and geojson_detail.php — ``properties``
``mag``, ``place``, ``time`` and ``updated`` (milliseconds since 1970, UTC), ``url``, ``status``
(automatic | reviewed | deleted), ``net``, ``code``, ``ids``, ``sources``, ``magType``, ``type``;
``geometry.coordinates`` is [longitude, latitude, depth in km]; the feature ``id`` is net + code.
"""

from __future__ import annotations

from typing import Any

from hushdor.feeds.seismic.documents import MAX_DOCUMENT_BYTES, json_load
from hushdor.feeds.seismic.report import (
    DocumentInvalid,
    FeedParse,
    ItemInvalid,
    OriginReport,
    Rejection,
    document_rejected,
    event_type_withdrawn,
    origin_report_build,
    text,
    utc_from_epoch_ms,
)

DEFAULT_AGENCY = "USGS"


def parse_usgs_geojson(
    document: bytes | str, *, agency: str = DEFAULT_AGENCY, max_bytes: int = MAX_DOCUMENT_BYTES
) -> FeedParse:
    """Parse a USGS summary (FeatureCollection) or detail (Feature) document."""
    try:
        features = _features(json_load(document, max_bytes=max_bytes))
    except DocumentInvalid as error:
        return document_rejected(error)
    reports: list[OriginReport] = []
    rejections: list[Rejection] = []
    for index, feature in enumerate(features):
        reference = _reference(feature, index)
        try:
            reports.append(usgs_feature_report(feature, agency=agency))
        except ItemInvalid as error:
            rejections.append(Rejection(item_ref=reference, reason=str(error)))
    return FeedParse(reports=reports, rejections=rejections)


def usgs_feature_report(feature: Any, *, agency: str = DEFAULT_AGENCY) -> OriginReport:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ItemInvalid("not a GeoJSON Feature")
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise ItemInvalid("properties missing")
    status = text("status", properties.get("status")) or "automatic"
    if status not in {"automatic", "reviewed", "deleted"}:
        raise ItemInvalid(f"status {status!r} is not automatic, reviewed or deleted")
    withdrawn = event_type_withdrawn(properties.get("type"))
    deleted = status == "deleted" or withdrawn
    event_id = feature.get("id") or _net_code(properties)
    longitude, latitude, depth = _coordinates(feature.get("geometry"), deleted=deleted)
    time_value = properties.get("time")
    origin_time = None if deleted and time_value is None else utc_from_epoch_ms("time", time_value)
    updated_value = properties.get("updated")
    updated = None if updated_value is None else utc_from_epoch_ms("updated", updated_value)
    return origin_report_build(
        agency=agency,
        event_id=event_id,
        origin_time=origin_time,
        latitude=latitude,
        longitude=longitude,
        depth_km=depth,
        magnitude=properties.get("mag"),
        magnitude_type=properties.get("magType"),
        updated=updated,
        status="automatic" if deleted else status,  # type: ignore[arg-type]
        deleted=deleted,
        place=properties.get("place"),
        url=properties.get("url"),
        raw=feature,
    )


def _features(data: Any) -> list[Any]:
    if not isinstance(data, dict):
        raise DocumentInvalid("expected a GeoJSON object at the top level")
    kind = data.get("type")
    if kind == "Feature":
        return [data]
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise DocumentInvalid("FeatureCollection without a features list")
        return features
    raise DocumentInvalid(f"expected a GeoJSON FeatureCollection or Feature, got type {kind!r}")


def _coordinates(geometry: Any, *, deleted: bool) -> tuple[Any, Any, Any]:
    if geometry is None and deleted:
        return None, None, None
    if not isinstance(geometry, dict) or not isinstance(geometry.get("coordinates"), list):
        raise ItemInvalid("geometry coordinates missing")
    coordinates = geometry["coordinates"]
    if len(coordinates) != 3:
        raise ItemInvalid(
            f"geometry coordinates need [longitude, latitude, depth], got {len(coordinates)} values"
        )
    return coordinates[0], coordinates[1], coordinates[2]


def _net_code(properties: dict[str, Any]) -> str | None:
    net, code = properties.get("net"), properties.get("code")
    if isinstance(net, str) and isinstance(code, str):
        return net + code
    return None


def _reference(feature: Any, index: int) -> str:
    if isinstance(feature, dict) and isinstance(feature.get("id"), str):
        return feature["id"]
    return f"feature #{index + 1}"
