"""WIS2 Notification Messages (WMO-No. 1313, WNM 1.0): read and check one, never trust it.

A notification is a GeoJSON Feature announcing data: ``id``, ``conformsTo``, ``type``, ``geometry``,
``properties`` (``data_id``, ``metadata_id``, ``pubtime``, ``datetime`` or ``start_datetime`` +
``end_datetime``, optional ``integrity {method, value}``, optional inline ``content {encoding, size,
value}``), and ``links`` with at least one ``canonical`` link for new data. :func:`parse` checks each of
these and names what is wrong; :func:`content_bytes` decodes inline content (utf-8, base64, gzip —
at most 4096 bytes encoded, as the specification allows); :func:`integrity_ok` checks the data
against the announced digest (sha256/384/512, sha3-256/384/512; the value is base64).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from hushdor.cap.findings import Finding, error

MAX_NOTIFICATION_BYTES = 64 * 1024
MAX_INLINE_BYTES = 4096
DIGESTS = {
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
    "sha3-256": hashlib.sha3_256,
    "sha3-384": hashlib.sha3_384,
    "sha3-512": hashlib.sha3_512,
}
ENCODINGS = ("utf-8", "base64", "gzip")


@dataclass(frozen=True)
class Notification:
    id: str
    data_id: str
    metadata_id: str
    pubtime: datetime
    integrity: tuple[str, str] | None  # (method, base64 value)
    content: tuple[str, int, str] | None  # (encoding, size, value)
    canonical: str  # href of the canonical link ("" for updates/deletions without one)
    media_type: str  # type of the canonical link, e.g. application/bufr
    station: str  # wigos_station_identifier, when the producer gives it
    deletion: bool = False


def _time(value, name: str, findings: list[Finding]) -> datetime | None:
    if not isinstance(value, str):
        findings.append(error("wnm.time", f"{name} is missing or not a string"))
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        findings.append(error("wnm.time", f"{name} {value!r} is not an RFC 3339 time"))
        return None
    if moment.tzinfo is None:
        findings.append(error("wnm.time", f"{name} {value!r} has no time zone"))
        return None
    return moment


def parse(data: bytes) -> tuple[Notification | None, list[Finding]]:
    if len(data) > MAX_NOTIFICATION_BYTES:
        return None, [error("wnm.size", f"the notification is {len(data)} bytes; at most {MAX_NOTIFICATION_BYTES}")]
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        return None, [error("wnm.json", f"not JSON: {problem}")]
    if not isinstance(document, dict):
        return None, [error("wnm.json", "a notification is a JSON object (a GeoJSON Feature)")]
    findings: list[Finding] = []
    if document.get("type") != "Feature":
        findings.append(error("wnm.type", "type must be Feature"))
    conforms = document.get("conformsTo")
    if not isinstance(conforms, list) or not any("wis.wmo.int/spec/wnm/1/conf/core" in str(c) for c in conforms):
        findings.append(error("wnm.conforms", "conformsTo must name http://wis.wmo.int/spec/wnm/1/conf/core"))
    if not isinstance(document.get("id"), str) or not document.get("id"):
        findings.append(error("wnm.id", "id is missing"))
    properties = document.get("properties")
    if not isinstance(properties, dict):
        return None, [*findings, error("wnm.properties", "properties is missing")]
    for key in ("data_id", "metadata_id"):
        if not isinstance(properties.get(key), str) or not properties[key]:
            findings.append(error(f"wnm.{key}", f"properties.{key} is missing"))
    pubtime = _time(properties.get("pubtime"), "pubtime", findings)
    if "datetime" not in properties and not ("start_datetime" in properties and "end_datetime" in properties):
        findings.append(error("wnm.datetime", "properties needs datetime, or start_datetime and end_datetime"))
    integrity = None
    if "integrity" in properties:
        block = properties["integrity"]
        if not isinstance(block, dict) or block.get("method") not in DIGESTS or not isinstance(block.get("value"), str):
            findings.append(error("wnm.integrity", f"integrity needs a method of {', '.join(DIGESTS)} and a value"))
        else:
            integrity = (block["method"], block["value"])
    content = None
    if "content" in properties:
        block = properties["content"]
        if (
            not isinstance(block, dict)
            or block.get("encoding") not in ENCODINGS
            or not isinstance(block.get("size"), int)
            or not isinstance(block.get("value"), str)
        ):
            findings.append(error("wnm.content", f"content needs an encoding of {', '.join(ENCODINGS)}, a size and a value"))
        elif len(block["value"]) > MAX_INLINE_BYTES:
            findings.append(error("wnm.content", f"inline content over {MAX_INLINE_BYTES} bytes is not allowed"))
        else:
            content = (block["encoding"], block["size"], block["value"])
    links = document.get("links")
    canonical, media_type, deletion = "", "", False
    if not isinstance(links, list) or not links:
        findings.append(error("wnm.links", "links must hold at least one link"))
    else:
        for link in links:
            if not isinstance(link, dict) or not link.get("rel") or not link.get("href"):
                findings.append(error("wnm.links", "every link needs rel and href"))
                break
            rel = str(link["rel"])
            if rel == "canonical" and not canonical:
                canonical, media_type = str(link["href"]), str(link.get("type") or "")
            if rel.endswith("deletion"):
                deletion = True
        if not canonical and not deletion and not any(str(link.get("rel", "")).endswith("update") for link in links if isinstance(link, dict)):
            findings.append(error("wnm.links", "new data needs a canonical link"))
    if findings or pubtime is None:
        return None, findings
    return (
        Notification(
            id=document["id"],
            data_id=properties["data_id"],
            metadata_id=properties["metadata_id"],
            pubtime=pubtime,
            integrity=integrity,
            content=content,
            canonical=canonical,
            media_type=media_type,
            station=str(properties.get("wigos_station_identifier") or ""),
            deletion=deletion,
        ),
        [],
    )


def content_bytes(notification: Notification) -> bytes | None:
    """The inline data, decoded; None when there is none. Raises ValueError when it cannot be decoded."""
    if notification.content is None:
        return None
    encoding, _size, value = notification.content
    try:
        if encoding == "utf-8":
            return value.encode("utf-8")
        raw = base64.b64decode(value, validate=True)
        return gzip.decompress(raw) if encoding == "gzip" else raw
    except (binascii.Error, OSError, EOFError) as problem:
        raise ValueError(f"inline content ({encoding}) cannot be decoded: {problem}") from problem


def integrity_ok(notification: Notification, data: bytes) -> bool:
    """True when there is no digest to check, or the data matches it."""
    if notification.integrity is None:
        return True
    method, value = notification.integrity
    digest = base64.b64encode(DIGESTS[method](data).digest()).decode()
    return digest == value.strip()
