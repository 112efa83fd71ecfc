"""Situation reports as XML shaped after OASIS EDXL-SitRep 1.0 (the payload of a sitrep envelope).

A numbered report per incident: the period it covers, the situation in words, figures per district
with their change since the previous report, needs outstanding, assistance requested / offered /
accepted, actions, and the time of the next report.

Element names follow EDXL-SitRep 1.0 (OASIS Standard, 2016) where the standard has them:
``MessageID``, ``PreparedBy``, ``AuthorizedBy``, ``ReportPurpose``, ``ReportNumber``,
``ReportVersion``, ``ForTimePeriod`` (``FromDateTime``, ``ToDateTime``), ``ReportTitle``,
``IncidentID``, ``IncidentLifecyclePhase``, ``Urgency``, ``Severity``, ``ActionPlan``,
``NextContact``, ``Report/SituationInformation``, ``Report/CasualtyAndIllnessSummary``. The figures
per district, needs and assistance lines are Hushdor elements (``DistrictFigures``, ``Need``,
``AssistanceLine``) in the same namespace. "Shaped after": the OASIS SitRep schema is not in any
registry this project reaches, so the document is not validated against it; :func:`parse` checks what
it reads instead. Pure code: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from hushdor.cap.findings import Finding, error
from hushdor.cap.safety import Limits, load_tree

NS = "urn:oasis:names:tc:emergency:EDXL:SitRep:1.0"
LIMITS = Limits(max_bytes=1024 * 1024, max_depth=32)
VERSIONS = ("Initial", "Update", "Final")


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


@dataclass(frozen=True)
class DistrictFigures:
    code: str
    name: str
    values: dict[str, int]
    changes: dict[str, int] = field(default_factory=dict)  # since the previous report
    source: str = ""
    reported_at: datetime | None = None
    model: str = ""  # the impact model's estimate for the district (a model, not a count)


@dataclass(frozen=True)
class NeedLine:
    name: str
    unit: str
    requested: str
    accepted: str
    outstanding: str


@dataclass(frozen=True)
class AssistanceLine:
    partner: str
    item: str
    quantity: str
    state: str


@dataclass(frozen=True)
class SitrepDocument:
    message_id: str
    incident_id: str
    title: str
    number: int
    version: str  # VERSIONS
    language: str
    period_from: datetime
    period_to: datetime
    prepared_by: str
    authorized_by: str
    situation: str
    actions: str
    phase: str = "Response"
    next_report_at: datetime | None = None
    exercise: bool = False
    figures: tuple[DistrictFigures, ...] = ()
    needs: tuple[NeedLine, ...] = ()
    assistance: tuple[AssistanceLine, ...] = ()
    model_note: str = ""  # the impact model's national estimate, one line


def _add(parent: etree._Element, tag: str, text: str | None = None, /, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), **attributes)
    if text is not None:
        element.text = text
    return element


def to_xml(document: SitrepDocument) -> bytes:
    if document.version not in VERSIONS:
        raise ValueError(f"ReportVersion {document.version!r} is not one of {VERSIONS}")
    for moment in (document.period_from, document.period_to, document.next_report_at):
        if moment is not None and moment.tzinfo is None:
            raise ValueError("every time in a situation report needs a time zone")
    root = etree.Element(_q("SitRep"), nsmap={None: NS})
    _add(root, "MessageID", document.message_id)
    _add(root, "PreparedBy", document.prepared_by)
    _add(root, "AuthorizedBy", document.authorized_by)
    _add(root, "ReportPurpose", "Exercise" if document.exercise else "Situation report")
    _add(root, "ReportNumber", str(document.number))
    _add(root, "ReportVersion", document.version)
    period = _add(root, "ForTimePeriod")
    _add(period, "FromDateTime", document.period_from.isoformat(timespec="seconds"))
    _add(period, "ToDateTime", document.period_to.isoformat(timespec="seconds"))
    _add(root, "ReportTitle", document.title)
    _add(root, "IncidentID", document.incident_id)
    _add(root, "IncidentLifecyclePhase", document.phase)
    _add(root, "Language", document.language)
    _add(root, "ActionPlan", document.actions)
    if document.next_report_at is not None:
        _add(root, "NextContact", document.next_report_at.isoformat(timespec="seconds"))
    report = _add(root, "Report")
    _add(_add(report, "SituationInformation"), "SituationSummary", document.situation)
    casualties = _add(report, "CasualtyAndIllnessSummary")
    for district in document.figures:
        element = _add(casualties, "DistrictFigures", code=district.code, name=district.name)
        if district.source:
            element.set("source", district.source)
        if district.reported_at is not None:
            element.set("reportedAt", district.reported_at.isoformat(timespec="seconds"))
        if district.model:
            element.set("modelEstimate", district.model)
        for key, value in district.values.items():
            figure = _add(element, "Figure", str(int(value)), kind=key)
            if key in district.changes:
                figure.set("change", str(int(district.changes[key])))
    if document.model_note:
        _add(report, "ModelEstimate", document.model_note)
    needs = _add(report, "NeedsOutstanding")
    for need in document.needs:
        _add(
            needs,
            "Need",
            need.name,
            unit=need.unit,
            requested=need.requested,
            accepted=need.accepted,
            outstanding=need.outstanding,
        )
    assistance = _add(report, "Assistance")
    for line in document.assistance:
        _add(assistance, "AssistanceLine", line.item, partner=line.partner, quantity=line.quantity, state=line.state)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def parse(data: bytes) -> tuple[SitrepDocument | None, list[Finding]]:
    """Read a situation report from untrusted bytes (a partner's), naming what is wrong."""
    loaded = load_tree(data, LIMITS)
    if loaded.root is None:
        return None, list(loaded.findings)
    root = loaded.root
    if root.tag != _q("SitRep"):
        return None, [error("sitrep.root", f"{root.tag} is not an EDXL-SitRep SitRep")]
    ns = {"s": NS}

    def text(path: str, element: etree._Element = root) -> str:
        return (element.findtext(path, namespaces=ns) or "").strip()

    findings: list[Finding] = []

    def moment(value: str, name: str) -> datetime | None:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            findings.append(error("sitrep.time", f"{name} {value!r} is not an ISO 8601 date-time"))
            return None
        if parsed.tzinfo is None:
            findings.append(error("sitrep.time", f"{name} {value!r} has no time zone"))
            return None
        return parsed

    number_text = text("s:ReportNumber")
    if not number_text.isdigit() or int(number_text) < 1:
        findings.append(error("sitrep.number", f"ReportNumber {number_text!r} is not a positive whole number"))
    version = text("s:ReportVersion")
    if version not in VERSIONS:
        findings.append(error("sitrep.version", f"ReportVersion {version!r} is not one of {VERSIONS}"))
    for required in ("MessageID", "IncidentID", "ReportTitle"):
        if not text(f"s:{required}"):
            findings.append(error("sitrep.required", f"{required} is empty"))
    period_from = moment(text("s:ForTimePeriod/s:FromDateTime"), "FromDateTime")
    period_to = moment(text("s:ForTimePeriod/s:ToDateTime"), "ToDateTime")
    next_text = text("s:NextContact")
    next_report = moment(next_text, "NextContact") if next_text else None
    figures = []
    for element in root.findall("s:Report/s:CasualtyAndIllnessSummary/s:DistrictFigures", namespaces=ns):
        values: dict[str, int] = {}
        changes: dict[str, int] = {}
        for figure in element.findall("s:Figure", namespaces=ns):
            kind = figure.get("kind", "")
            try:
                values[kind] = int((figure.text or "").strip())
                if figure.get("change") is not None:
                    changes[kind] = int(figure.get("change"))
            except ValueError:
                findings.append(error("sitrep.figure", f"{element.get('code')} {kind}: not a whole number"))
        figures.append(
            DistrictFigures(
                code=element.get("code", ""),
                name=element.get("name", ""),
                values=values,
                changes=changes,
                source=element.get("source", ""),
                model=element.get("modelEstimate", ""),
            )
        )
    if findings or period_from is None or period_to is None:
        return None, findings
    return (
        SitrepDocument(
            message_id=text("s:MessageID"),
            incident_id=text("s:IncidentID"),
            title=text("s:ReportTitle"),
            number=int(number_text),
            version=version,
            language=text("s:Language"),
            period_from=period_from,
            period_to=period_to,
            prepared_by=text("s:PreparedBy"),
            authorized_by=text("s:AuthorizedBy"),
            situation=text("s:Report/s:SituationInformation/s:SituationSummary"),
            actions=text("s:ActionPlan"),
            phase=text("s:IncidentLifecyclePhase"),
            next_report_at=next_report,
            exercise=text("s:ReportPurpose") == "Exercise",
            model_note=text("s:Report/s:ModelEstimate"),
            figures=tuple(figures),
            needs=tuple(
                NeedLine(
                    name=(n.text or "").strip(),
                    unit=n.get("unit", ""),
                    requested=n.get("requested", ""),
                    accepted=n.get("accepted", ""),
                    outstanding=n.get("outstanding", ""),
                )
                for n in root.findall("s:Report/s:NeedsOutstanding/s:Need", namespaces=ns)
            ),
            assistance=tuple(
                AssistanceLine(
                    partner=a.get("partner", ""),
                    item=(a.text or "").strip(),
                    quantity=a.get("quantity", ""),
                    state=a.get("state", ""),
                )
                for a in root.findall("s:Report/s:Assistance/s:AssistanceLine", namespaces=ns)
            ),
        ),
        [],
    )
