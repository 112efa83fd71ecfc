"""Incidents and their logbook. The logbook is append-only in code and in the database (triggers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


# The figures a district reports (the OSOCC/EADRCC sitrep categories); each report keeps its source
# and time, and the latest report per district is the current figure (older ones stay as history).
DAMAGE_FIGURES = (
    ("affected", _("people affected")),
    ("injured", _("injured")),
    ("dead", pgettext_lazy("casualties", "dead")),
    ("missing", pgettext_lazy("casualties", "missing")),
    ("displaced", _("displaced")),
    ("houses_damaged", _("houses damaged")),
    ("houses_destroyed", _("houses destroyed")),
    ("schools_damaged", _("schools damaged")),
    ("health_facilities_damaged", _("health facilities damaged")),
    ("roads_blocked", _("roads blocked")),
    ("bridges_damaged", _("bridges damaged")),
)


class DamageReport(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="damage_reports")
    district_code = models.CharField(_("district"), max_length=32)
    district_name = models.CharField(_("district name"), max_length=200, blank=True, default="")
    figures = models.JSONField(_("figures"), default=dict)  # keys of DAMAGE_FIGURES → whole numbers
    source = models.CharField(_("source"), max_length=200)
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district_code", "reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.district_code} {self.reported_at:%Y-%m-%d %H:%M} ({self.source})"


class SitrepState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Sitrep(models.Model):
    """A numbered situation report. Generated from the records as a draft, edited by an officer,
    published by a second person (two-person rule); published reports are never changed."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="sitreps")
    number = models.PositiveIntegerField(_("number"))
    state = models.CharField(max_length=16, choices=SitrepState.choices, default=SitrepState.DRAFT)
    language = models.CharField(_("language"), max_length=8, default="en")
    period_from = models.DateTimeField(_("from"))
    period_to = models.DateTimeField(_("to"))
    situation = models.TextField(_("situation"), blank=True, default="")
    actions = models.TextField(_("actions taken"), blank=True, default="")
    next_report_at = models.DateTimeField(_("next report"), null=True, blank=True)
    data = models.JSONField(default=dict)  # figures per district with changes, needs, assistance
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    xml = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "number"], name="operations_sitrep_number")]
        ordering = ["incident", "number"]

    def __str__(self) -> str:
        return f"Sitrep No. {self.number} — {self.incident}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    BLOCKED = "blocked", _("blocked")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class TaskPriority(models.IntegerChoices):
    CRITICAL = 1, _("critical")
    HIGH = 2, _("high")
    NORMAL = 3, _("normal")
    LOW = 4, _("low")


class Task(models.Model):
    """Work for the response: who does it, by when, and what it waits for."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    assignee = models.CharField(_("assigned to (organisation or team)"), max_length=200)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=TaskPriority.choices, default=TaskPriority.NORMAL)
    due = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["priority", "due", "pk"]

    def __str__(self) -> str:
        return self.title


class Readiness(models.TextChoices):
    READY = "ready", _("ready")
    STANDBY = "standby", _("on standby")
    DEPLOYED = "deployed", _("deployed")
    UNAVAILABLE = "unavailable", _("unavailable")


class Team(models.Model):
    """A national unit or team (CoES rescue detachment, medical team, engineering unit …)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    capabilities = models.CharField(_("capabilities"), max_length=500, help_text=_("e.g. USAR medium, water purification"))
    size = models.PositiveIntegerField(_("people"), default=0)
    base = models.CharField(_("base"), max_length=200, blank=True, default="")
    readiness = models.CharField(_("readiness"), max_length=16, choices=Readiness.choices, default=Readiness.READY)
    deployed_to = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="teams")
    deployed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """Who to call: organisations, duty officers, their phone and radio."""

    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True, default="")
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=64, blank=True, default="")
    radio = models.CharField(_("radio"), max_length=64, blank=True, default="", help_text=_("call sign or channel"))
    email = models.EmailField(_("e-mail"), blank=True, default="")
    district_code = models.CharField(_("district"), max_length=32, blank=True, default="")

    class Meta:
        ordering = ["organisation", "role", "name"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name or self.role}"
