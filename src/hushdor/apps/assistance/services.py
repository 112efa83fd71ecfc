"""Every write of assistance: RFAs and their needs, the two-person approval, EDXL export and receipt,
offers with over-supply flags, acceptance by the stricken nation.

The EADRCC procedure, our side: an officer drafts a Request for Assistance with its line items; a
second person approves it (two-person rule: the author cannot approve); it is exported as an EDXL-RM
``RequestResource`` in an EDXL-DE envelope (``Request``) for the coordinating centre and partners.
Envelopes from other nodes are parsed and validated, then **held in quarantine** until an officer
accepts them; an envelope whose (senderID, distributionID) was already received is a replay and refused.
Offers are accepted or declined here, by the stricken nation, never by the coordinator.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from hushdor.apps.accounts.roles import APPROVER, EDITOR, has_role
from hushdor.apps.assistance import exchange
from hushdor.apps.assistance.models import (
    CATEGORIES,
    AssistanceRequest,
    Need,
    Offer,
    OfferState,
    Peer,
    ReceivedEnvelope,
    RfaState,
)
from hushdor.edxl import envelope as de
from hushdor.edxl import rm

CATEGORY_CODES = {code for code, _label in CATEGORIES}


class AssistanceError(ValueError):
    """A request the assistance records refuse; the message says why."""


def node_id() -> str:
    return settings.NODE_ID


def _log(request: AssistanceRequest, text: str, actor=None) -> None:
    """Every assistance decision on a request tied to an incident goes into that incident's logbook."""
    if request.incident_id is None:
        return
    from hushdor.apps.operations.models import IncidentStatus
    from hushdor.apps.operations.services import logbook_write

    if request.incident.status != IncidentStatus.CLOSED:
        logbook_write(incident=request.incident, text=f"RFA {request.pk}: {text}", author=actor, source="assistance")


def _distribution_id(message_id: str, sent) -> str:
    """Unique per sender (EDXL-DE 1.0 § 3.2.1): the message, the second, and a random part, so that
    the same message sent twice in one second is still two distributions."""
    return f"{message_id}/{int(sent.timestamp())}.{secrets.token_hex(3)}"


@transaction.atomic
def rfa_create(*, actor, title: str, needs: list[dict], incident=None) -> AssistanceRequest:
    if not has_role(actor, EDITOR):
        raise AssistanceError("drafting a request for assistance needs the editor role")
    if not title.strip() or not needs:
        raise AssistanceError("a request needs a title and at least one line item")
    request = AssistanceRequest.objects.create(title=title.strip()[:300], created_by=actor, incident=incident)
    for number, need in enumerate(needs, start=1):
        if need.get("category") not in CATEGORY_CODES:
            raise AssistanceError(
                f"line {number}: category {need.get('category')!r} is not in the documented list"
            )
        quantity = Decimal(str(need.get("quantity", "0")))
        if not quantity.is_finite() or quantity <= 0:
            raise AssistanceError(f"line {number}: the quantity must be a positive number")
        Need.objects.create(
            request=request,
            category=need["category"],
            name=str(need.get("name") or need["category"])[:200],
            quantity=quantity,
            unit=str(need.get("unit") or "unit")[:32],
            where=str(need.get("where") or "")[:200],
            by_when=need.get("by_when"),
        )
    return request


@transaction.atomic
def rfa_approve(*, actor, request: AssistanceRequest) -> AssistanceRequest:
    request = AssistanceRequest.objects.select_for_update().get(pk=request.pk)
    if not has_role(actor, APPROVER):
        raise AssistanceError("approving a request for assistance needs the approver role")
    if request.created_by_id == actor.pk:
        raise AssistanceError("two-person rule: the author of a request cannot approve it")
    if request.state != RfaState.DRAFT:
        raise AssistanceError(f"only a draft can be approved; this request is {request.state}")
    request.state, request.approved_by = RfaState.APPROVED, actor
    request.save(update_fields=["state", "approved_by"])
    _log(request, f"approved by {actor.get_username()}", actor)
    return request


