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
    # A request received from another node (we are a partner or the coordinating centre): the
    # requesting node's senderID and the RM MessageID of its RequestResource. Empty for our own.
    origin_node = models.CharField(max_length=200, blank=True, default="")
    origin_message_id = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["origin_node", "origin_message_id"],
                condition=~models.Q(origin_node=""),
                name="assistance_request_received_once",
            )
        ]

    def __str__(self) -> str:
        return f"RFA {self.pk}: {self.title}"

    @property
    def is_ours(self) -> bool:
        return not self.origin_node


class Need(models.Model):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="needs")
    category = models.CharField(max_length=32, choices=CATEGORIES)
    name = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=32)
    where = models.CharField(max_length=200, blank=True, default="")
    by_when = models.DateTimeField(null=True, blank=True)
    # The requesting node's ResourceInfoElementID for this line (received requests only).
    origin_item_id = models.CharField(max_length=100, blank=True, default="")
    # Optimistic concurrency: an edit names the version it saw; a stale edit is refused, not lost.
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} {self.name}"


class OfferState(models.TextChoices):
    OFFERED = "offered", _("offered")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    IN_TRANSIT = "in_transit", _("in transit")
    ARRIVED = "arrived", _("arrived")
    DEPLOYED = "deployed", _("deployed")
    DEMOBILISED = "demobilised", _("demobilised")


class Offer(models.Model):
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="offers")
    partner = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    conditions = models.CharField(max_length=500, blank=True, default="")
    state = models.CharField(max_length=16, choices=OfferState.choices, default=OfferState.OFFERED)
    source_message_id = models.CharField(max_length=200, blank=True, default="")
    # The node that made the offer (empty: recorded here by hand or made by this node) and its own
    # ResourceInfoElementID for the offered line, so an acceptance can name it.
    source_node = models.CharField(max_length=200, blank=True, default="")
    source_item_id = models.CharField(max_length=100, blank=True, default="")
    eta = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.partner}: {self.quantity} of need {self.need_id}"


class Peer(models.Model):
    """Another node this one exchanges envelopes with: its senderID, its inbox URL and the shared
    HMAC key (both sides configure the same key for the pair)."""

    node_id = models.CharField(_("node ID (EDXL senderID)"), max_length=200, unique=True)
    name = models.CharField(_("name"), max_length=200)
    inbox_url = models.URLField(_("inbox URL"), max_length=500)
    secret = models.CharField(_("shared key"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.node_id})"


class OutboundEnvelope(models.Model):
    """The outbox: an envelope for one peer, written in the same transaction as the change it
    carries, sent by the worker until the peer acknowledges it (a 2xx receipt) or refuses it for good."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        DELIVERED = "delivered", _("delivered")
        RETRYING = "retrying", _("retrying")
        DEAD = "dead", _("dead")

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="outbox")
    distribution_id = models.CharField(max_length=300)
    content = models.CharField(max_length=64)  # RequestResource, ResponseToRequestResource, SitRep, …
    body = models.BinaryField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True, default="")
    receipt = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["peer", "distribution_id"], name="assistance_outbox_once")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="assistance_outbox_due")]

    def __str__(self) -> str:
        return f"{self.content} → {self.peer.node_id} ({self.state})"


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
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    content = models.CharField(max_length=64, blank=True, default="")
    summary = models.CharField(max_length=500, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sender_id", "distribution_id"], name="assistance_envelope_once")
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} {self.distribution_id} ({self.state})"


class ReliefUnit(models.Model):
    """A unit this nation can send abroad (NATO EADRU-style register): what it does, how big, how long
    it lives on its own supplies, how fast it can leave. Offered against a request's line in one step."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=CATEGORIES)
    capabilities = models.CharField(_("capabilities"), max_length=500)
    size = models.PositiveIntegerField(_("people"))
    self_sufficiency_days = models.PositiveSmallIntegerField(_("self-sufficient for (days)"), default=10)
    deployment_hours = models.PositiveSmallIntegerField(_("ready to leave within (hours)"), default=24)
    available = models.BooleanField(_("available"), default=True)

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_category_display()})"
