"""Turn a parsed CAP ``<alert>`` element into the model, collecting findings on the way.

Lenient where a reader can still make sense of the message (a ``Z`` date-time is read as UTC and
reported), strict where it cannot (a missing ``<identifier>``, an unknown ``<severity>``): those end
the reading with ``alert=None``. Text is stripped of surrounding whitespace; empty optional
elements read as ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from lxml import etree

from hushdor.cap.findings import Finding, error
from hushdor.cap.model import (
    Alert,
    Area,
    Category,
    Certainty,
    Circle,
    Info,
    MsgType,
    Polygon,
    Reference,
    Resource,
    ResponseType,
    Scope,
    Severity,
    Status,
    Urgency,
    ValuePair,
)
from hushdor.cap.timefmt import parse_cap_datetime

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
_Q = "{" + CAP_NS + "}"
E = TypeVar("E", bound=StrEnum)
N = TypeVar("N", int, float)
_LIST_ITEM = re.compile(r'"([^"]*)"|(\S+)')


class _Unreadable(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def read_alert(root: etree._Element) -> tuple[Alert | None, list[Finding]]:
    findings: list[Finding] = []
    if root.tag != _Q + "alert":
        return None, [
            error(
                "xml.not_cap",
                f"the root element is {_plain(root.tag)}, not a CAP 1.2 <alert> in namespace {CAP_NS}",
            )
        ]
    try:
        alert = _alert(root, findings)
    except _Unreadable as exc:
        findings.append(exc.finding)
        return None, findings
    return alert, findings


def split_list(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(
        quoted if quoted is not None and quoted != "" else bare
        for quoted, bare in _LIST_ITEM.findall(text)
        if quoted or bare
    )


def _alert(root: etree._Element, findings: list[Finding]) -> Alert:
    kids = _Kids(root)
    sent = _moment(_required(kids, "sent", ""), "sent", findings, required=True)
    assert sent is not None
    return Alert(
        identifier=_required(kids, "identifier", ""),
        sender=_required(kids, "sender", ""),
        sent=sent,
        status=_enum(Status, _required(kids, "status", ""), "status"),
        msg_type=_enum(MsgType, _required(kids, "msgType", ""), "msgType"),
        scope=_enum(Scope, _required(kids, "scope", ""), "scope"),
        source=_optional(kids, "source"),
        restriction=_optional(kids, "restriction"),
        addresses=split_list(_optional(kids, "addresses")),
        codes=tuple(text for el in kids.all("code") if (text := _strip(el))),
        note=_optional(kids, "note"),
        references=_references(_optional(kids, "references"), findings),
        incidents=split_list(_optional(kids, "incidents")),
        infos=tuple(_info(el, f"info[{i}]", findings) for i, el in enumerate(kids.all("info"))),
    )


def _info(element: etree._Element, path: str, findings: list[Finding]) -> Info:
    kids = _Kids(element)

    def moment(tag: str) -> datetime | None:
        text = _optional(kids, tag)
        return None if text is None else _moment(text, f"{path}.{tag}", findings)

    categories = tuple(_enum(Category, _strip(el), f"{path}.category") for el in kids.all("category"))
    if not categories:
        raise _Unreadable(error("info.category", "each <info> needs at least one <category>", path))
    return Info(
        language=_optional(kids, "language") or "en-US",
        categories=categories,
        event=_required(kids, "event", path),
        response_types=tuple(
            _enum(ResponseType, _strip(el), f"{path}.responseType") for el in kids.all("responseType")
        ),
        urgency=_enum(Urgency, _required(kids, "urgency", path), f"{path}.urgency"),
        severity=_enum(Severity, _required(kids, "severity", path), f"{path}.severity"),
        certainty=_enum(Certainty, _required(kids, "certainty", path), f"{path}.certainty"),
        audience=_optional(kids, "audience"),
        event_codes=_pairs(kids, "eventCode", path),
        effective=moment("effective"),
        onset=moment("onset"),
        expires=moment("expires"),
        sender_name=_optional(kids, "senderName"),
        headline=_optional(kids, "headline"),
        description=_optional(kids, "description"),
        instruction=_optional(kids, "instruction"),
        web=_optional(kids, "web"),
        contact=_optional(kids, "contact"),
        parameters=_pairs(kids, "parameter", path),
        resources=tuple(_resource(el, f"{path}.resource[{i}]") for i, el in enumerate(kids.all("resource"))),
        areas=tuple(_area(el, f"{path}.area[{i}]", findings) for i, el in enumerate(kids.all("area"))),
    )


def _resource(element: etree._Element, path: str) -> Resource:
    kids = _Kids(element)
    size = _optional(kids, "size")
    return Resource(
        resource_desc=_required(kids, "resourceDesc", path),
        mime_type=_required(kids, "mimeType", path),
        size=_number(size, int, f"{path}.size") if size is not None else None,
        uri=_optional(kids, "uri"),
        deref_uri=_optional(kids, "derefUri"),
        digest=_optional(kids, "digest"),
    )


def _area(element: etree._Element, path: str, findings: list[Finding]) -> Area:
    kids = _Kids(element)
    polygons = []
    for i, el in enumerate(kids.all("polygon")):
        polygon = _polygon(_strip(el), f"{path}.polygon[{i}]", findings)
        if polygon is not None:
            polygons.append(polygon)
    circles = []
    for i, el in enumerate(kids.all("circle")):
        circle = _circle(_strip(el), f"{path}.circle[{i}]", findings)
        if circle is not None:
            circles.append(circle)
    altitude, ceiling = _optional(kids, "altitude"), _optional(kids, "ceiling")
    return Area(
        area_desc=_required(kids, "areaDesc", path),
        polygons=tuple(polygons),
        circles=tuple(circles),
        geocodes=_pairs(kids, "geocode", path),
        altitude=_number(altitude, float, f"{path}.altitude") if altitude is not None else None,
        ceiling=_number(ceiling, float, f"{path}.ceiling") if ceiling is not None else None,
    )


def _polygon(text: str, path: str, findings: list[Finding]) -> Polygon | None:
    try:
        points = tuple(_lat_lon(pair) for pair in text.split())
    except ValueError:
        findings.append(
            error(
                "polygon.malformed",
                f"the polygon '{_clip(text)}' is not a list of 'lat,lon' pairs separated by spaces",
                path,
            )
        )
        return None
    return Polygon(points)


def _circle(text: str, path: str, findings: list[Finding]) -> Circle | None:
    parts = text.split()
    try:
        if len(parts) != 2:
            raise ValueError(text)
        return Circle(center=_lat_lon(parts[0]), radius_km=float(parts[1]))
    except ValueError:
        findings.append(
            error("circle.malformed", f"the circle '{_clip(text)}' is not 'lat,lon radius'", path)
        )
        return None


def _lat_lon(pair: str) -> tuple[float, float]:
    lat, lon = pair.split(",")
    return float(lat), float(lon)


def _references(text: str | None, findings: list[Finding]) -> tuple[Reference, ...]:
    references = []
    for i, item in enumerate((text or "").split()):
        path = f"references[{i}]"
        parts = item.split(",")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            findings.append(
                error("references.malformed", f"'{_clip(item)}' is not 'sender,identifier,sent'", path)
            )
            continue
        sent = _moment(parts[2], path, findings)
        if sent is not None:
            references.append(Reference(sender=parts[0], identifier=parts[1], sent=sent))
    return tuple(references)


def _pairs(kids: _Kids, tag: str, path: str) -> tuple[ValuePair, ...]:
    pairs = []
    for i, el in enumerate(kids.all(tag)):
        where = f"{path}.{tag}[{i}]"
        pair = _Kids(el)
        pairs.append(
            ValuePair(value_name=_required(pair, "valueName", where), value=_optional(pair, "value") or "")
        )
    return tuple(pairs)


def _moment(text: str, path: str, findings: list[Finding], *, required: bool = False) -> datetime | None:
    moment, problem = parse_cap_datetime(text)
    if problem is not None:
        finding = error("datetime.offset" if moment is not None else "datetime.malformed", problem, path)
        if moment is None and required:
            raise _Unreadable(finding)
        findings.append(finding)
    return moment


def _enum(kind: type[E], text: str, path: str) -> E:
    member = kind._value2member_map_.get(text)
    if member is not None:
        return member  # type: ignore[return-value]
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise _Unreadable(error("value.unknown", f"'{_clip(text)}' is not one of {allowed}", path)) from None


def _number(text: str, kind: Callable[[str], N], path: str) -> N:
    try:
        return kind(text)
    except ValueError:
        raise _Unreadable(error("value.not_a_number", f"'{_clip(text)}' is not a number", path)) from None


def _required(kids: _Kids, tag: str, path: str) -> str:
    text = _optional(kids, tag)
    if text is None:
        where = f"{path}.{tag}" if path else tag
        raise _Unreadable(error("element.missing", f"<{tag}> is required and missing or empty", where))
    return text


def _optional(kids: _Kids, tag: str) -> str | None:
    child = kids.first(tag)
    if child is None:
        return None
    return _strip(child) or None


class _Kids:
    """The CAP children of one element, grouped by tag in a single pass (``find`` per tag is slow)."""

    __slots__ = ("_by_tag",)

    def __init__(self, element: etree._Element) -> None:
        by_tag: dict[object, list[etree._Element]] = {}
        for child in element:
            by_tag.setdefault(child.tag, []).append(child)
        self._by_tag = by_tag

    def all(self, tag: str) -> list[etree._Element]:
        return self._by_tag.get(_Q + tag, [])

    def first(self, tag: str) -> etree._Element | None:
        found = self._by_tag.get(_Q + tag)
        return found[0] if found else None


def _strip(element: etree._Element) -> str:
    return (element.text or "").strip()


def _plain(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else str(tag)


def _clip(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length] + "…"