def _message(request: AssistanceRequest) -> rm.ResourceMessage:
    return rm.ResourceMessage(
        message_type="RequestResource",
        message_id=f"{node_id()}/rfa/{request.pk}",
        sent=timezone.localtime().replace(microsecond=0),
        incident=request.title,
        contact_role="Requester",
        contact=request.requesting_authority,
        items=tuple(
            rm.LineItem(
                item_id=str(need.pk),
                name=need.name,
                category=need.category,
                quantity=need.quantity,
                unit=need.unit,
                schedule_type="RequestedArrival" if need.by_when else "",
                schedule_time=need.by_when,
                location=need.where,
            )
            for need in request.needs.order_by("pk")
        ),
    )


@transaction.atomic
def rfa_export(*, request: AssistanceRequest, exercise: bool = False) -> bytes:
    """The approved request as an EDXL-DE envelope carrying an EDXL-RM RequestResource; circulates it."""
    request = AssistanceRequest.objects.select_for_update().get(pk=request.pk)
    if request.state not in (RfaState.APPROVED, RfaState.CIRCULATED, RfaState.PARTIALLY_MET):
        raise AssistanceError(f"a {request.state} request cannot be sent: it must be approved first")
    message = _message(request)
    envelope = de.Envelope(
        distribution_id=_distribution_id(message.message_id, message.sent),
        sender_id=node_id(),
        sent=message.sent,
        status="Exercise" if exercise else "Actual",
        kind="Request",
        language="en",
        keywords=(("urn:hushdor:edxl:content", "RequestResource"),),
        countries=("TJ",),
        content_description="EDXL-RM RequestResource (EADRCC Request for Assistance)",
        incident_id=f"{node_id()}/incident/{request.incident_id or request.pk}",
        incident_description=request.title,
        payload=rm.to_xml(message),
    )
    if request.state == RfaState.APPROVED:
        request.state = RfaState.CIRCULATED
        request.save(update_fields=["state"])
    return de.to_xml(envelope)


def envelope_receive(*, data: bytes) -> ReceivedEnvelope:
    """Parse and validate an envelope from another node and hold it in quarantine; refuse replays."""
    envelope, findings = de.parse(data)
    if envelope is None:
        raise AssistanceError("; ".join(f"{f.code}: {f.message}" for f in findings))
    if envelope.payload:
        message, problems = rm.parse(envelope.payload)
        if message is None:
            raise AssistanceError("; ".join(f"{p.code}: {p.message}" for p in problems))
    try:
        with transaction.atomic():
            return ReceivedEnvelope.objects.create(
                sender_id=envelope.sender_id, distribution_id=envelope.distribution_id, raw=data
            )
    except IntegrityError as error:
        raise AssistanceError(
            f"already received {envelope.distribution_id} from {envelope.sender_id}: a replay is refused"
        ) from error


@dataclass
class OfferSummary:
    offer: Offer
    oversupplied: bool


@transaction.atomic
def offer_record(
    *,
    need: Need,
    partner: str,
    quantity: Decimal,
    conditions: str = "",
    source_message_id: str = "",
    source_node: str = "",
    source_item_id: str = "",
    eta=None,
) -> OfferSummary:
    request = AssistanceRequest.objects.select_for_update().get(pk=need.request_id)
    if request.state in (RfaState.DRAFT, RfaState.CLOSED, RfaState.MET):
        raise AssistanceError(f"the request is {request.state}: it takes no offers")
    if not quantity > 0:
        raise AssistanceError("an offer needs a positive quantity")
    offer = Offer.objects.create(
        need=need,
        partner=partner[:200],
        quantity=quantity,
        conditions=conditions[:500],
        source_message_id=source_message_id,
        source_node=source_node,
        source_item_id=source_item_id,
        eta=eta,
    )
    offered = need.offers.exclude(state=OfferState.DECLINED).aggregate(total=Sum("quantity"))["total"] or 0
    return OfferSummary(offer, offered > need.quantity)


