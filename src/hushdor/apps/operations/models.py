"""Incidents and their logbook. The logbook is append-only in code and in the database (triggers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESPONSE = "response", _("response")
    RECOVERY = "recovery", _("recovery")
    CLOSED = "closed", _("closed")


class Incident(models.Model):
    title = models.CharField(_("title"), max_length=300)
    hazard = models.CharField(_("hazard"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    exercise = models.BooleanField(_("exercise"), default=False)
    started_at = models.DateTimeField(_("started"))
    lead_agency = models.CharField(_("lead agency"), max_length=200, default="CoES")
    place_codes = models.JSONField(_("districts and regions"), default=list, blank=True)
    # The alert chain that opened it (lineage root), if any: one incident per chain.
    alert_chain = models.OneToOneField(
        "alerts.Alert", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class LogEntry(models.Model):
    """One line of the incident's logbook. Never edited or deleted: a correction is a new entry
    pointing at the one it corrects (``corrects``)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="log")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=200, blank=True, default="")
    text = models.TextField(_("entry"))
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.text[:60]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("the logbook is append-only: write a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("the logbook is append-only: entries are never deleted")
