"""Message templates per hazard and the issuing policy per hazard and severity."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hushdor.apps.alerts.models.alert import Hazard, _choices
from hushdor.cap.model import Category, Certainty, ResponseType, Severity, Urgency


class Template(models.Model):
    """Texts in tg/ru/en with ``{placeholders}`` (e.g. ``{area}``, ``{magnitude}``, ``{time}``)."""

    hazard = models.CharField(_("hazard"), max_length=32, choices=Hazard.choices)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(
        _("category"), max_length=16, choices=_choices(Category), default=Category.GEO
    )
    response_type = models.CharField(
        _("response"), max_length=16, choices=_choices(ResponseType), blank=True, default=""
    )
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=_choices(Urgency), default=Urgency.IMMEDIATE
    )
    severity = models.CharField(
        _("severity"), max_length=16, choices=_choices(Severity), default=Severity.SEVERE
    )
    certainty = models.CharField(
        _("certainty"), max_length=16, choices=_choices(Certainty), default=Certainty.LIKELY
    )
    event_tg = models.CharField(_("event (tg)"), max_length=255)
    event_ru = models.CharField(_("event (ru)"), max_length=255)
    event_en = models.CharField(_("event (en)"), max_length=255)
    headline_tg = models.CharField(_("headline (tg)"), max_length=255)
    headline_ru = models.CharField(_("headline (ru)"), max_length=255)
    headline_en = models.CharField(_("headline (en)"), max_length=255)
    description_tg = models.TextField(_("description (tg)"))
    description_ru = models.TextField(_("description (ru)"))
    description_en = models.TextField(_("description (en)"))
    instruction_tg = models.TextField(_("instruction (tg)"), blank=True, default="")
    instruction_ru = models.TextField(_("instruction (ru)"), blank=True, default="")
    instruction_en = models.TextField(_("instruction (en)"), blank=True, default="")

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["hazard", "name"]
        constraints = [models.UniqueConstraint(fields=["hazard", "name"], name="template_unique_name")]

    def __str__(self) -> str:
        return f"{self.hazard}: {self.name}"


class PolicyMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Issue automatically, review afterwards")
    REVIEWED = "reviewed", _("Approve before issue")


class Policy(models.Model):
    hazard = models.CharField(_("hazard"), max_length=32, choices=Hazard.choices)
    severity = models.CharField(_("severity"), max_length=16, choices=_choices(Severity))
    mode = models.CharField(_("mode"), max_length=16, choices=PolicyMode.choices, default=PolicyMode.REVIEWED)
    approvers_required = models.PositiveSmallIntegerField(_("approvers required"), default=1)

    class Meta:
        verbose_name = _("issuing policy")
        verbose_name_plural = _("issuing policies")
        ordering = ["hazard", "severity"]
        constraints = [
            models.UniqueConstraint(fields=["hazard", "severity"], name="policy_one_per_hazard_severity"),
            models.CheckConstraint(
                name="policy_approvers_at_least_one", condition=Q(approvers_required__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hazard}/{self.severity}: {self.mode}"