@transaction.atomic
def offer_decide(*, actor, offer: Offer, accept: bool) -> Offer:
    """The stricken nation accepts or declines (an approver of this node; never the coordinator)."""
    if not has_role(actor, APPROVER):
        raise AssistanceError("only an approver of the requesting nation accepts or declines offers")
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    need = offer.need
    request = need.request
    if not request.is_ours:
        raise AssistanceError(
            f"only the requesting nation ({request.origin_node}) accepts or declines offers on its request"
        )
    if offer.state != OfferState.OFFERED:
        raise AssistanceError(f"the offer is already {offer.state}")
    offer.state = OfferState.ACCEPTED if accept else OfferState.DECLINED
    offer.save(update_fields=["state"])
    if offer.source_node:
        _decision_enqueue(request=request, need=need, offer=offer, accept=accept)
    _log(request, f"offer {offer.pk} of {offer.partner} ({amount(offer.quantity)} {need.unit} {need.name}) {offer.state}", actor)
    accepted = {
        n.pk: n.offers.filter(state=OfferState.ACCEPTED).aggregate(total=Sum("quantity"))["total"] or 0
        for n in request.needs.all()
    }
    if all(accepted[n.pk] >= n.quantity for n in request.needs.all()):
        request.state = RfaState.MET
    elif any(accepted.values()):
        request.state = RfaState.PARTIALLY_MET
    request.save(update_fields=["state"])
    return offer


def _envelope(*, message: rm.ResourceMessage, kind: str, incident: str, exercise: bool, references=()) -> bytes:
    """The message in an EDXL-DE envelope, put in the outbox for ``peers`` by the caller."""
    return de.to_xml(
        de.Envelope(
            distribution_id=_distribution_id(message.message_id, message.sent),
            sender_id=node_id(),
            sent=message.sent,
            status="Exercise" if exercise else "Actual",
            kind=kind,
            language="en",
            keywords=(("urn:hushdor:edxl:content", message.message_type),),
            references=tuple(references),
            content_description=f"EDXL-RM {message.message_type}",
            incident_id=incident,
            incident_description=message.incident,
            payload=rm.to_xml(message),
        )
    )


def _peer(node: str) -> Peer:
    peer = Peer.objects.filter(node_id=node, active=True).first()
    if peer is None:
        raise AssistanceError(f"no active peer {node!r} is configured: add it before exchanging with it")
    return peer


def _exercise(request: AssistanceRequest) -> bool:
    return bool(request.incident and request.incident.exercise)


def _decision_enqueue(*, request: AssistanceRequest, need: Need, offer: Offer, accept: bool) -> None:
    """The stricken nation's decision on a partner's offer, to that partner: a RequisitionResource
    (accepted) or a ResponseToRequestResource with ResponseType Decline."""
    message = rm.ResourceMessage(
        message_type="RequisitionResource" if accept else "ResponseToRequestResource",
        message_id=f"{node_id()}/{'requisition' if accept else 'decline'}/{offer.pk}",
        sent=timezone.localtime().replace(microsecond=0),
        incident=request.title,
        originating_message_id=f"{node_id()}/rfa/{request.pk}",
        preceding_message_id=offer.source_message_id,
        contact_role="Requester",
        contact=request.requesting_authority,
        items=(
            rm.LineItem(
                item_id=str(need.pk),
                name=need.name,
                category=need.category,
                quantity=offer.quantity,
                unit=need.unit,
                preceding_item_id=offer.source_item_id,
                response_type="" if accept else "Decline",
            ),
        ),
    )
    data = _envelope(
        message=message,
        kind="Dispatch" if accept else "Response",
        incident=f"{node_id()}/incident/{request.incident_id or request.pk}",
        exercise=_exercise(request),
    )
    exchange.enqueue(
        peers=[_peer(offer.source_node)],
        data=data,
        distribution_id=de.parse(data)[0].distribution_id,
        content=message.message_type,
    )


