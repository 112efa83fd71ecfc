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
from django.db import transaction
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
    RfaState,
)
from hushdor.edxl import envelope as de
from hushdor.edxl import rm

CATEGORY_CODES = {code for code, _label in CATEGORIES}


class AssistanceError(ValueError):
    """A request the assistance records refuse; the message says why."""


def node_id() -> str:
    return settings.NODE_ID


def request_log(request: AssistanceRequest, text: str, actor=None) -> None:
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
    request_log(request, f"approved by {actor.get_username()}", actor)
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
    request_log(request, f"offer {offer.pk} of {offer.partner} ({amount(offer.quantity)} {need.unit} {need.name}) {offer.state}", actor)
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


def rm_envelope(*, message: rm.ResourceMessage, kind: str, incident: str, exercise: bool, references=()) -> bytes:
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


def active_peer(node: str) -> Peer:
    peer = Peer.objects.filter(node_id=node, active=True).first()
    if peer is None:
        raise AssistanceError(f"no active peer {node!r} is configured: add it before exchanging with it")
    return peer


def is_exercise(request: AssistanceRequest) -> bool:
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
    data = rm_envelope(
        message=message,
        kind="Dispatch" if accept else "Response",
        incident=f"{node_id()}/incident/{request.incident_id or request.pk}",
        exercise=is_exercise(request),
    )
    exchange.enqueue(
        peers=[active_peer(offer.source_node)],
        data=data,
        distribution_id=de.parse(data)[0].distribution_id,
        content=message.message_type,
    )


@transaction.atomic
def rfa_circulate(*, request: AssistanceRequest, exercise: bool | None = None) -> bytes:
    """Export the approved request and put it in the outbox for every active peer."""
    data = rfa_export(request=request, exercise=is_exercise(request) if exercise is None else exercise)
    envelope, _ = de.parse(data)
    peers = list(Peer.objects.filter(active=True))
    exchange.enqueue(peers=peers, data=data, distribution_id=envelope.distribution_id, content="RequestResource")
    request_log(request, f"sent to {len(peers)} peer node(s): {', '.join(p.name for p in peers) or 'none configured'}")
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
    data = rm_envelope(message=message, kind="Response", incident=request.origin_message_id, exercise=False)
    exchange.enqueue(
        peers=[active_peer(request.origin_node)],
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
