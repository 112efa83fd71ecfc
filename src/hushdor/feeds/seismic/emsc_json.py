"""EMSC SeismicPortal JSON: the FDSN event web service's GeoJSON and the websocket messages.

Format: www.seismicportal.eu/fdsn-wsevent.html (``format=json``) — a FeatureCollection whose features
carry ``id`` and ``properties`` ``unid``, ``time`` and ``lastupdate`` (ISO 8601, UTC), ``lat``, ``lon``,
``depth`` (km, positive down), ``mag``, ``magtype``, ``auth``, ``flynn_region``; and the real-time
websocket (www.seismicportal.eu/realtime.html), whose messages are
``{"action": "create" | "update", "data": <one such feature>}``.

SeismicPortal publishes no review status, so every report is marked ``automatic``.
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
    origin_report_build,
    utc_from_iso,
)

DEFAULT_AGENCY = "EMSC"
WEBSOCKET_ACTIONS = {"create", "update"}


def parse_emsc_json(
    document: bytes | str, *, agency: str = DEFAULT_AGENCY, max_bytes: int = MAX_DOCUMENT_BYTES
) -> FeedParse:
    """Parse a SeismicPortal FeatureCollection, a single Feature, or one websocket message."""
    try:
        features = _features(json_load(document, max_bytes=max_bytes))
    except DocumentInvalid as error:
        return document_rejected(error)
    reports: list[OriginReport] = []
    rejections: list[Rejection] = []
    for index, feature in enumerate(features):
        try:
            reports.append(emsc_feature_report(feature, agency=agency))
        except ItemInvalid as error:
            rejections.append(Rejection(item_ref=_reference(feature, index), reason=str(error)))
    return FeedParse(reports=reports, rejections=rejections)


def emsc_feature_report(feature: Any, *, agency: str = DEFAULT_AGENCY) -> OriginReport:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise ItemInvalid("not a GeoJSON Feature with properties")
    properties = feature["properties"]
    for name in ("time", "lat", "lon", "depth", "mag"):
        if properties.get(name) is None:
            raise ItemInvalid(f"{name} missing")
    updated_value = properties.get("lastupdate")
    return origin_report_build(
        agency=agency,
        event_id=properties.get("unid") or feature.get("id"),
        origin_time=utc_from_iso("time", properties.get("time")),
        latitude=properties.get("lat"),
        longitude=properties.get("lon"),
        depth_km=properties.get("depth"),
        magnitude=properties.get("mag"),
        magnitude_type=properties.get("magtype"),
        updated=None if updated_value is None else utc_from_iso("lastupdate", updated_value),
        status="automatic",
        place=properties.get("flynn_region"),
        raw=feature,
    )


def _features(data: Any) -> list[Any]:
    if not isinstance(data, dict):
        raise DocumentInvalid("expected a JSON object at the top level")
    if "action" in data:
        if data["action"] not in WEBSOCKET_ACTIONS:
            raise DocumentInvalid(f"websocket action {data['action']!r} is not create or update")
        return [data.get("data")]
    kind = data.get("type")
    if kind == "Feature":
        return [data]
    if kind == "FeatureCollection" and isinstance(data.get("features"), list):
        return data["features"]
    raise DocumentInvalid("expected a GeoJSON FeatureCollection, a Feature or a websocket message")


def _reference(feature: Any, index: int) -> str:
    if isinstance(feature, dict):
        properties = feature.get("properties")
        if isinstance(properties, dict) and isinstance(properties.get("unid"), str):
            return properties["unid"]
        if isinstance(feature.get("id"), str):
            return feature["id"]
    return f"feature #{index + 1}"
