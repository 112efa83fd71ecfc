"""Reads for the hydromet pages: the latest value per station and variable, series, open alarms."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from hushdor.apps.hydromet.models import AlarmState, Observation, Station, TechnicalAlarm
from hushdor.science.hydromet.observations import VARIABLES

QC_LABELS = {0: "good", 1: "suspect", 2: "bad", 3: "missing"}


def latest_values() -> dict[int, list[dict]]:
    """{station id: [{variable, time, value, qc}]} of each station's newest value per variable."""
    newest = Observation.objects.values("station_id", "variable").annotate(time=Max("time"))
    wanted = {(row["station_id"], row["variable"], row["time"]) for row in newest}
    out: dict[int, list[dict]] = {}
    if not wanted:
        return out
    rows = Observation.objects.filter(time__in={t for _, _, t in wanted}).values_list(
        "station_id", "variable", "time", "value", "qc_flag"
    )
    for station_id, variable, time, value, flag in rows:
        if (station_id, variable, time) in wanted:
            out.setdefault(station_id, []).append(
                {"variable": VARIABLES[variable], "time": time, "value": value, "qc": QC_LABELS.get(flag, "?")}
            )
    return out


def series(station: Station, variable: str, *, days: int = 7) -> list[tuple]:
    """(time, value, qc flag) of one variable over the last ``days`` of its data."""
    code = VARIABLES.index(variable)
    rows = Observation.objects.filter(station=station, variable=code)
    last = rows.aggregate(last=Max("time"))["last"]
    if last is None:
        return []
    return list(rows.filter(time__gte=last - timedelta(days=days)).order_by("time").values_list("time", "value", "qc_flag"))


def open_alarms():
    return (
        TechnicalAlarm.objects.filter(state__in=[AlarmState.OPEN, AlarmState.ACKNOWLEDGED])
        .select_related("station", "alert")
        .order_by("-pk")
    )


def recent_alarms(days: int = 7):
    return (
        TechnicalAlarm.objects.filter(created_at__gte=timezone.now() - timedelta(days=days))
        .select_related("station", "alert", "decided_by")
        .order_by("-pk")[:100]
    )
