"""QuakeML 1.2 (basic event description): events, their preferred origin and preferred magnitude.

Format: QuakeML 1.2 Basic Event Description (quakeml.org, schema ``QuakeML-BED-1.2.xsd``); root element
``{http://quakeml.org/xmlns/quakeml/1.2}quakeml``, content in ``http://quakeml.org/xmlns/bed/1.2``.
Origin depth is in **metres** in QuakeML and is converted to km here. ANSS catalogues add
``catalog:eventsource`` / ``catalog:eventid`` attributes (namespace ``http://anss.org/xmlns/catalog/0.1``),
which give the agency's own event code. Parsing is hardened (see ``documents.py``); no ObsPy needed.

Review status: an origin with ``evaluationMode`` manual or ``evaluationStatus`` reviewed/final is
``reviewed``; an event of type "not existing" or a preferred origin with status "rejected" is deleted.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from hushdor.feeds.seismic.documents import MAX_DOCUMENT_BYTES, xml_load
from hushdor.feeds.seismic.report import (
    DocumentInvalid,
    FeedParse,
    ItemInvalid,
    OriginReport,
    Rejection,
    Status,
    document_rejected,
    event_type_withdrawn,
    number_from_text,
    origin_report_build,
    utc_from_iso,
)

QUAKEML_NS = "http://quakeml.org/xmlns/quakeml/1.2"
BED_NS = "http://quakeml.org/xmlns/bed/1.2"
ANSS_CATALOG_NS = "http://anss.org/xmlns/catalog/0.1"
_NS = {"q": QUAKEML_NS, "bed": BED_NS}
REVIEWED_STATUSES = {"reviewed", "final"}


def parse_quakeml(
    document: bytes | str, *, agency: str | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> FeedParse:
    """Parse a QuakeML 1.2 document. ``agency`` defaults to the origin's creationInfo/agencyID."""
    try:
        events = _events(xml_load(document, max_bytes=max_bytes))
    except DocumentInvalid as error:
        return document_rejected(error)
    reports: list[OriginReport] = []
    rejections: list[Rejection] = []
    for index, event in enumerate(events):
        try:
            reports.append(quakeml_event_report(event, agency=agency))
        except ItemInvalid as error:
            reference = event.get("publicID") or f"event #{index + 1}"
            rejections.append(Rejection(item_ref=reference, reason=str(error)))
    return FeedParse(reports=reports, rejections=rejections)


def quakeml_event_report(event: etree._Element, *, agency: str | None = None) -> OriginReport:
    origin = _preferred(event, "origin", "preferredOriginID")
    magnitude = _preferred(event, "magnitude", "preferredMagnitudeID")
    withdrawn = event_type_withdrawn(_text(event, "bed:type"))
    deleted = withdrawn or _text(origin, "bed:evaluationStatus") == "rejected"
    depth_m = number_from_text(_required(origin, "bed:depth/bed:value", "origin depth"))
    return origin_report_build(
        agency=agency or _agency(event, origin),
        event_id=_event_code(event),
        origin_time=utc_from_iso("origin time", _required(origin, "bed:time/bed:value", "origin time")),
        latitude=number_from_text(_required(origin, "bed:latitude/bed:value", "latitude")),
        longitude=number_from_text(_required(origin, "bed:longitude/bed:value", "longitude")),
        depth_km=depth_m / 1000.0 if isinstance(depth_m, float) else depth_m,
        magnitude=number_from_text(_required(magnitude, "bed:mag/bed:value", "magnitude")),
        magnitude_type=_text(magnitude, "bed:type"),
        updated=_latest_creation(event, origin, magnitude),
        status=_status(origin),
        deleted=deleted,
        place=_place(event),
        raw=_raw(event, origin, magnitude),
    )


def _events(root: etree._Element) -> list[etree._Element]:
    if root.tag != f"{{{QUAKEML_NS}}}quakeml":
        raise DocumentInvalid(f"root element is {root.tag}, expected QuakeML 1.2 {{{QUAKEML_NS}}}quakeml")
    parameters = root.find("bed:eventParameters", _NS)
    if parameters is None:
        raise DocumentInvalid("no eventParameters element")
    return parameters.findall("bed:event", _NS)


def _preferred(event: etree._Element, kind: str, pointer: str) -> etree._Element:
    candidates = event.findall(f"bed:{kind}", _NS)
    wanted = _text(event, f"bed:{pointer}")
    if wanted:
        for candidate in candidates:
            if candidate.get("publicID") == wanted:
                return candidate
        raise ItemInvalid(f"{pointer} {wanted!r} names no {kind} in the event")
    if not candidates:
        raise ItemInvalid(f"event has no {kind}")
    return candidates[0]


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, _NS)
    return (found.text or "").strip() if found is not None else ""


def _required(element: etree._Element, path: str, name: str) -> str:
    value = _text(element, path)
    if not value:
        raise ItemInvalid(f"{name} missing")
    return value


def _event_code(event: etree._Element) -> str:
    source = event.get(f"{{{ANSS_CATALOG_NS}}}eventsource") or ""
    code = event.get(f"{{{ANSS_CATALOG_NS}}}eventid") or ""
    if source and code:
        return source + code
    public_id = event.get("publicID") or ""
    if not public_id:
        raise ItemInvalid("event has no publicID")
    return public_id


def _agency(event: etree._Element, origin: etree._Element) -> str:
    return (
        _text(origin, "bed:creationInfo/bed:agencyID")
        or _text(event, "bed:creationInfo/bed:agencyID")
        or event.get(f"{{{ANSS_CATALOG_NS}}}eventsource")
        or "QuakeML"
    )


def _status(origin: etree._Element) -> Status:
    mode = _text(origin, "bed:evaluationMode")
    status = _text(origin, "bed:evaluationStatus")
    return "reviewed" if mode == "manual" or status in REVIEWED_STATUSES else "automatic"


def _latest_creation(*elements: etree._Element) -> Any:
    times = [
        utc_from_iso("creation time", value)
        for element in elements
        if (value := _text(element, "bed:creationInfo/bed:creationTime"))
    ]
    return max(times, default=None)


def _place(event: etree._Element) -> str:
    descriptions = event.findall("bed:description", _NS)
    for description in descriptions:
        if _text(description, "bed:type") == "region name":
            return _text(description, "bed:text")
    return _text(descriptions[0], "bed:text") if descriptions else ""


def _raw(event: etree._Element, origin: etree._Element, magnitude: etree._Element) -> dict[str, Any]:
    return {
        "event": event.get("publicID"),
        "origin": origin.get("publicID"),
        "magnitude": magnitude.get("publicID"),
        "time": _text(origin, "bed:time/bed:value"),
        "latitude": _text(origin, "bed:latitude/bed:value"),
        "longitude": _text(origin, "bed:longitude/bed:value"),
        "depth_m": _text(origin, "bed:depth/bed:value"),
        "mag": _text(magnitude, "bed:mag/bed:value"),
        "mag_type": _text(magnitude, "bed:type"),
    }
