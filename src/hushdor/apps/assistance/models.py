"""Requests for assistance (RFA), their needs (line items), offers, and received envelopes (quarantine)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The categories of needs (docs/operations-centre.md): INSARAG USAR classes, WHO EMT types, the rest.
CATEGORIES = (
    ("usar-light", _("USAR team, light (INSARAG)")),
    ("usar-medium", _("USAR team, medium (INSARAG)")),
    ("usar-heavy", _("USAR team, heavy (INSARAG)")),
    ("emt-1-mobile", _("Emergency medical team, type 1 mobile (WHO)")),
    ("emt-1-fixed", _("Emergency medical team, type 1 fixed (WHO)")),
    ("emt-2", _("Emergency medical team, type 2 (WHO)")),
    ("emt-3", _("Emergency medical team, type 3 (WHO)")),
    ("shelter", _("Shelter")),
    ("water-purification", _("Water purification")),
    ("power", _("Power")),
    ("cbrn", _("CBRN")),
    ("airlift", _("Airlift")),
    ("relief-items", _("Relief items")),
)


class RfaState(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    CIRCULATED = "circulated", _("circulated")
    PARTIALLY_MET = "partially_met", _("partially met")
    MET = "met", _("met")
    CLOSED = "closed", _("closed")


class AssistanceRequest(models.Model):
    incident = models.ForeignKey(
        "operations.Incident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requesting_authority = models.CharField(
        max_length=200, default="Committee of Emergency Situations, Tajikistan"
    )
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=16, choices=RfaState.choices, default=RfaState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"RFA {self.pk}: {self.title}"


class Need(models.Model):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="needs")
    category = models.CharField(max_length=32, choices=CATEGORIES)
    name = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=32)
    where = models.CharField(max_length=200, blank=True, default="")
    by_when = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} {self.name}"


class OfferState(models.TextChoices):
    OFFERED = "offered", _("offered")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class Offer(models.Model):
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="offers")
    partner = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    conditions = models.CharField(max_length=500, blank=True, default="")
    state = models.CharField(max_length=16, choices=OfferState.choices, default=OfferState.OFFERED)
    source_message_id = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.partner}: {self.quantity} of need {self.need_id}"


class ReceivedEnvelope(models.Model):
    """An EDXL-DE envelope from another node, held until an officer accepts it (never applied unread)."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    sender_id = models.CharField(max_length=200)
    distribution_id = models.CharField(max_length=200)
    raw = models.BinaryField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sender_id", "distribution_id"], name="assistance_envelope_once")
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} {self.distribution_id} ({self.state})"
