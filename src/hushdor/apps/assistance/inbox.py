"""The quarantine: what other nodes sent, held until an officer accepts (applies) or refuses it.

Envelopes arrive through the signed inbox (``exchange.receive``) or as files an officer imports
(``envelope_receive``); both go through ``exchange.quarantine``. Applying reads the EDXL-RM message:
a ``RequestResource`` files a received request; a ``ResponseToRequestResource`` about one of our
requests records offers; a ``RequisitionResource`` or a Decline about one of our offers marks it, only
from the nation that made the request; ``CommitResource`` puts an accepted offer in transit and
``ReleaseResource`` demobilises ours. Whatever cannot be applied is refused with the reason.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hushdor.apps.accounts.roles import EDITOR, has_role
from hushdor.apps.assistance import exchange
from hushdor.apps.assistance.models import (
    AssistanceRequest,
    Need,
    Offer,
    OfferState,
    ReceivedEnvelope,
    RfaState,
)
from hushdor.apps.assistance.services import (
    CATEGORY_CODES,
    AssistanceError,
    node_id,
    offer_record,
    request_log,
)
from hushdor.edxl import envelope as de
from hushdor.edxl import rm


def envelope_receive(*, data: bytes) -> ReceivedEnvelope:
    """An envelope file an officer imports: validated and held in quarantine; the same one again is a
    replay and is refused."""
    try:
        row, created = exchange.quarantine(data)
    except exchange.ExchangeRefused as refused:
        raise AssistanceError(refused.reason) from None
    if not created:
        raise AssistanceError(
            f"already received {row.distribution_id} from {row.sender_id}: a replay is refused"
        )
    return row


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
                    request_log(request.need.request, f"from {row.sender_id}: {note}", actor)
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
