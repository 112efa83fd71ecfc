"""EDXL-DE 1.0 envelopes: the routing wrapper that carries an RFA, an offer or a sitrep between nodes.

Written in the element order of the schema (``schema/edxl-de-v1.0.xsd``) and checked against it; read
only through the hardened parser (``hushdor.cap.safety.load_tree``: size and depth limits, DOCTYPE and
ENTITY refused, no network), then validated against the schema, then mapped to :class:`Envelope`.
Problems come back as findings with a stable code, never as an exception from lxml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources

from lxml import etree

from hushdor.cap.findings import Finding, error
from hushdor.cap.safety import Limits, load_tree
from hushdor.xmlsafe import hardened_parser

NS = "urn:oasis:names:tc:emergency:EDXL:DE:1.0"
STATUSES = ("Actual", "Exercise", "System", "Test")
TYPES = (
    "Report",
    "Update",
    "Cancel",
    "Request",
    "Response",
    "Dispatch",
    "Ack",
    "Error",
    "SensorConfiguration",
    "SensorControl",
    "SensorStatus",
    "SensorDetection",
)
DEFAULT_LIMITS = Limits(max_bytes=2 * 1024 * 1024, max_depth=64)


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


@dataclass(frozen=True)
class Envelope:
    distribution_id: str
    sender_id: str
    sent: datetime
    status: str  # STATUSES
    kind: str  # TYPES (distributionType)
    confidentiality: str = "UNCLASSIFIED AND NOT SENSITIVE"
    language: str = ""
    keywords: tuple[tuple[str, str], ...] = ()  # (valueListUrn, value)
    references: tuple[str, ...] = ()  # distributionReference: "distributionID,senderID,dateTimeSent"
    countries: tuple[str, ...] = ()  # targetArea/country (ISO 3166-1 alpha-2)
    subdivisions: tuple[str, ...] = ()  # targetArea/subdivision (ISO 3166-2)
    content_description: str = ""
    incident_id: str = ""
    incident_description: str = ""
    payload: bytes = field(default=b"", repr=False)  # one XML document, embedded as embeddedXMLContent

    def reference(self) -> str:
        """This envelope as another envelope's ``distributionReference`` (EDXL-DE 1.0 § 3.2.2)."""
        return f"{self.distribution_id},{self.sender_id},{self.sent.isoformat()}"


@cache
def schema() -> etree.XMLSchema:
    text = resources.files("hushdor.edxl").joinpath("schema", "edxl-de-v1.0.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text, hardened_parser()))


def to_xml(envelope: Envelope) -> bytes:
    """The envelope as UTF-8 XML, valid against the schema (raises ValueError naming what is wrong)."""
    if envelope.sent.tzinfo is None:
        raise ValueError("dateTimeSent needs a time zone")
    if envelope.status not in STATUSES or envelope.kind not in TYPES:
        raise ValueError(
            f"distributionStatus {envelope.status!r} / distributionType {envelope.kind!r} unknown"
        )
    root = etree.Element(_q("EDXLDistribution"), nsmap={None: NS})
    for name, value in (
        ("distributionID", envelope.distribution_id),
        ("senderID", envelope.sender_id),
        ("dateTimeSent", envelope.sent.isoformat(timespec="seconds")),
        ("distributionStatus", envelope.status),
        ("distributionType", envelope.kind),
        ("combinedConfidentiality", envelope.confidentiality),
    ):
        etree.SubElement(root, _q(name)).text = value
    if envelope.language:
        etree.SubElement(root, _q("language")).text = envelope.language
    for urn, value in envelope.keywords:
        keyword = etree.SubElement(root, _q("keyword"))
        etree.SubElement(keyword, _q("valueListUrn")).text = urn
        etree.SubElement(keyword, _q("value")).text = value
    for reference in envelope.references:
        etree.SubElement(root, _q("distributionReference")).text = reference
    if envelope.countries or envelope.subdivisions:
        area = etree.SubElement(root, _q("targetArea"))
        for country in envelope.countries:
            etree.SubElement(area, _q("country")).text = country
        for subdivision in envelope.subdivisions:
            etree.SubElement(area, _q("subdivision")).text = subdivision
    if envelope.payload:
        content = etree.SubElement(root, _q("contentObject"))
        if envelope.content_description:
            etree.SubElement(content, _q("contentDescription")).text = envelope.content_description
        if envelope.incident_id:
            etree.SubElement(content, _q("incidentID")).text = envelope.incident_id
        if envelope.incident_description:
            etree.SubElement(content, _q("incidentDescription")).text = envelope.incident_description
        embedded = etree.SubElement(etree.SubElement(content, _q("xmlContent")), _q("embeddedXMLContent"))
        embedded.append(etree.fromstring(envelope.payload, hardened_parser()))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    problems = schema_findings(root)
    if problems:
        raise ValueError("; ".join(str(problem) for problem in problems))
    return data


def schema_findings(root: etree._Element) -> list[Finding]:
    validator = schema()
    if validator.validate(root):
        return []
    return [error("edxl.schema", f"line {e.line}: {e.message}") for e in validator.error_log]


def parse(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> tuple[Envelope | None, list[Finding]]:
    """Read an envelope from untrusted bytes: (envelope, []) or (None, findings saying what is wrong)."""
    loaded = load_tree(data, limits)
    if loaded.root is None:
        return None, list(loaded.findings)
    root = loaded.root
    if root.tag != _q("EDXLDistribution"):
        return None, [error("edxl.root", f"the root element is {root.tag}, not EDXL-DE 1.0 EDXLDistribution")]
    problems = schema_findings(root)
    if problems:
        return None, problems

    def text(path: str) -> str:
        return (root.findtext(path, namespaces={"de": NS}) or "").strip()

    content = root.find("de:contentObject", namespaces={"de": NS})
    payload = b""
    if content is not None:
        embedded = content.find("de:xmlContent/de:embeddedXMLContent", namespaces={"de": NS})
        if embedded is not None and len(embedded):
            payload = etree.tostring(embedded[0], encoding="UTF-8")
    sent = datetime.fromisoformat(text("de:dateTimeSent").replace("Z", "+00:00"))
    if sent.tzinfo is None:
        return None, [error("edxl.time", "dateTimeSent has no time zone")]
    envelope = Envelope(
        distribution_id=text("de:distributionID"),
        sender_id=text("de:senderID"),
        sent=sent,
        status=text("de:distributionStatus"),
        kind=text("de:distributionType"),
        confidentiality=text("de:combinedConfidentiality"),
        language=text("de:language"),
        keywords=tuple(
            (
                (k.findtext("de:valueListUrn", namespaces={"de": NS}) or ""),
                (k.findtext("de:value", namespaces={"de": NS}) or ""),
            )
            for k in root.findall("de:keyword", namespaces={"de": NS})
        ),
        references=tuple(
            (r.text or "").strip() for r in root.findall("de:distributionReference", namespaces={"de": NS})
        ),
        countries=tuple(
            (c.text or "") for c in root.findall("de:targetArea/de:country", namespaces={"de": NS})
        ),
        subdivisions=tuple(
            (c.text or "") for c in root.findall("de:targetArea/de:subdivision", namespaces={"de": NS})
        ),
        content_description=text("de:contentObject/de:contentDescription"),
        incident_id=text("de:contentObject/de:incidentID"),
        incident_description=text("de:contentObject/de:incidentDescription"),
        payload=payload,
    )
    if not envelope.distribution_id or not envelope.sender_id:
        return None, [error("edxl.ids", "distributionID and senderID must not be empty")]
    return envelope, []
