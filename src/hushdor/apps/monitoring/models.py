"""Data and constraints only; rules live in services/.

Source        anything that feeds seismic origins in, with its health (a quiet source is an alarm).
SeismicEvent  one earthquake; its preferred origin is chosen by the association service.
Origin        one agency's solution for it, one row per revision; the same feed item twice is one row.
Assessment    the impact engine's result for one (event, origin), with its artefacts.
OperatorNotification  something an operator must see; at most one open per subject.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Source(models.Model):
    class Kind(models.TextChoices):
        USGS_GEOJSON = "usgs_geojson", "USGS GeoJSON feed"
        FDSN_TEXT = "fdsn_text", "FDSN event web service (text)"
        QUAKEML = "quakeml", "QuakeML 1.2"
        EMSC_JSON = "emsc_json", "EMSC SeismicPortal JSON"
        REPLAY = "replay", "Replay of recorded events (USGS GeoJSON)"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.CharField(max_length=1000)
    agency = models.CharField(max_length=40, blank=True, default="", help_text="overrides the feed's agency")
    priority = models.IntegerField(default=100, help_text="lower is preferred among unlisted agencies")
    poll_interval_s = models.PositiveIntegerField(default=60)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # health, written by the polling service only
    last_poll_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_item_at = models.DateTimeField(null=True, blank=True, help_text="when a new origin last arrived")
    lag_s = models.FloatField(null=True, blank=True, help_text="arrival minus publication of the newest item")
    last_rejected = models.PositiveIntegerField(default=0, help_text="items rejected by the last poll")
    last_rejection = models.TextField(blank=True, default="")
    etag = models.CharField(max_length=500, blank=True, default="")
    last_modified = models.CharField(max_length=100, blank=True, default="")
    next_poll_at = models.DateTimeField(null=True, blank=True)
    backoff_s = models.FloatField(default=0.0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SeismicEvent(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", "active"
        DELETED = "deleted", "deleted by the agencies"

    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    preferred_origin = models.ForeignKey(
        "monitoring.Origin", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.PositiveIntegerField(default=0, help_text="counts changes of the preferred origin")
    # copied from the preferred origin, for lists and time-window queries
    time = models.DateTimeField(db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    depth_km = models.FloatField()
    magnitude = models.FloatField()
    magnitude_type = models.CharField(max_length=20, blank=True, default="")
    place = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-time"]

    def __str__(self) -> str:
        return f"M{self.magnitude:.1f} {self.place or ''} {self.time:%Y-%m-%d %H:%M:%S}Z".strip()


class Origin(models.Model):
    class Status(models.TextChoices):
        AUTOMATIC = "automatic", "automatic"
        REVIEWED = "reviewed", "reviewed"

    event = models.ForeignKey(SeismicEvent, on_delete=models.CASCADE, related_name="origins")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.CharField(max_length=40)
    agency_event_id = models.CharField(max_length=200)
    revision = models.CharField(max_length=80, help_text="the agency's update time, or a content fingerprint")
    updated = models.DateTimeField(null=True, blank=True)
    time = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    depth_km = models.FloatField(null=True, blank=True)
    magnitude = models.FloatField(null=True, blank=True)
    magnitude_type = models.CharField(max_length=20, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AUTOMATIC)
    deleted = models.BooleanField(default=False)
    place = models.CharField(max_length=300, blank=True, default="")
    url = models.CharField(max_length=1000, blank=True, default="")
    priority = models.IntegerField(default=100, help_text="the source's priority when received")
    raw = models.JSONField(default=dict)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "agency_event_id", "revision"], name="monitoring_origin_one_per_revision"
            )
        ]
        indexes = [models.Index(fields=["agency", "agency_event_id"], name="monitoring_origin_agency_event")]

    def __str__(self) -> str:
        return f"{self.agency} {self.agency_event_id} @ {self.revision}"


class Assessment(models.Model):
    class ShakemapState(models.TextChoices):
        PENDING = "pending", "being drawn"
        DRAWN = "drawn", "drawn"
        EMPTY = "empty", "nothing to draw (no shaking in the grid)"
        FAILED = "failed", "failed (attempts exhausted)"
        SUPERSEDED = "superseded", "not drawn: the event has a newer preferred origin"

    event = models.ForeignKey(SeismicEvent, on_delete=models.CASCADE, related_name="assessments")
    origin = models.ForeignKey(Origin, on_delete=models.CASCADE, related_name="assessments")
    model_set = models.CharField(max_length=80, blank=True, default="")
    code_version = models.CharField(max_length=40)
    inputs = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    timings_ms = models.JSONField(default=dict)
    shakemap_png = models.BinaryField(null=True, blank=True)
    contours_geojson = models.JSONField(null=True, blank=True)
    shakemap_state = models.CharField(
        max_length=10, choices=ShakemapState.choices, default=ShakemapState.PENDING
    )
    shakemap_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="rendering attempts started (claimed), failed or not"
    )
    shakemap_attempted_at = models.DateTimeField(null=True, blank=True)
    shakemap_error = models.TextField(blank=True, default="", help_text="the last failed attempt's error")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "code_version"], name="monitoring_assessment_one_per_origin"
            )
        ]
        indexes = [
            models.Index(fields=["shakemap_state", "-created_at"], name="monitoring_assessment_shakemap")
        ]

    def __str__(self) -> str:
        return f"assessment of event {self.event_id} (origin {self.origin_id}, {self.model_set or 'default'})"


class OperatorNotification(models.Model):
    class Level(models.TextChoices):
        INFO = "info", "information"
        WARNING = "warning", "warning"
        CRITICAL = "critical", "critical"

    level = models.CharField(max_length=10, choices=Level.choices)
    subject = models.CharField(max_length=200, help_text="what it is about, e.g. source-silent:3")
    message = models.TextField()
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="the condition went away")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"],
                condition=Q(resolved_at__isnull=True),
                name="monitoring_notification_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"[{self.level}] {self.message}"
