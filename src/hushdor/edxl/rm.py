"""EDXL-RM 1.0 resource messages for international assistance (the EADRCC procedure).

Mapping of the procedure to OASIS EDXL-RM 1.0 (OASIS Standard, 1 November 2008), one
``ResourceInformation`` per line item (RM is line-item centric):

| EADRCC step | RM message | EDXL-DE distributionType |
|---|---|---|
| the stricken nation's Request for Assistance | ``RequestResource`` | Request |
| a partner's offer against the request | ``ResponseToRequestResource`` (``ResponseType`` Accept / Provisional / Decline) | Response |
| the stricken nation accepts an offer | ``RequisitionResource`` | Dispatch |
| the partner commits and dispatches | ``CommitResource`` | Dispatch |
| demobilisation | ``ReleaseResource`` | Report |

Implemented elements (namespace ``urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg``, the names of the
standard): ``MessageID``, ``SentDateTime``, ``MessageContentType``, ``OriginatingMessageID``,
``PrecedingMessageID``, ``IncidentInformation/IncidentDescription``, ``ContactInformation``
(``ContactDescription``, ``ContactRole``, ``AdditionalContactInformation`` as plain text — the
standard's xPIL party element is not implemented), ``ResourceInformation`` with
``ResourceInfoElementID``, ``Resource`` (``Name``, ``TypeStructure`` as ValueListURN + Value,
``Description``), ``AssignmentInformation/Quantity/MeasuredQuantity`` (``Amount``, ``Unit``),
``ScheduleInformation`` (``ScheduleType``, ``DateTime``, ``Location/LocationDescription``) and
``ResponseInformation`` (``PrecedingResourceInfoElementID``, ``ResponseType``, ``ReasonCode``). Not
implemented: the other eleven message types, funding, price quotes, xPIL/xAL/xNL parties and
addresses, EDXL-GSF locations. No RM schema is validated here: the OASIS RM schemas are not in any
registry this project reaches (see ``schema/README.md``); the parser checks what it reads instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from hushdor.cap.findings import Finding, error
from hushdor.cap.safety import Limits, load_tree

NS = "urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"
MESSAGE_TYPES = (
    "RequestResource",
    "ResponseToRequestResource",
    "RequisitionResource",
    "CommitResource",
    "ReleaseResource",
)
RESPONSE_TYPES = ("Accept", "Decline", "Provisional", "Conditional")
# The categories of needs (docs/operations-centre.md): INSARAG USAR classes, WHO EMT types, and the rest.
CATEGORY_LIST_URN = "urn:hushdor:assistance:category"
LIMITS = Limits(max_bytes=1024 * 1024, max_depth=32)


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


@dataclass(frozen=True)
class LineItem:
    item_id: str  # ResourceInfoElementID
    name: str
    category: str  # value in CATEGORY_LIST_URN
    quantity: Decimal
    unit: str
    description: str = ""
    schedule_type: str = ""  # e.g. RequestedArrival, EstimatedArrival
    schedule_time: datetime | None = None
    location: str = ""
    preceding_item_id: str = ""  # ResponseInformation/PrecedingResourceInfoElementID
    response_type: str = ""  # RESPONSE_TYPES, in responses
    reason: str = ""


@dataclass(frozen=True)
class ResourceMessage:
    message_type: str  # MESSAGE_TYPES
    message_id: str
    sent: datetime
    incident: str
    items: tuple[LineItem, ...]
    originating_message_id: str = ""
    preceding_message_id: str = ""
    contact_role: str = ""  # e.g. Requester, RespondingOrg, Approver
    contact: str = ""


def _add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    if text is not None:
        element.text = text
    return element


def to_xml(message: ResourceMessage) -> bytes:
    if message.message_type not in MESSAGE_TYPES:
        raise ValueError(f"unknown RM message type {message.message_type!r}")
    if message.sent.tzinfo is None:
        raise ValueError("SentDateTime needs a time zone")
    root = etree.Element(_q(message.message_type), nsmap={"rm": NS})
    _add(root, "MessageID", message.message_id)
    _add(root, "SentDateTime", message.sent.isoformat(timespec="seconds"))
    _add(root, "MessageContentType", message.message_type)
    if message.originating_message_id:
        _add(root, "OriginatingMessageID", message.originating_message_id)
    if message.preceding_message_id:
        _add(root, "PrecedingMessageID", message.preceding_message_id)
    _add(_add(root, "IncidentInformation"), "IncidentDescription", message.incident)
    if message.contact_role or message.contact:
        contact = _add(root, "ContactInformation")
        _add(contact, "ContactRole", message.contact_role)
        _add(contact, "AdditionalContactInformation", message.contact)
    for item in message.items:
        info = _add(root, "ResourceInformation")
        _add(info, "ResourceInfoElementID", item.item_id)
        if item.response_type or item.preceding_item_id:
            response = _add(info, "ResponseInformation")
            _add(response, "PrecedingResourceInfoElementID", item.preceding_item_id)
            if item.response_type:
                if item.response_type not in RESPONSE_TYPES:
                    raise ValueError(f"unknown ResponseType {item.response_type!r}")
                _add(response, "ResponseType", item.response_type)
            if item.reason:
                _add(response, "ReasonCode", item.reason)
        resource = _add(info, "Resource")
        _add(resource, "Name", item.name)
        structure = _add(resource, "TypeStructure")
        _add(structure, "ValueListURN", CATEGORY_LIST_URN)
        _add(structure, "Value", item.category)
        if item.description:
            _add(resource, "Description", item.description)
        measured = _add(_add(_add(info, "AssignmentInformation"), "Quantity"), "MeasuredQuantity")
        _add(measured, "Amount", str(item.quantity))
        _add(measured, "Unit", item.unit)
        if item.schedule_type:
            schedule = _add(info, "ScheduleInformation")
            _add(schedule, "ScheduleType", item.schedule_type)
            if item.schedule_time is not None:
                _add(schedule, "DateTime", item.schedule_time.isoformat(timespec="seconds"))
            if item.location:
                _add(_add(schedule, "Location"), "LocationDescription", item.location)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def parse(data: bytes) -> tuple[ResourceMessage | None, list[Finding]]:
    """Read an RM message from untrusted bytes; every required field is checked and named if wrong."""
    loaded = load_tree(data, LIMITS)
    if loaded.root is None:
        return None, list(loaded.findings)
    root = loaded.root
    kind = etree.QName(root).localname
    if etree.QName(root).namespace != NS or kind not in MESSAGE_TYPES:
        return None, [
            error(
                "rm.root",
                f"{root.tag} is not one of the EDXL-RM messages read here: {', '.join(MESSAGE_TYPES)}",
            )
        ]
    ns = {"rm": NS}

    def text(element: etree._Element, path: str) -> str:
        return (element.findtext(path, namespaces=ns) or "").strip()

    findings: list[Finding] = []
    sent = _time(text(root, "rm:SentDateTime"), "SentDateTime", findings)
    message_id = text(root, "rm:MessageID")
    if not message_id:
        findings.append(error("rm.message_id", "MessageID is empty"))
    items = []
    for number, info in enumerate(root.findall("rm:ResourceInformation", namespaces=ns), start=1):
        where = f"ResourceInformation {number}"
        try:
            quantity = Decimal(
                text(info, "rm:AssignmentInformation/rm:Quantity/rm:MeasuredQuantity/rm:Amount")
            )
        except InvalidOperation:
            findings.append(error("rm.quantity", f"{where}: Amount is not a number"))
            continue
        if not quantity.is_finite() or quantity < 0:
            findings.append(error("rm.quantity", f"{where}: Amount must be a number of 0 or more"))
            continue
        response_type = text(info, "rm:ResponseInformation/rm:ResponseType")
        if response_type and response_type not in RESPONSE_TYPES:
            findings.append(
                error(
                    "rm.response_type",
                    f"{where}: ResponseType {response_type!r} is not one of {RESPONSE_TYPES}",
                )
            )
            continue
        when = text(info, "rm:ScheduleInformation/rm:DateTime")
        items.append(
            LineItem(
                item_id=text(info, "rm:ResourceInfoElementID"),
                name=text(info, "rm:Resource/rm:Name"),
                category=text(info, "rm:Resource/rm:TypeStructure/rm:Value"),
                quantity=quantity,
                unit=text(info, "rm:AssignmentInformation/rm:Quantity/rm:MeasuredQuantity/rm:Unit"),
                description=text(info, "rm:Resource/rm:Description"),
                schedule_type=text(info, "rm:ScheduleInformation/rm:ScheduleType"),
                schedule_time=_time(when, f"{where} DateTime", findings) if when else None,
                location=text(info, "rm:ScheduleInformation/rm:Location/rm:LocationDescription"),
                preceding_item_id=text(info, "rm:ResponseInformation/rm:PrecedingResourceInfoElementID"),
                response_type=response_type,
                reason=text(info, "rm:ResponseInformation/rm:ReasonCode"),
            )
        )
    if findings or sent is None:
        return None, findings
    return (
        ResourceMessage(
            message_type=kind,
            message_id=message_id,
            sent=sent,
            incident=text(root, "rm:IncidentInformation/rm:IncidentDescription"),
            items=tuple(items),
            originating_message_id=text(root, "rm:OriginatingMessageID"),
            preceding_message_id=text(root, "rm:PrecedingMessageID"),
            contact_role=text(root, "rm:ContactInformation/rm:ContactRole"),
            contact=text(root, "rm:ContactInformation/rm:AdditionalContactInformation"),
        ),
        [],
    )


def _time(value: str, name: str, findings: list[Finding]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        findings.append(error("rm.time", f"{name} {value!r} is not an ISO 8601 date-time"))
        return None
    if moment.tzinfo is None:
        findings.append(error("rm.time", f"{name} {value!r} has no time zone"))
        return None
    return moment
