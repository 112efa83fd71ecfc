"""Stations, observations and technical alarms.

Observations are one compact row each — (station, variable, time) unique and indexed, the value, its
QC flag and reasons. On PostgreSQL the table is the one to partition by month (``PARTITION BY RANGE
(time)``) once it holds tens of millions of rows; hourly values of 100 stations × 6 variables are about
5 million rows a year, which one indexed table serves well.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Station(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)  # WIGOS id, or our code
    wmo_index = models.CharField(_("WMO index"), max_length=8, blank=True, default="")
    name = models.CharField(_("name"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True, default="")
    name_tg = models.CharField(_("name (Tajik)"), max_length=200, blank=True, default="")
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    elevation_m = models.FloatField(_("elevation (m)"), null=True, blank=True)
    variables = models.JSONField(_("variables"), default=list, blank=True)
    indicative = models.BooleanField(_("indicative position"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True, default="")
    push_token_sha256 = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Thresholds of this station's rules, e.g. {"return_levels": [Q2, Q5, Q20]} (discharge, m³/s).
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Observation(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="observations")
    variable = (
        models.PositiveSmallIntegerField()
    )  # index into hushdor.science.hydromet.observations.VARIABLES
    time = models.DateTimeField()
    value = models.FloatField(null=True)  # NaN/inf are stored as NULL with the flag "missing"
    qc_flag = models.PositiveSmallIntegerField(default=0)  # 0 good, 1 suspect, 2 bad, 3 missing
    qc_reasons = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["station", "variable", "time"], name="hydromet_one_value_per_hour"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.variable} {self.time:%Y-%m-%d %H:%M} {self.value}"


class AlarmState(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    VERIFIED = "verified", _("verified")
    FALSE = "false", _("false alarm")
    CLOSED = "closed", _("closed")


class TechnicalAlarm(models.Model):
    """A rule fired on observations: for the duty officers, not the public (that takes verification)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="alarms")
    rule = models.CharField(_("rule"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"))
    time = models.DateTimeField(_("time of the observation"))
    value = models.FloatField(_("value"))
    state = models.CharField(_("state"), max_length=16, choices=AlarmState.choices, default=AlarmState.OPEN)
    exercise = models.BooleanField(_("exercise"), default=False)
    # The warning this alarm produced or updated (by policy; for Sarez only after verification).
    alert = models.ForeignKey("alerts.Alert", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.rule} level {self.level} at {self.station_id}"


class ReceivedNotification(models.Model):
    """A WIS2 notification seen by this node: once per ``data_id`` (a repeat is a duplicate), with what
    became of it. The source's health is read from these rows."""

    class State(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        DUPLICATE = "duplicate", _("duplicate")
        REJECTED = "rejected", _("rejected")

    data_id = models.CharField(max_length=500)
    notification_id = models.CharField(max_length=200, blank=True, default="")
    topic = models.CharField(max_length=500, blank=True, default="")
    station = models.CharField(max_length=64, blank=True, default="", db_index=True)
    state = models.CharField(max_length=16, choices=State.choices)
    reason = models.CharField(max_length=1000, blank=True, default="")
    observations = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["data_id"], name="hydromet_notification_data_id")]

    def __str__(self) -> str:
        return f"{self.data_id} ({self.state})"


class AvalancheLevel(models.Model):
    """The forecaster's avalanche danger level for a district (EAWS 1–5). While valid it wins over the
    indicators: alarms in the district warn at the forecaster's level, not the indicators'."""

    district_code = models.CharField(_("district"), max_length=32)
    level = models.PositiveSmallIntegerField(_("level"))
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateTimeField(_("valid until"))

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.district_code}: {self.level}"
