"""One CAP message per Alert row; updates and cancels are new rows that point at earlier ones.

Lineage: ``supersedes`` is the message this one updates or cancels; ``lineage_root`` is the first
message of the chain (itself for an original alert), so the current state of a chain is one query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hushdor.apps.alerts.models.cap_labels import cap_choices
from hushdor.cap.model import Category, Certainty, MsgType, ResponseType, Scope, Severity, Status, Urgency

LANGUAGES = (("tg", "Тоҷикӣ"), ("ru", "Русский"), ("en", "English"))


def _choices(enum) -> list[tuple[str, object]]:
    return cap_choices(enum)


class Hazard(models.TextChoices):
    EARTHQUAKE = "earthquake", _("Earthquake")
    FLOOD = "flood", _("Flood")
    MUDFLOW = "mudflow", _("Mudflow")
    AVALANCHE = "avalanche", _("Avalanche")
    LAKE_OUTBURST = "lake_outburst", _("Lake outburst")
    OTHER = "other", _("Other")


class AlertState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ISSUED = "issued", _("Issued")
    UPDATED = "updated", _("Updated")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


EDITABLE_STATES = (AlertState.DRAFT, AlertState.REJECTED)
PUBLISHED_STATES = (AlertState.ISSUED, AlertState.UPDATED, AlertState.CANCELLED, AlertState.EXPIRED)


class Alert(models.Model):
    identifier = models.CharField(_("identifier"), max_length=255, unique=True, null=True, blank=True)
    sender = models.CharField(_("sender"), max_length=255)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=_choices(Status), default=Status.ACTUAL)
    msg_type = models.CharField(
        _("message type"), max_length=16, choices=_choices(MsgType), default=MsgType.ALERT
    )
    scope = models.CharField(_("scope"), max_length=16, choices=_choices(Scope), default=Scope.PUBLIC)
    note = models.TextField(_("note"), blank=True, default="")
    state = models.CharField(_("state"), max_length=16, choices=AlertState.choices, default=AlertState.DRAFT)
    hazard = models.CharField(_("hazard"), max_length=32, choices=Hazard.choices)
    severity = models.CharField(_("severity"), max_length=16, choices=_choices(Severity))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    automatic = models.BooleanField(_("issued automatically"), default=False)
    needs_review = models.BooleanField(_("needs review"), default=False)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("updates or cancels"),
    )
    lineage_root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lineage",
        verbose_name=_("first message of the chain"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    signed_xml = models.BinaryField(_("signed CAP XML"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "expires"]),
            models.Index(fields=["hazard", "severity"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="alert_state_valid", condition=Q(state__in=[value for value, _ in AlertState.choices])
            ),
            models.CheckConstraint(
                name="alert_published_is_signed",
                condition=~Q(state__in=[s.value for s in PUBLISHED_STATES])
                | (Q(signed_xml__isnull=False) & Q(identifier__isnull=False) & Q(sent__isnull=False)),
            ),
            models.CheckConstraint(
                name="alert_follow_up_references",
                condition=Q(msg_type=MsgType.ALERT) | Q(supersedes__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.identifier or f"draft #{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED_STATES


class AlertInfo(models.Model):
    """One ``<info>`` block: the alert in one language."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="infos", verbose_name=_("alert"))
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES)
    category = models.CharField(
        _("category"), max_length=16, choices=_choices(Category), default=Category.GEO
    )
    event = models.CharField(_("event"), max_length=255)
    response_type = models.CharField(
        _("response"), max_length=16, choices=_choices(ResponseType), blank=True, default=""
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=_choices(Urgency))
    severity = models.CharField(_("severity"), max_length=16, choices=_choices(Severity))
    certainty = models.CharField(_("certainty"), max_length=16, choices=_choices(Certainty))
    headline = models.CharField(_("headline"), max_length=255)
    description = models.TextField(_("description"), blank=True, default="")
    instruction = models.TextField(_("instruction"), blank=True, default="")
    sender_name = models.CharField(_("sender name"), max_length=255, blank=True, default="")
    effective = models.DateTimeField(_("effective"), null=True, blank=True)
    onset = models.DateTimeField(_("onset"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    web = models.URLField(_("web page"), blank=True, default="")
    contact = models.CharField(_("contact"), max_length=255, blank=True, default="")
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("alert text")
        verbose_name_plural = _("alert texts")
        ordering = ["alert", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "language"], name="alert_info_one_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.headline}"


class AreaKind(models.TextChoices):
    REGION = "region", _("Region")
    DISTRICT = "district", _("District")
    SETTLEMENT = "settlement", _("Settlement with a radius")
    POLYGON = "polygon", _("Drawn polygon")
    CIRCLE = "circle", _("Circle")


AREA_DESCRIPTION_FALLBACK = {"tg": ("tg", "ru"), "ru": ("ru", "tg"), "en": ()}


class AlertArea(models.Model):
    """One ``<area>``, written into every info. Polygons are lists of [lat, lon].

    ``description`` is the English ``<areaDesc>`` and the fallback of every language;
    ``description_tg`` / ``description_ru`` are the Tajik and Russian ones, blank when not given
    (see :meth:`description_in` for the order in which a missing one is replaced).
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="areas", verbose_name=_("alert"))
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    description = models.CharField(_("description"), max_length=500)
    description_tg = models.CharField(_("description (Tajik)"), max_length=500, blank=True, default="")
    description_ru = models.CharField(_("description (Russian)"), max_length=500, blank=True, default="")
    place_code = models.CharField(_("place code"), max_length=64, blank=True, default="")
    polygons = models.JSONField(_("polygons"), default=list, blank=True)
    circle_lat = models.FloatField(_("circle centre latitude"), null=True, blank=True)
    circle_lon = models.FloatField(_("circle centre longitude"), null=True, blank=True)
    radius_km = models.FloatField(_("radius (km)"), null=True, blank=True)
    geocodes = models.JSONField(_("geocodes"), default=list, blank=True)

    class Meta:
        verbose_name = _("alert area")
        verbose_name_plural = _("alert areas")
        ordering = ["alert", "id"]
        constraints = [
            models.CheckConstraint(
                name="alert_area_place_has_code",
                condition=~Q(kind__in=["region", "district", "settlement"]) | ~Q(place_code=""),
            ),
            models.CheckConstraint(
                name="alert_area_radius_positive", condition=Q(radius_km__isnull=True) | Q(radius_km__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def description_in(self, language: str) -> str:
        """The ``<areaDesc>`` of the ``language`` info: its own text, else the other Cyrillic one
        (a Tajik reader reads Russian more readily than English, and the other way round), else
        the English ``description``."""
        for code in AREA_DESCRIPTION_FALLBACK.get(language.split("-")[0].lower(), ()):
            text = getattr(self, f"description_{code}")
            if text:
                return text
        return self.description

    def descriptions(self) -> list[tuple[str, str]]:
        """``(language, text)`` of each distinct description given, in tg, ru, en order."""
        given = [("tg", self.description_tg), ("ru", self.description_ru), ("en", self.description)]
        seen: set[str] = set()
        distinct = []
        for language, text in given:
            if text and text not in seen:
                seen.add(text)
                distinct.append((language, text))
        return distinct


class AlertApproval(models.Model):
    """One approver's decision on one alert (approve or reject, with a comment)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("alert")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approver")
    )
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True, default="")
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} by {self.approver_id}"
