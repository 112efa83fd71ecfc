"""Every write of dissemination: subscriptions, the deliveries of an issued alert, the dispatcher.

The outbox. ``deliveries_create_for_alert`` is an alerts listener: it runs inside the transaction that
issues the alert (or its Update/Cancel), so the alert and its deliveries commit together or not at
all. An Update or Cancel also goes to everyone who received an earlier message of its chain, even if
they have narrowed their subscription since. ``deliveries_dispatch`` (a worker job) sends what is due:

    queued → sending → sent | delivered            (e-mail is "sent": SMTP took it; a webhook 2xx is "delivered")
                     → retrying → sending …         (exponential backoff with jitter, at most MAX_ATTEMPTS)
                     → dead                          (a permanent error, or attempts used up)
    queued/retrying → expired                        (the alert's CAP expires passed: never sent late)

Claims are conditional UPDATEs (``WHERE state IN (queued, retrying)``): on PostgreSQL the candidates are
read ``FOR UPDATE SKIP LOCKED`` first, on SQLite the UPDATE itself is the single-writer claim, so two
workers never send one delivery twice. A worker that dies while sending leaves the row ``sending``;
``deliveries_requeue_stale`` puts it back after ``STALE_AFTER`` (at least once: the receiver drops
the repeat by its delivery id). Every change is a DeliveryEvent row.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import connection, transaction
from django.utils import timezone

from hushdor.apps.dissemination import channels, mqtt
from hushdor.apps.dissemination.models import (
    Channel,
    Delivery,
    DeliveryEvent,
    DeliveryState,
    Subscriber,
    Subscription,
)
from hushdor.geo.area_match import AlertAreas, SubscriptionArea, reached, reached_points

log = logging.getLogger("hushdor.dissemination")

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(minutes=10)
STALE_AFTER = timedelta(minutes=5)
SEVERITY_RANK = {"Unknown": 0, "Minor": 1, "Moderate": 2, "Severe": 3, "Extreme": 4}
LANGUAGES = ("tg", "ru", "en")
DUE_STATES = (DeliveryState.QUEUED, DeliveryState.RETRYING)


class SubscriptionError(ValueError):
    """A subscription that cannot be made; the message says which field and why."""


# --- subscriptions ---------------------------------------------------------------------------------


def subscription_create(
    *,
    channel: str,
    address: str,
    language: str = "tg",
    name: str = "",
    place_codes: list[str] | None = None,
    point: tuple[float, float] | None = None,
    radius_km: float = 0.0,
    hazards: list[str] | None = None,
    min_severity: str = "Minor",
    secret: str = "",
    confirmed: bool = False,
) -> Subscription:
    """A new subscriber with one subscription, validated field by field."""
    if channel not in Channel.values:
        raise SubscriptionError(f"channel: {channel!r} is not one of {', '.join(Channel.values)}")
    if language not in LANGUAGES:
        raise SubscriptionError(f"language: {language!r} is not one of tg, ru, en")
    try:
        if channel == Channel.EMAIL:
            validate_email(address)
        elif channel == Channel.SMS:
            number = channels.normalise_phone(address)
            if number is None:
                raise ValidationError("not an international number")
            address = number
        elif channel == Channel.MQTT:
            URLValidator(schemes=["mqtt", "mqtts"])(address)
        elif channel == Channel.CBC:
            URLValidator(schemes=["http", "https"])(address)
        elif channel == Channel.WEBPUSH:
            URLValidator(schemes=["https", "http"])(address)
            import json as _json

            keys = _json.loads(secret or "{}")
            if not (isinstance(keys, dict) and keys.get("p256dh") and keys.get("auth")):
                raise ValidationError("a push subscription needs its p256dh and auth keys")
        else:
            URLValidator(schemes=["http", "https"])(address)
    except (ValidationError, ValueError) as error:
        raise SubscriptionError(f"address: {address!r} is not a valid {channel} address ({error})") from error
    if len(secret) > 500 or len(address) > 500:
        raise SubscriptionError("address/secret: longer than 500 characters")
    if channel == Channel.WEBHOOK and not secret.startswith("whsec_"):
        raise SubscriptionError("secret: a webhook needs a whsec_… signing secret")
    if min_severity not in SEVERITY_RANK:
        raise SubscriptionError(f"min_severity: {min_severity!r} is not a CAP severity")
    if point is not None:
        lat, lon = point
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not 0 < radius_km <= 500:
            raise SubscriptionError("point: latitude/longitude out of range, or radius not in (0, 500] km")
    if not place_codes and point is None:
        raise SubscriptionError("area: give districts or regions, or a point with a radius")
    with transaction.atomic():
        subscriber = Subscriber.objects.create(name=name, language=language)
        return Subscription.objects.create(
            subscriber=subscriber,
            channel=channel,
            address=address,
            secret=secret,
            place_codes=[code.upper() for code in place_codes or []],
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            radius_km=radius_km if point else 0.0,
            hazards=list(hazards or []),
            min_severity=min_severity,
            confirmed=confirmed,
        )


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> int:
    """Deactivate every subscription of the subscriber with this link token; returns how many."""
    return Subscription.objects.filter(subscriber__unsubscribe_token=token, active=True).update(active=False)


# --- the outbox ------------------------------------------------------------------------------------


def _areas_of(alert) -> AlertAreas:
    codes: list[str] = []
    rings = []
    for area in alert.areas.all():
        codes += [str(value) for _name, value in (area.geocodes or [])]
        if area.place_code:
            codes.append(area.place_code)
        rings += list(area.polygons or [])
    return AlertAreas.of(codes, rings)


def deliveries_create_for_alert(alert) -> int:
    """The listener: one queued delivery per reached subscription, in the issuing transaction."""
    if alert.scope != "Public":
        return 0
    live = Subscription.objects.filter(active=True, confirmed=True).select_related("subscriber")
    rank = SEVERITY_RANK.get(alert.severity, 0)
    candidates = [
        s
        for s in live
        if (not s.hazards or alert.hazard in s.hazards) and SEVERITY_RANK.get(s.min_severity, 0) <= rank
    ]
    by_key = {s.pk: s for s in candidates}
    alert_areas = _areas_of(alert)
    # Place codes subscription by subscription; points all at once (vectorised, exact: geo.area_match).
    with_codes = [SubscriptionArea(s.pk, tuple(s.place_codes)) for s in candidates if s.place_codes]
    keys = set(reached(alert_areas, with_codes))
    points = [s for s in candidates if s.lat is not None and s.lon is not None and s.pk not in keys]
    if points:
        keys |= set(
            reached_points(
                alert_areas,
                np.array([s.pk for s in points]),
                np.array([s.lat for s in points]),
                np.array([s.lon for s in points]),
                np.array([s.radius_km for s in points]),
            ).tolist()
        )
    recipients = [by_key[key] for key in keys]
    if alert.supersedes_id is not None:  # follow-ups reach everyone the chain reached before
        earlier = Delivery.objects.filter(alert__lineage_root_id=alert.lineage_root_id).values_list(
            "subscription_id", flat=True
        )
        recipients += list(
            Subscription.objects.filter(pk__in=set(earlier) - keys).select_related("subscriber")
        )
    now = timezone.now()
    rows = [
        Delivery(
            alert=alert,
            subscription=subscription,
            channel=subscription.channel,
            address=subscription.address,
            language=subscription.subscriber.language,
            next_attempt_at=now,
        )
        for subscription in recipients
    ]
    created = Delivery.objects.bulk_create(rows, batch_size=5000)
    if created and created[0].pk is None:  # backends that do not return ids: read them back
        created = list(Delivery.objects.filter(alert=alert))
    DeliveryEvent.objects.bulk_create(
        [DeliveryEvent(delivery=row, state=DeliveryState.QUEUED, detail="matched") for row in created],
        batch_size=5000,
    )
    return len(created)


@dataclass
class DispatchRun:
    sent: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    expired: int = 0

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.delivered} delivered, {self.retrying} to retry, "
            f"{self.dead} dead, {self.expired} expired"
        )


def event_record(delivery_id: int, state: str, detail: str = "") -> None:
    """Append a DeliveryEvent: every state change and receipt of a delivery is one."""
    DeliveryEvent.objects.create(delivery_id=delivery_id, state=state, detail=detail[:2000])


def _claim(limit: int, now: datetime) -> list[int]:
    due = Delivery.objects.filter(state__in=DUE_STATES, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        candidates = list(due.values_list("pk", flat=True)[:limit])
        claimed = []
        for pk in candidates:
            if Delivery.objects.filter(pk=pk, state__in=DUE_STATES).update(
                state=DeliveryState.SENDING, claimed_at=now
            ):
                claimed.append(pk)
                event_record(pk, DeliveryState.SENDING)
    return claimed


def _backoff(attempt: int) -> timedelta:
    delay = min(BACKOFF_BASE * (2 ** (attempt - 1)), BACKOFF_CAP)
    return delay * (1.0 - 0.2 * random.random())  # jitter: retries of many deliveries do not align


def _message(delivery: Delivery) -> channels.OutgoingMessage:
    alert = delivery.alert
    infos = {info.language: info for info in alert.infos.all()}
    info = infos.get(delivery.language) or infos.get("en") or next(iter(infos.values()))
    text = "\n\n".join(part for part in (info.headline, info.description, info.instruction) if part)
    token = delivery.subscription.subscriber.unsubscribe_token
    return channels.OutgoingMessage(
        delivery_id=delivery.pk,
        subject=info.headline,
        instruction=info.instruction or "",
        text=text,
        cap_xml=bytes(alert.signed_xml or b""),
        cap_identifier=alert.identifier or "",
        unsubscribe_url=f"{settings.PUBLIC_URL}/subscriptions/unsubscribe/{token}/",
    )


def _send_one(pk: int, now: datetime, run: DispatchRun) -> None:
    delivery = Delivery.objects.select_related("alert", "subscription__subscriber").get(pk=pk)
    attempt = delivery.attempts + 1
    if delivery.alert.expires is not None and delivery.alert.expires <= now:
        Delivery.objects.filter(pk=pk).update(state=DeliveryState.EXPIRED, attempts=attempt - 1)
        event_record(pk, DeliveryState.EXPIRED, f"the alert expired at {delivery.alert.expires.isoformat()}")
        run.expired += 1
        return
    try:
        message = _message(delivery)
        if delivery.channel == Channel.WEBHOOK:
            provider_id = channels.send_webhook(delivery.address, delivery.subscription.secret, message)
            state = DeliveryState.DELIVERED
        elif delivery.channel == Channel.MQTT:
            provider_id = _send_mqtt(delivery, message)
            state = DeliveryState.SENT
        elif delivery.channel == Channel.WEBPUSH:
            ttl = int((delivery.alert.expires - now).total_seconds()) if delivery.alert.expires else 86400
            try:
                provider_id = channels.send_webpush(delivery.address, delivery.subscription.secret, message, ttl_s=ttl)
            except channels.SendError as error:
                if error.permanent:  # the browser dropped the subscription: stop sending to it
                    Subscription.objects.filter(pk=delivery.subscription_id).update(active=False)
                raise
            state = DeliveryState.SENT  # the push service took it; the browser fetches it when online
        elif delivery.channel == Channel.CBC:
            provider_id = channels.send_cbc(delivery.address, message, earlier=_earlier_xml(delivery.alert))
            state = DeliveryState.SENT  # the CBC took it; the network broadcasts it
        elif delivery.channel == Channel.SMS:
            provider_id = channels.send_sms(delivery.address, message)
            state = DeliveryState.SENT  # handed to the gateway; the delivery report decides the rest
        else:
            provider_id = channels.send_email(delivery.address, message)
            state = DeliveryState.SENT
    except channels.SendError as error:
        if error.permanent or attempt >= MAX_ATTEMPTS:
            Delivery.objects.filter(pk=pk).update(
                state=DeliveryState.DEAD, attempts=attempt, last_error=str(error)
            )
            reason = (
                str(error) if error.permanent else f"{error} (attempt {attempt} of {MAX_ATTEMPTS}: gave up)"
            )
            event_record(pk, DeliveryState.DEAD, reason)
            run.dead += 1
        else:
            Delivery.objects.filter(pk=pk).update(
                state=DeliveryState.RETRYING,
                attempts=attempt,
                last_error=str(error),
                next_attempt_at=now + _backoff(attempt),
            )
            event_record(pk, DeliveryState.RETRYING, f"attempt {attempt}: {error}")
            run.retrying += 1
        return
    # Conditional: a delivery report may already have arrived (Kannel calls back fast) and moved it on.
    if not Delivery.objects.filter(pk=pk, state=DeliveryState.SENDING).update(
        state=state, attempts=attempt, provider_id=provider_id[:200], last_error=""
    ):
        Delivery.objects.filter(pk=pk).update(attempts=attempt, provider_id=provider_id[:200])
    event_record(pk, state, provider_id)
    if state == DeliveryState.DELIVERED:
        run.delivered += 1
    else:
        run.sent += 1


def _earlier_xml(alert) -> tuple[bytes, ...]:
    """The signed XML of the chain's earlier issued messages (a Cancel withdraws what they broadcast)."""
    if alert.msg_type != "Cancel":
        return ()
    from hushdor.apps.alerts.models import Alert

    root = alert.lineage_root_id or alert.pk
    rows = Alert.objects.filter(lineage_root_id=root).exclude(pk=alert.pk).exclude(signed_xml=None)
    earlier = [bytes(row.signed_xml) for row in rows.order_by("pk") if row.signed_xml]
    first = Alert.objects.filter(pk=root).exclude(pk=alert.pk).first()
    if first is not None and first.signed_xml:
        earlier.insert(0, bytes(first.signed_xml))
    return tuple(dict.fromkeys(earlier))