@transaction.atomic
def rfa_circulate(*, request: AssistanceRequest, exercise: bool | None = None) -> bytes:
    """Export the approved request and put it in the outbox for every active peer."""
    data = rfa_export(request=request, exercise=_exercise(request) if exercise is None else exercise)
    envelope, _ = de.parse(data)
    peers = list(Peer.objects.filter(active=True))
    exchange.enqueue(peers=peers, data=data, distribution_id=envelope.distribution_id, content="RequestResource")
    _log(request, f"sent to {len(peers)} peer node(s): {', '.join(p.name for p in peers) or 'none configured'}")
    return data


@transaction.atomic
def offer_make(*, actor, need: Need, quantity: Decimal, conditions: str = "", eta=None) -> Offer:
    """This node (a partner) offers against a request received from another node; the offer goes to
    the requesting node through the outbox."""
    if not has_role(actor, EDITOR):
        raise AssistanceError("making an offer needs the editor role")
    request = need.request
    if request.is_ours:
        raise AssistanceError("this is our own request: offers come from partners")
    summary = offer_record(need=need, partner=settings.NODE_NAME, quantity=quantity, conditions=conditions, eta=eta)
    offer = summary.offer
    message = rm.ResourceMessage(
        message_type="ResponseToRequestResource",
        message_id=f"{node_id()}/offer/{offer.pk}",
        sent=timezone.localtime().replace(microsecond=0),
        incident=request.title,
        originating_message_id=request.origin_message_id,
        contact_role="RespondingOrg",
        contact=settings.NODE_NAME,
        items=(
            rm.LineItem(
                item_id=str(offer.pk),
                name=need.name,
                category=need.category,
                quantity=quantity,
                unit=need.unit,
                description=conditions,
                schedule_type="EstimatedArrival" if eta else "",
                schedule_time=eta,
                preceding_item_id=need.origin_item_id,
                response_type="Conditional" if conditions else "Accept",
            ),
        ),
    )
    Offer.objects.filter(pk=offer.pk).update(source_message_id=message.message_id, source_item_id=str(offer.pk))
    data = _envelope(message=message, kind="Response", incident=request.origin_message_id, exercise=False)
    exchange.enqueue(
        peers=[_peer(request.origin_node)],
        data=data,
        distribution_id=de.parse(data)[0].distribution_id,
        content=message.message_type,
    )
    offer.refresh_from_db()
    return offer


@transaction.atomic
def need_update(*, actor, need: Need, version: int, quantity: Decimal | None = None, where: str | None = None) -> Need:
    """Edit a line item of our own request. The edit names the version it saw: if someone else
    changed the line since, the edit is refused (nothing is overwritten) and the officer reloads."""
    if not has_role(actor, EDITOR):
        raise AssistanceError("editing a request needs the editor role")
    if not need.request.is_ours:
        raise AssistanceError("a received request is changed by the nation that sent it")
    changes: dict = {}
    if quantity is not None:
        if not quantity.is_finite() or quantity <= 0:
            raise AssistanceError("the quantity must be a positive number")
        changes["quantity"] = quantity
    if where is not None:
        changes["where"] = where[:200]
    updated = Need.objects.filter(pk=need.pk, version=version).update(version=F("version") + 1, **changes)
    if not updated:
        current = Need.objects.get(pk=need.pk)
        raise AssistanceError(
            f"line {need.pk} was changed by someone else since you opened it (version {version} → "
            f"{current.version}); reload and apply your change again"
        )
    return Need.objects.get(pk=need.pk)


# ---------------------------------------------------------------------------------------------------
# Quarantine: an officer accepts (applies) or refuses what other nodes sent


@transaction.atomic
def inbox_refuse(*, actor, received: ReceivedEnvelope, reason: str) -> ReceivedEnvelope:
    if not has_role(actor, EDITOR):
        raise AssistanceError("deciding on received envelopes needs the editor role")
    received = ReceivedEnvelope.objects.select_for_update().get(pk=received.pk)
    if received.state != ReceivedEnvelope.State.PENDING:
        raise AssistanceError(f"the envelope is already {received.state}")
    received.state, received.reason = ReceivedEnvelope.State.REFUSED, (reason or "refused by an officer")[:500]
    received.decided_by, received.decided_at = actor, timezone.now()
    received.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    return received


