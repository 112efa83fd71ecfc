"""CAP we receive: accepted external alerts, quarantined ones, and the feeds we poll."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExternalState(models.TextChoices):
    ACTIVE = "active", _("Active")
    UPDATED = "updated", _("Updated")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class ExternalAlert(models.Model):
    sender = models.CharField(_("sender"), max_length=255)
    identifier = models.CharField(_("identifier"), max_length=255)
    sent = models.DateTimeField(_("sent"))
    status = models.CharField(_("status"), max_length=16)
    msg_type = models.CharField(_("message type"), max_length=16)
    headline = models.CharField(_("headline"), max_length=500, blank=True, default="")
    event = models.CharField(_("event"), max_length=255, blank=True, default="")
    severity = models.CharField(_("severity"), max_length=16, blank=True, default="")
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ExternalState.choices, default=ExternalState.ACTIVE
    )
    xml = models.BinaryField(_("CAP XML"))
    findings = models.JSONField(_("findings"), default=list, blank=True)
    signature = models.CharField(_("signature"), max_length=32, default="unsigned")
    source = models.CharField(_("source"), max_length=500)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("received alert")
        verbose_name_plural = _("received alerts")
        ordering = ["-sent", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "identifier", "sent"], name="external_alert_cap_key"),
        ]
        indexes = [models.Index(fields=["sender", "identifier"])]

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier}"


class QuarantinedAlert(models.Model):
    sender = models.CharField(_("sender"), max_length=255, blank=True, default="")
    identifier = models.CharField(_("identifier"), max_length=255, blank=True, default="")
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    xml = models.BinaryField(_("CAP XML"))
    findings = models.JSONField(_("findings"), default=list)
    reason = models.CharField(_("reason"), max_length=500)
    source = models.CharField(_("source"), max_length=500)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledgement = models.TextField(_("acknowledgement comment"), blank=True, default="")

    class Meta:
        verbose_name = _("quarantined alert")
        verbose_name_plural = _("quarantined alerts")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"quarantined from {self.source}: {self.reason}"


class CapFeedSource(models.Model):
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address (URL)"), max_length=1000, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    poll_interval_s = models.PositiveIntegerField(_("poll interval (seconds)"), default=300)
    etag = models.CharField(_("ETag"), max_length=500, blank=True, default="")
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True, default="")
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)

    class Meta:
        verbose_name = _("CAP feed source")
        verbose_name_plural = _("CAP feed sources")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(name="feed_source_interval_min", condition=Q(poll_interval_s__gte=10)),
        ]

    def __str__(self) -> str:
        return self.name