def _send_mqtt(delivery: Delivery, message: channels.OutgoingMessage) -> str:
    """Publish the alert retained; clear what its predecessor left retained (a Cancel is not kept)."""
    alert, root = delivery.alert, mqtt.root_of(delivery.address)
    pairs = mqtt.alert_messages(root, alert=alert, headline=message.subject, delivery_id=delivery.pk)
    stale: list[tuple[str, bytes]] = []
    if alert.supersedes_id is not None:
        now_topics = {topic for topic, _ in pairs}
        earlier = mqtt.alert_messages(root, alert=alert.supersedes, headline="")
        stale = [
            (topic, b"") for topic, _ in earlier if alert.msg_type == "Cancel" or topic not in now_topics
        ]
    if stale:
        mqtt.publish(delivery.address, stale, retain=True)
    return mqtt.publish(delivery.address, pairs, retain=alert.msg_type != "Cancel")


def mqtt_clear_for_expired(alert) -> None:
    """The expiry listener: after the expiry commits, clear the alert's retained MQTT messages."""
    addresses = set(
        Delivery.objects.filter(alert=alert, channel=Channel.MQTT).values_list("address", flat=True)
    )

    def clear() -> None:
        for address in addresses:
            clears = [
                (topic, b"")
                for topic, _ in mqtt.alert_messages(mqtt.root_of(address), alert=alert, headline="")
            ]
            try:
                mqtt.publish(address, clears, retain=True)
            except channels.SendError as error:
                log.warning(
                    "could not clear the expired alert %s on %s: %s", alert.identifier, address, error
                )

    if addresses:
        transaction.on_commit(clear)


