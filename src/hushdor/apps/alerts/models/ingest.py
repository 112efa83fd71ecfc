"""CAP we receive: accepted external alerts, quarantined ones, and the feeds we poll."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExternalState(models.TextChoices):
    ACTIVE = "active", _("Active")
    UPDATED = "updated", _("Updated")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class ExternalAlert(models.Model):
    sender = models.CharField(max_length=255)
    identifier = models.CharField(max_length=255)
    sent = models.DateTimeField()
    status = models.CharField(max_length=16)
    msg_type = models.CharField(max_length=16)
    headline = models.CharField(max_length=500, blank=True, default="")
    event = models.CharField(max_length=255, blank=True, default="")
    severity = models.CharField(max_length=16, blank=True, default="")
    expires = models.DateTimeField(null=True, blank=True)
    references = models.JSONField(default=list, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    state = models.CharField(max_length=16, choices=ExternalState.choices, default=ExternalState.ACTIVE)
    xml = models.BinaryField()
    findings = models.JSONField(default=list, blank=True)
    signature = models.CharField(max_length=32, default="unsigned")
    source = models.CharField(max_length=500)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "identifier", "sent"], name="external_alert_cap_key"),
        ]
        indexes = [models.Index(fields=["sender", "identifier"])]

    def __str__(self) -> str:
        return f"{self.sender},{self.identifier}"


class QuarantinedAlert(models.Model):
    sender = models.CharField(max_length=255, blank=True, default="")
    identifier = models.CharField(max_length=255, blank=True, default="")
    sent = models.DateTimeField(null=True, blank=True)
    xml = models.BinaryField()
    findings = models.JSONField(default=list)
    reason = models.CharField(max_length=500)
    source = models.CharField(max_length=500)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"quarantined from {self.source}: {self.reason}"


class CapFeedSource(models.Model):
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, unique=True)
    enabled = models.BooleanField(default=True)
    poll_interval_s = models.PositiveIntegerField(default=300)
    etag = models.CharField(max_length=500, blank=True, default="")
    last_modified = models.CharField(max_length=100, blank=True, default="")
    next_poll_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(name="feed_source_interval_min", condition=Q(poll_interval_s__gte=10)),
        ]

    def __str__(self) -> str:
        return self.name
