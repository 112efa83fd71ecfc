"""Receipts: what tells a delivery it arrived (or did not), after the channel handed it over.

* SMS: Kannel's delivery reports on the ``dlr-url`` (``delivery_receipt``), authenticated by the HMAC
  token in the URL, idempotent, never moving a delivery backwards;
* MQTT: the sirens' acknowledgements on ``<root>/ack/<delivery id>`` (``deliveries_collect_mqtt_acks``);
* silence: a handed-over SMS or MQTT message without a receipt after the timeout becomes
  ``unconfirmed`` (``deliveries_unconfirm_overdue``), so every delivery ends in a state people can read.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hushdor.apps.dissemination import channels, mqtt
from hushdor.apps.dissemination.models import Channel, Delivery, DeliveryEvent, DeliveryState
from hushdor.apps.dissemination.services import event_record

log = logging.getLogger("hushdor.dissemination")


# Kannel delivery-report types (user guide, table 7-17 "dlr-mask").
DLR_TYPES = {
    1: "delivered to the phone",
    2: "not delivered to the phone",
    4: "queued on the SMS centre",
    8: "accepted by the SMS centre",
    16: "refused by the SMS centre",
}


@dataclass
class ReceiptResult:
    status: int
    text: str


def delivery_receipt(*, delivery_id: int, token: str, dlr_type: str, detail: str = "") -> ReceiptResult:
    """A delivery report from the SMS gateway. Authenticated by the token in its URL; idempotent (the
    same report twice changes nothing); never moves a delivery backwards."""
    if not hmac.compare_digest(channels.dlr_token(delivery_id), token or ""):
        return ReceiptResult(403, "the report's token does not match: refused")
    try:
        kind = int(dlr_type)
    except (TypeError, ValueError):
        return ReceiptResult(400, f"report type {dlr_type!r} is not a number")
    if kind not in DLR_TYPES:
        return ReceiptResult(400, f"report type {kind} is not one of {sorted(DLR_TYPES)}")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return ReceiptResult(404, f"no delivery {delivery_id}")
        marker = f"DLR {kind}: {DLR_TYPES[kind]}"
        if DeliveryEvent.objects.filter(delivery=delivery, detail__startswith=marker).exists():
            return ReceiptResult(200, "duplicate")
        note = f"{marker} {detail}".strip()[:2000]
        open_states = (DeliveryState.SENDING, DeliveryState.SENT, DeliveryState.UNCONFIRMED)
        if kind == 1 and delivery.state in open_states:
            Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.DELIVERED, last_error="")
            event_record(delivery.pk, DeliveryState.DELIVERED, note)
        elif kind in (2, 16) and delivery.state in open_states:
            Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.DEAD, last_error=note)
            event_record(delivery.pk, DeliveryState.DEAD, note)
        else:  # 4, 8, or a late report for a settled delivery: recorded, state unchanged
            event_record(delivery.pk, delivery.state, note)
    return ReceiptResult(200, "recorded")


@transaction.atomic
def deliveries_unconfirm_overdue(*, now: datetime | None = None) -> int:
    """SMS handed to the gateway and MQTT messages taken by the broker whose receipt (delivery report,
    siren acknowledgement) never came become ``unconfirmed`` (a sweeper, so every delivery reaches a
    terminal state the operator can see)."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.RECEIPT_TIMEOUT_MINUTES)
    overdue = list(
        Delivery.objects.filter(
            channel__in=[Channel.SMS, Channel.MQTT], state=DeliveryState.SENT, changed_at__lt=limit
        ).values_list(
            "pk", flat=True
        )
    )
    for pk in overdue:
        if Delivery.objects.filter(pk=pk, state=DeliveryState.SENT).update(state=DeliveryState.UNCONFIRMED):
            event_record(pk, DeliveryState.UNCONFIRMED, f"no delivery report within {settings.RECEIPT_TIMEOUT_MINUTES} min")
    return len(overdue)


def deliveries_collect_mqtt_acks(*, wait_s: float = 1.5) -> int:
    """Read the sirens' acknowledgements of every broker with MQTT deliveries awaiting one; returns
    how many deliveries they settled. A broker that cannot be reached is skipped (and logged)."""
    addresses = set(
        Delivery.objects.filter(channel=Channel.MQTT, state=DeliveryState.SENT).values_list("address", flat=True)
    )
    settled = 0
    for address in addresses:
        try:
            acks = mqtt.collect_acks(address, wait_s=wait_s)
        except channels.SendError as error:
            log.warning("siren acknowledgements from %s not read: %s", address, error)
            continue
        for topic, payload in acks:
            try:
                ack = json.loads(payload)
                delivery_id, token = int(ack["delivery"]), str(ack["token"])
                status = str(ack.get("status") or "received")[:40]
                device = str(ack.get("device") or "")[:100]
            except (ValueError, KeyError, TypeError):
                log.warning("an unreadable siren acknowledgement on %s was ignored", topic)
                continue
            if not hmac.compare_digest(channels.dlr_token(delivery_id), token):
                log.warning("a siren acknowledgement on %s with a wrong token was ignored", topic)
                continue
            with transaction.atomic():
                delivery = Delivery.objects.select_for_update().filter(pk=delivery_id, address=address).first()
                if delivery is None or delivery.state not in (DeliveryState.SENT, DeliveryState.UNCONFIRMED):
                    continue
                detail = f"siren acknowledgement: {status}" + (f" from {device}" if device else "")
                state = DeliveryState.DEAD if status == "failed" else DeliveryState.DELIVERED
                Delivery.objects.filter(pk=delivery.pk).update(
                    state=state, last_error=detail if state == DeliveryState.DEAD else ""
                )
                event_record(delivery.pk, state, detail)
                settled += 1
    return settled
