"""FDSN event web service, ``format=text``: one event per line, fields separated by ``|``.

Format: FDSN Web Service Specifications 1.2 (www.fdsn.org/webservices/), section fdsnws-event, "text"
output — a header line ``#EventID|Time|Latitude|Longitude|Depth/km|Author|Catalog|Contributor|
ContributorID|MagType|Magnitude|MagAuthor|EventLocationName`` (services may append ``|EventType``).
The format carries no update time and no review status: reports have ``updated=None`` and are marked
``automatic``.
"""

from __future__ import annotations

from hushdor.feeds.seismic.documents import MAX_DOCUMENT_BYTES, as_bytes
from hushdor.feeds.seismic.report import (
    DocumentInvalid,
    FeedParse,
    ItemInvalid,
    OriginReport,
    Rejection,
    document_rejected,
    event_type_withdrawn,
    number_from_text,
    origin_report_build,
    utc_from_iso,
)

REQUIRED_COLUMNS = ("EventID", "Time", "Latitude", "Longitude", "Depth/km", "MagType", "Magnitude")


def parse_fdsn_text(
    document: bytes | str, *, agency: str | None = None, max_bytes: int = MAX_DOCUMENT_BYTES
) -> FeedParse:
    """Parse an fdsnws-event text document. ``agency`` defaults to each row's Contributor or Author."""
    try:
        lines = _lines(document, max_bytes=max_bytes)
        columns = _header(lines[0])
    except DocumentInvalid as error:
        return document_rejected(error)
    reports: list[OriginReport] = []
    rejections: list[Rejection] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("|")
        reference = fields[0].strip() or f"line {number}"
        try:
            if len(fields) != len(columns):
                raise ItemInvalid(f"line {number} has {len(fields)} fields, the header names {len(columns)}")
            reports.append(fdsn_row_report(dict(zip(columns, fields, strict=True)), agency=agency))
        except ItemInvalid as error:
            rejections.append(Rejection(item_ref=reference, reason=str(error)))
    return FeedParse(reports=reports, rejections=rejections)


def fdsn_row_report(row: dict[str, str], *, agency: str | None = None) -> OriginReport:
    values = {name: value.strip() for name, value in row.items()}
    for name in REQUIRED_COLUMNS:
        if not values.get(name):
            raise ItemInvalid(f"{name} is empty")
    deleted = event_type_withdrawn(values.get("EventType", ""))
    return origin_report_build(
        agency=agency or values.get("Contributor") or values.get("Author") or "FDSN",
        event_id=values["EventID"],
        origin_time=utc_from_iso("Time", values["Time"]),
        latitude=number_from_text(values["Latitude"]),
        longitude=number_from_text(values["Longitude"]),
        depth_km=number_from_text(values["Depth/km"]),
        magnitude=number_from_text(values["Magnitude"]),
        magnitude_type=values["MagType"],
        updated=None,
        status="automatic",
        deleted=deleted,
        place=values.get("EventLocationName"),
        raw=values,
    )


def _lines(document: bytes | str, *, max_bytes: int) -> list[str]:
    data = as_bytes(document, max_bytes=max_bytes)
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentInvalid(f"document is not UTF-8 text ({error.reason})") from None
    return content.lstrip("\ufeff").splitlines()


def _header(line: str) -> list[str]:
    if not line.startswith("#"):
        raise DocumentInvalid("the first line is not an fdsnws-event text header (#EventID|Time|…)")
    columns = [name.strip() for name in line.lstrip("#").split("|")]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise DocumentInvalid(f"header lacks column(s) {', '.join(missing)}")
    return columns