def deliveries_dispatch(*, limit: int = 100, now: datetime | None = None) -> DispatchRun:
    """Send up to ``limit`` due deliveries; never raises for one bad delivery."""
    now = now or timezone.now()
    run = DispatchRun()
    for pk in _claim(limit, now):
        _send_one(pk, now, run)
    return run


@transaction.atomic
def deliveries_requeue_stale(*, now: datetime | None = None) -> int:
    """Deliveries left ``sending`` by a worker that died go back to ``retrying`` (at least once)."""
    now = now or timezone.now()
    stale = list(
        Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_AFTER).values_list(
            "pk", flat=True
        )
    )
    for pk in stale:
        if Delivery.objects.filter(pk=pk, state=DeliveryState.SENDING).update(
            state=DeliveryState.RETRYING, next_attempt_at=now
        ):
            event_record(pk, DeliveryState.RETRYING, "the worker sending it stopped; sending again")
    return len(stale)


@transaction.atomic
def deliveries_retry_dead(*, alert_id: int) -> int:
    """Operator action: queue the dead deliveries of an alert again."""
    dead = list(
        Delivery.objects.filter(alert_id=alert_id, state=DeliveryState.DEAD).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=dead).update(
        state=DeliveryState.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    for pk in dead:
        event_record(pk, DeliveryState.QUEUED, "queued again by an operator")
    return len(dead)