def inbox_accept(*, actor, received: ReceivedEnvelope) -> ReceivedEnvelope:
    """Apply a quarantined envelope. If it cannot be applied (an offer for a closed request, an
    acceptance from the wrong side, a line that does not exist), it is refused with that reason."""
    if not has_role(actor, EDITOR):
        raise AssistanceError("deciding on received envelopes needs the editor role")
    try:
        with transaction.atomic():
            row = ReceivedEnvelope.objects.select_for_update().get(pk=received.pk)
            if row.state != ReceivedEnvelope.State.PENDING:
                raise AssistanceError(f"the envelope is already {row.state}")
            note = _apply(row, actor)
            if row.content == "ResponseToRequestResource" and note.startswith("offer"):
                request = Offer.objects.filter(source_message_id__in=[m for m in [_message_id(row)] if m]).first()
                if request is not None:
                    _log(request.need.request, f"from {row.sender_id}: {note}", actor)
            row.state, row.reason = ReceivedEnvelope.State.ACCEPTED, note[:500]
            row.decided_by, row.decided_at = actor, timezone.now()
            row.save(update_fields=["state", "reason", "decided_by", "decided_at"])
            return row
    except AssistanceError as error:
        if "already" in str(error) and "envelope" in str(error):
            raise
        inbox_refuse(actor=actor, received=received, reason=f"cannot be applied: {error}")
        raise


def _message_id(row: ReceivedEnvelope) -> str:
    envelope, _ = de.parse(bytes(row.raw))
    if envelope is None or not envelope.payload:
        return ""
    message, _ = rm.parse(envelope.payload)
    return message.message_id if message else ""


def _apply(row: ReceivedEnvelope, actor) -> str:
    envelope, findings = de.parse(bytes(row.raw))
    if envelope is None:
        raise AssistanceError("; ".join(f.message for f in findings))
    if row.content == exchange.SITREP_CONTENT:
        return "situation report filed"
    message, problems = rm.parse(envelope.payload)
    if message is None:
        raise AssistanceError("; ".join(p.message for p in problems))
    sender = envelope.sender_id
    ours = f"{node_id()}/rfa/"
    if message.message_type == "RequestResource":
        return _apply_request(message, sender, actor)
    if message.message_type == "ResponseToRequestResource" and message.originating_message_id.startswith(ours):
        return _apply_offer(message, sender, ours)
    if message.message_type in ("RequisitionResource", "ResponseToRequestResource"):
        return _apply_decision(message, sender)
    if message.message_type == "CommitResource":
        return _apply_commit(message, sender)
    if message.message_type == "ReleaseResource":
        return _apply_release(message, sender)
    raise AssistanceError(f"{message.message_type} is not applied by this node yet")


def _apply_request(message: rm.ResourceMessage, sender: str, actor) -> str:
    existing = AssistanceRequest.objects.filter(origin_node=sender, origin_message_id=message.message_id).first()
    if existing is not None:
        return f"request already on file as RFA {existing.pk}"
    if not message.items:
        raise AssistanceError("the request has no line items")
    request = AssistanceRequest.objects.create(
        title=(message.incident or message.message_id)[:300],
        requesting_authority=(message.contact or sender)[:200],
        state=RfaState.CIRCULATED,
        created_by=actor,
        origin_node=sender,
        origin_message_id=message.message_id,
    )
    for item in message.items:
        Need.objects.create(
            request=request,
            category=item.category if item.category in CATEGORY_CODES else "relief-items",
            name=(item.name or item.category)[:200],
            quantity=item.quantity,
            unit=(item.unit or "unit")[:32],
            where=item.location[:200],
            by_when=item.schedule_time,
            origin_item_id=item.item_id[:100],
        )
    return f"filed as RFA {request.pk} with {len(message.items)} line(s)"


