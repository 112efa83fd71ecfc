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


def deliveries_by_alert(*, limit: int = 50) -> list[dict]:
    """The newest alerts that have deliveries, each with {channel: {state: count}}, newest first."""
    alert_ids = list(
        Delivery.objects.values_list("alert_id", flat=True).order_by("-alert_id").distinct()[:limit]
    )
    rows = (
        Delivery.objects.filter(alert_id__in=alert_ids)
        .values("alert_id", "alert__identifier", "alert__hazard", "channel", "state")
        .annotate(n=Count("pk"))
    )
    table: dict[int, dict] = {}
    for row in rows:
        entry = table.setdefault(
            row["alert_id"],
            {"alert_id": row["alert_id"], "identifier": row["alert__identifier"], "hazard": row["alert__hazard"], "channels": {}},
        )
        entry["channels"].setdefault(row["channel"], {})[row["state"]] = row["n"]
    return [table[key] for key in sorted(table, reverse=True)]


def deliveries_failed(*, alert_id: int):
    """The alert's deliveries that did not get through or are still trying, with their last error."""
    return (
        Delivery.objects.filter(alert_id=alert_id, state__in=["dead", "retrying", "expired", "unconfirmed"])
        .order_by("state", "pk")
        .values("pk", "channel", "address", "state", "attempts", "last_error", "next_attempt_at")
    )


def channel_health(*, hours: int = 24) -> list[dict]:
    """Per channel over the last ``hours``: queue depth now, what settled how, the last receipt."""
    from datetime import timedelta

    from django.db.models import Max
    from django.utils import timezone

    from hushdor.apps.dissemination.models import Channel, DeliveryEvent

    since = timezone.now() - timedelta(hours=hours)
    rows = []
    for channel, label in Channel.choices:
        recent = Delivery.objects.filter(channel=channel, created_at__gte=since)
        by_state = dict(recent.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
        waiting = Delivery.objects.filter(channel=channel, state__in=["queued", "sending", "retrying"]).count()
        last = DeliveryEvent.objects.filter(delivery__channel=channel, state__in=["sent", "delivered"]).aggregate(
            at=Max("at")
        )["at"]
        rows.append({"channel": channel, "label": label, "waiting": waiting, "states": by_state, "last": last,
                     "trouble": bool(by_state.get("dead") or by_state.get("unconfirmed") or by_state.get("retrying"))})
    return [row for row in rows if row["states"] or row["waiting"] or row["last"]]
