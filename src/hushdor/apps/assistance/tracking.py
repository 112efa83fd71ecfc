"""After acceptance: the offering nation dispatches (in transit, EDXL-RM ``CommitResource``), the
requesting nation records arrived, deployed and demobilised (``ReleaseResource`` back); and a
registered relief unit offered against a partner's line in one step."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hushdor.apps.accounts.roles import EDITOR, has_role
from hushdor.apps.assistance import exchange
from hushdor.apps.assistance.models import AssistanceRequest, Need, Offer, OfferState
from hushdor.apps.assistance.services import (
    AssistanceError,
    active_peer,
    amount,
    is_exercise,
    node_id,
    offer_make,
    request_log,
    rm_envelope,
)
from hushdor.edxl import envelope as de
from hushdor.edxl import rm


def _send(*, message_type: str, message_id: str, request: AssistanceRequest, offer: Offer, need: Need,
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
    data = rm_envelope(message=message, kind=kind, incident=message.originating_message_id, exercise=is_exercise(request))
    exchange.enqueue(peers=[active_peer(peer_node)], data=data, distribution_id=de.parse(data)[0].distribution_id,
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
    _send(message_type="CommitResource", message_id=f"{node_id()}/commit/{offer.pk}", request=request,
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
        _send(message_type="ReleaseResource", message_id=f"{node_id()}/release/{offer.pk}", request=request,
                     offer=offer, need=offer.need, preceding=offer.source_item_id, peer_node=offer.source_node,
                     kind="Report")
    request_log(request, f"{offer.partner}: {amount(offer.quantity)} {offer.need.unit} {offer.need.name} {offer.get_state_display()}", actor)
    return offer


@transaction.atomic
def unit_offer(*, actor, unit, need: Need) -> Offer:
    """Offer a registered relief unit against a line of a received request, in one step: quantity 1,
    its size, self-sufficiency and departure time as the offer's conditions, arrival estimated from the
    departure time."""
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
    eta = timezone.now().replace(microsecond=0) + timedelta(hours=unit.deployment_hours + 12)
    return offer_make(actor=actor, need=need, quantity=Decimal(1), conditions=conditions[:500], eta=eta)
