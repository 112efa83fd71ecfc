"""Subscribers, their subscriptions, and deliveries with every state change recorded (append-only)."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def _token() -> str:
    return secrets.token_urlsafe(24)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")
    MQTT = "mqtt", _("MQTT (sirens, displays)")
    SMS = "sms", _("SMS")
    CBC = "cbc", _("Cell broadcast (CBC)")
    WEBPUSH = "webpush", _("Web push")


class Subscriber(models.Model):
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    language = models.CharField(_("language"), max_length=8, default="tg")
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    def __str__(self) -> str:
        return self.name or f"subscriber {self.pk}"


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=500)  # e-mail address or https URL
    # the webhook signing secret (whsec_…), or a push subscription's keys as JSON (p256dh, auth)
    secret = models.CharField(max_length=500, blank=True, default="")
    place_codes = models.JSONField(_("districts and regions"), default=list, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    radius_km = models.FloatField(default=0.0)
    hazards = models.JSONField(_("hazards"), default=list, blank=True)  # empty: every hazard
    min_severity = models.CharField(_("minimum severity"), max_length=16, default="Minor")
    confirmed = models.BooleanField(_("confirmed"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Self-service subscriptions (the public page): the confirmation link's token, the SHA-256 of the
    # code sent by SMS, the attempts at it, and where the request came from (rate limits).
    confirm_token = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    confirm_code_sha256 = models.CharField(max_length=64, blank=True, default="", editable=False)
    confirm_attempts = models.PositiveSmallIntegerField(default=0)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["active", "confirmed"], name="dissemination_subscr_live")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    RETRYING = "retrying", _("retrying")
    EXPIRED = "expired", _("expired")
    DEAD = "dead", _("dead")
    UNCONFIRMED = "unconfirmed", _("unconfirmed")  # handed over, but no receipt came in time


TERMINAL_STATES = (
    DeliveryState.SENT,
    DeliveryState.DELIVERED,
    DeliveryState.EXPIRED,
    DeliveryState.DEAD,
    DeliveryState.UNCONFIRMED,
)


class Delivery(models.Model):
    alert = models.ForeignKey("alerts.Alert", on_delete=models.PROTECT, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    address = models.CharField(max_length=500)
    language = models.CharField(max_length=8)
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=200, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "subscription"], name="dissemination_one_delivery_per_alert"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="dissemination_due")]

    def __str__(self) -> str:
        return f"delivery {self.pk} of alert {self.alert_id} by {self.channel} ({self.state})"


class DeliveryEvent(models.Model):
    """Every state change and receipt of a delivery; never changed or deleted."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=DeliveryState.choices)
    detail = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("delivery events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("delivery events are append-only")
