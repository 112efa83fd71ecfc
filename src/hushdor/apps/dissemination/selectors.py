"""Reads of dissemination: counts per alert, channel and state; the metrics collector."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from hushdor.apps.dissemination.models import Delivery
from hushdor.web import metrics


def delivery_counts(*, alert_id: int) -> dict[str, dict[str, int]]:
    """{channel: {state: count}} for one alert."""
    counts: dict[str, dict[str, int]] = {}
    rows = Delivery.objects.filter(alert_id=alert_id).values("channel", "state").annotate(n=Count("pk"))
    for row in rows:
        counts.setdefault(row["channel"], {})[row["state"]] = row["n"]
    return counts


def delivery_metric_lines() -> Iterable[str]:
    yield from metrics.family("hushdor_deliveries", "gauge", "Deliveries by channel and state.")
    rows = Delivery.objects.values("channel", "state").annotate(n=Count("pk")).order_by("channel", "state")
    for row in rows:
        yield metrics.sample(
            "hushdor_deliveries", row["n"], {"channel": row["channel"], "state": row["state"]}
        )
