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

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from hushdor.apps.accounts.roles import APPROVER, EDITOR, has_role
from hushdor.apps.assistance.models import (
    CATEGORIES,
    AssistanceRequest,
    Need,
    Offer,
    OfferState,
    ReceivedEnvelope,
    RfaState,
)
from hushdor.edxl import envelope as de
from hushdor.edxl import rm

CATEGORY_CODES = {code for code, _label in CATEGORIES}


class AssistanceError(ValueError):
    """A request the assistance records refuse; the message says why."""


def node_id() -> str:
    return f"hushdor@{settings.CAP_SENDER}"


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
        distribution_id=f"{message.message_id}/{int(message.sent.timestamp())}",
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
    *, need: Need, partner: str, quantity: Decimal, conditions: str = "", source_message_id: str = ""
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
    )
    offered = need.offers.exclude(state=OfferState.DECLINED).aggregate(total=Sum("quantity"))["total"] or 0
    return OfferSummary(offer, offered > need.quantity)


@transaction.atomic
def offer_decide(*, actor, offer: Offer, accept: bool) -> Offer:
    """The stricken nation accepts or declines (an approver of this node; never the coordinator)."""
    if not has_role(actor, APPROVER):
        raise AssistanceError("only an approver of the requesting nation accepts or declines offers")
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.state != OfferState.OFFERED:
        raise AssistanceError(f"the offer is already {offer.state}")
    offer.state = OfferState.ACCEPTED if accept else OfferState.DECLINED
    offer.save(update_fields=["state"])
    need = offer.need
    request = need.request
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
                "need": need.name,
                "requested": need.quantity,
                "offered": offered,
                "accepted": accepted,
                "outstanding": max(need.quantity - accepted, Decimal(0)),
                "oversupplied": offered > need.quantity,
            }
        )
    return rows