def _apply_offer(message: rm.ResourceMessage, sender: str, ours: str) -> str:
    try:
        request_pk = int(message.originating_message_id.removeprefix(ours).split("/")[0])
    except ValueError:
        raise AssistanceError(f"the offer refers to {message.originating_message_id!r}, not one of our requests") from None
    request = AssistanceRequest.objects.filter(pk=request_pk, origin_node="").first()
    if request is None:
        raise AssistanceError(f"the offer refers to request {request_pk}, which this node does not have")
    notes = []
    for item in message.items:
        need = request.needs.filter(pk=int(item.preceding_item_id or 0) if (item.preceding_item_id or "").isdigit() else 0).first()
        if need is None:
            raise AssistanceError(f"the offer names line {item.preceding_item_id!r}, which request {request.pk} does not have")
        if item.response_type == "Decline":
            notes.append(f"{sender} cannot help with {need.name}")
            continue
        summary = offer_record(
            need=need,
            partner=(message.contact or sender)[:200],
            quantity=item.quantity,
            conditions=item.description,
            source_message_id=message.message_id,
            source_node=sender,
            source_item_id=item.item_id,
            eta=item.schedule_time,
        )
        flag = " (over-supply: more is offered than requested)" if summary.oversupplied else ""
        notes.append(f"offer {summary.offer.pk}: {item.quantity} {need.unit} {need.name}{flag}")
    return "; ".join(notes) or "nothing offered"


def _apply_decision(message: rm.ResourceMessage, sender: str) -> str:
    notes = []
    for item in message.items:
        offer = (
            Offer.objects.select_for_update()
            .select_related("need__request")
            .filter(pk=int(item.preceding_item_id) if item.preceding_item_id.isdigit() else 0, source_node="")
            .first()
        )
        if offer is None:
            raise AssistanceError(f"the decision names offer {item.preceding_item_id!r}, which this node did not make")
        if offer.need.request.origin_node != sender:
            raise AssistanceError(
                f"only the requesting nation ({offer.need.request.origin_node or 'this node'}) decides on offer "
                f"{offer.pk}; {sender} is not it"
            )
        if offer.state != OfferState.OFFERED:
            notes.append(f"offer {offer.pk} already {offer.state}")
            continue
        accepted = message.message_type == "RequisitionResource" and item.response_type != "Decline"
        offer.state = OfferState.ACCEPTED if accepted else OfferState.DECLINED
        offer.save(update_fields=["state"])
        notes.append(f"offer {offer.pk} {offer.state} by {sender}")
    return "; ".join(notes)


def outstanding(*, request: AssistanceRequest) -> list[dict]:
    """Needs vs offers: per line, requested, offered (not declined), accepted, still outstanding."""
    rows = []
    for need in request.needs.order_by("pk"):
        offered = need.offers.exclude(state=OfferState.DECLINED).aggregate(t=Sum("quantity"))["t"] or Decimal(
            0
        )
        accepted = need.offers.filter(state=OfferState.ACCEPTED).aggregate(t=Sum("quantity"))["t"] or Decimal(
            0
        )
        rows.append(
            {
                "id": need.pk,
                "need": need.name,
                "unit": need.unit,
                "category": need.category,
                "category_label": need.get_category_display(),
                "requested": need.quantity,
                "offered": offered,
                "accepted": accepted,
                "outstanding": max(need.quantity - accepted, Decimal(0)),
                "oversupplied": offered > need.quantity,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------------
# Situation reports (operations asks; registered in AppConfig.ready())


def amount(value: Decimal) -> str:
    """A quantity as people write it: 500, 2.5 (never 5E+2 or 500.00)."""
    return format(Decimal(value).normalize(), "f")


def sitrep_contribution(incident) -> dict:
    """Needs outstanding and assistance lines of our requests for this incident, for its sitrep."""
    from hushdor.edxl.sitrep import AssistanceLine, NeedLine

    needs, assistance = [], []
    for request in AssistanceRequest.objects.filter(incident=incident, origin_node="").order_by("pk"):
        for row in outstanding(request=request):
            needs.append(
                NeedLine(
                    name=row["need"],
                    unit=row["unit"],
                    requested=amount(row["requested"]),
                    accepted=amount(row["accepted"]),
                    outstanding=amount(row["outstanding"]),
                )
            )
        for offer in Offer.objects.filter(need__request=request).select_related("need").order_by("pk"):
            assistance.append(
                AssistanceLine(
                    partner=offer.partner,
                    item=offer.need.name,
                    quantity=f"{amount(offer.quantity)} {offer.need.unit}",
                    state=offer.get_state_display(),
                )
            )
    return {"needs": needs, "assistance": assistance}


def sitrep_send(sitrep) -> None:
    """A published sitrep goes to every active peer as an EDXL-DE Report carrying the SitRep XML."""
    peers = list(Peer.objects.filter(active=True))
    if not peers or not sitrep.xml:
        return
    sent = sitrep.published_at.replace(microsecond=0)
    distribution_id = _distribution_id(f"{node_id()}/sitrep/{sitrep.incident_id}/{sitrep.number}", sent)
    data = de.to_xml(
        de.Envelope(
            distribution_id=distribution_id,
            sender_id=node_id(),
            sent=timezone.localtime(sent),
            status="Exercise" if sitrep.incident.exercise else "Actual",
            kind="Report",
            language=sitrep.language,
            keywords=(("urn:hushdor:edxl:content", exchange.SITREP_CONTENT),),
            countries=("TJ",),
            content_description=f"Situation report No. {sitrep.number}",
            incident_id=f"{node_id()}/incident/{sitrep.incident_id}",
            incident_description=sitrep.incident.title,
            payload=bytes(sitrep.xml),
        )
    )
    exchange.enqueue(peers=peers, data=data, distribution_id=distribution_id, content=exchange.SITREP_CONTENT)


# ---------------------------------------------------------------------------------------------------
# After acceptance: in transit → arrived → deployed → demobilised (EDXL-RM CommitResource, ReleaseResource)


def _rm_envelope(*, message_type: str, message_id: str, request: AssistanceRequest, offer: Offer, need: Need,
                 preceding: str, peer_node: str, kind: str, eta=None) -> None:
    message = rm.ResourceMessage(
        message_type=message_type,
        message_id=message_id,
        sent=timezone.localtime().replace(microsecond=0),
        incident=request.title,
        originating_message_id=request.origin_message_id or f"{node_id()}/rfa/{request.pk}",
        preceding_message_id=offer.source_message_id,
        contact=settings.NODE_NAME,
        items=(
            rm.LineItem(
                item_id=str(offer.source_item_id or offer.pk),
                name=need.name,
                category=need.category,
                quantity=offer.quantity,
                unit=need.unit,
                schedule_type="EstimatedArrival" if eta else "",
                schedule_time=eta,
                preceding_item_id=preceding,
            ),
        ),
    )
    data = _envelope(message=message, kind=kind, incident=message.originating_message_id, exercise=_exercise(request))
    exchange.enqueue(peers=[_peer(peer_node)], data=data, distribution_id=de.parse(data)[0].distribution_id,
                     content=message_type)


@transaction.atomic
def offer_commit(*, actor, offer: Offer, eta=None) -> Offer:
    """The offering nation dispatches what the requester accepted: in transit, and a CommitResource
    (with the estimated arrival) to the requesting node."""
    if not has_role(actor, EDITOR):
        raise AssistanceError("dispatching needs the editor role")
    offer = Offer.objects.select_for_update().select_related("need__request").get(pk=offer.pk)
    request = offer.need.request
    if request.is_ours or offer.source_node:
        raise AssistanceError("only the nation that made the offer dispatches it")
    if offer.state != OfferState.ACCEPTED:
        raise AssistanceError(f"the offer is {offer.state}: only an accepted offer is dispatched")
    offer.state, offer.eta = OfferState.IN_TRANSIT, eta or offer.eta
    offer.save(update_fields=["state", "eta"])
    _rm_envelope(message_type="CommitResource", message_id=f"{node_id()}/commit/{offer.pk}", request=request,
                 offer=offer, need=offer.need, preceding=offer.need.origin_item_id, peer_node=request.origin_node,
                 kind="Dispatch", eta=offer.eta)
    return offer


TRACKING = {
    OfferState.IN_TRANSIT: {OfferState.ARRIVED},
    OfferState.ARRIVED: {OfferState.DEPLOYED, OfferState.DEMOBILISED},
    OfferState.DEPLOYED: {OfferState.DEMOBILISED},
}


@transaction.atomic
def offer_track(*, actor, offer: Offer, state: str) -> Offer:
    """The requesting nation records what came: arrived, deployed, demobilised (the last is sent to the
    offering node as a ReleaseResource). Each step is a logbook entry of the incident."""
    if not has_role(actor, EDITOR):
        raise AssistanceError("tracking assistance needs the editor role")
    offer = Offer.objects.select_for_update().select_related("need__request").get(pk=offer.pk)
    request = offer.need.request
    if not request.is_ours:
        raise AssistanceError("the requesting nation tracks what arrives")
    if state not in TRACKING.get(offer.state, set()):
        raise AssistanceError(f"an offer that is {offer.state} cannot become {state}")
    offer.state = state
    offer.save(update_fields=["state"])
    if state == OfferState.DEMOBILISED and offer.source_node:
        _rm_envelope(message_type="ReleaseResource", message_id=f"{node_id()}/release/{offer.pk}", request=request,
                     offer=offer, need=offer.need, preceding=offer.source_item_id, peer_node=offer.source_node,
                     kind="Report")
    _log(request, f"{offer.partner}: {amount(offer.quantity)} {offer.need.unit} {offer.need.name} {offer.get_state_display()}", actor)
    return offer


def _apply_commit(message: rm.ResourceMessage, sender: str) -> str:
    notes = []
    for item in message.items:
        offer = Offer.objects.select_for_update().filter(source_node=sender, source_item_id=item.item_id).first()
        if offer is None:
            raise AssistanceError(f"{sender} dispatches offer {item.item_id!r}, which this node did not accept from it")
        if offer.state != OfferState.ACCEPTED:
            notes.append(f"offer {offer.pk} already {offer.state}")
            continue
        offer.state, offer.eta = OfferState.IN_TRANSIT, item.schedule_time or offer.eta
        offer.save(update_fields=["state", "eta"])
        notes.append(f"offer {offer.pk} in transit" + (f", arriving {offer.eta:%Y-%m-%d %H:%M}" if offer.eta else ""))
    return "; ".join(notes)


def _apply_release(message: rm.ResourceMessage, sender: str) -> str:
    notes = []
    for item in message.items:
        offer = (
            Offer.objects.select_for_update().select_related("need__request")
            .filter(pk=int(item.preceding_item_id) if item.preceding_item_id.isdigit() else 0, source_node="")
            .first()
        )
        if offer is None or offer.need.request.origin_node != sender:
            raise AssistanceError(f"{sender} releases offer {item.preceding_item_id!r}, which this node did not make to it")
        offer.state = OfferState.DEMOBILISED
        offer.save(update_fields=["state"])
        notes.append(f"offer {offer.pk} demobilised by {sender}")
    return "; ".join(notes)


@transaction.atomic
def unit_offer(*, actor, unit, need: Need) -> Offer:
    """Offer a registered relief unit against a line of a received request, in one step: quantity 1,
    its size, self-sufficiency and departure time as the offer's conditions, arrival estimated from the
    departure time."""
    from datetime import timedelta as _timedelta

    if not unit.available:
        raise AssistanceError(f"{unit.name} is not available")
    if unit.category != need.category:
        raise AssistanceError(
            f"{unit.name} is {unit.get_category_display()}; the line asks for {need.get_category_display()}"
        )
    conditions = (
        f"{unit.name}: {unit.size} people, self-sufficient {unit.self_sufficiency_days} days, "
        f"leaves within {unit.deployment_hours} h; {unit.capabilities}"
    )
    eta = timezone.now().replace(microsecond=0) + _timedelta(hours=unit.deployment_hours + 12)
    return offer_make(actor=actor, need=need, quantity=Decimal(1), conditions=conditions[:500], eta=eta)
