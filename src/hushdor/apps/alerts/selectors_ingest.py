"""Reads for the operator screens of what we receive and configure: quarantine, received alerts and
their chains, CAP feed sources with their health, policies per hazard and severity, API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from hushdor.apps.alerts.models import (
    ApiToken,
    CapFeedSource,
    ExternalAlert,
    Hazard,
    Policy,
    PolicyMode,
    QuarantinedAlert,
)
from hushdor.cap.model import Severity

QUIET_AFTER_INTERVALS = 3  # a source with no successful poll for 3 intervals is quiet (red)
SEVERITY_ORDER = (Severity.EXTREME, Severity.SEVERE, Severity.MODERATE, Severity.MINOR, Severity.UNKNOWN)


def quarantined_list(*, show: str = "open") -> QuerySet[QuarantinedAlert]:
    """``show``: ``open`` (not yet acknowledged), ``acknowledged`` or ``all``."""
    rows = QuarantinedAlert.objects.select_related("acknowledged_by").defer("xml")
    if show == "open":
        rows = rows.filter(acknowledged_at__isnull=True)
    elif show == "acknowledged":
        rows = rows.filter(acknowledged_at__isnull=False)
    return rows


def external_alerts_list(*, state: str = "active", sender: str = "") -> QuerySet[ExternalAlert]:
    rows = ExternalAlert.objects.select_related("superseded_by").defer("xml")
    if state:
        rows = rows.filter(state=state)
    if sender:
        rows = rows.filter(sender=sender)
    return rows


def external_chain(external: ExternalAlert) -> list[ExternalAlert]:
    """The messages before ``external`` (those it supersedes, recursively) and after it, oldest first."""
    chain = {external.pk: external}
    frontier = [external]
    while frontier:
        current = frontier.pop()
        linked = list(ExternalAlert.objects.filter(superseded_by=current).defer("xml"))
        if current.superseded_by_id and current.superseded_by_id not in chain:
            linked.append(ExternalAlert.objects.defer("xml").get(pk=current.superseded_by_id))
        for row in linked:
            if row.pk not in chain:
                chain[row.pk] = row
                frontier.append(row)
    return sorted(chain.values(), key=lambda row: (row.sent, row.pk))


@dataclass(frozen=True)
class SourceHealth:
    source: CapFeedSource
    status: str  # ok | failing | quiet | waiting | disabled
    red: bool


def feed_source_health(source: CapFeedSource, *, now: datetime | None = None) -> SourceHealth:
    now = now or timezone.now()
    if not source.enabled:
        return SourceHealth(source, "disabled", red=False)
    if source.consecutive_failures > 0:
        return SourceHealth(source, "failing", red=True)
    if source.last_success_at is None:
        return SourceHealth(source, "waiting", red=source.last_polled_at is not None)
    quiet_after = timedelta(seconds=source.poll_interval_s * QUIET_AFTER_INTERVALS)
    if now - source.last_success_at > quiet_after:
        return SourceHealth(source, "quiet", red=True)
    return SourceHealth(source, "ok", red=False)


def feed_sources_health(*, now: datetime | None = None) -> list[SourceHealth]:
    """Every CAP feed source with its health, red ones first."""
    rows = [feed_source_health(source, now=now) for source in CapFeedSource.objects.all()]
    return sorted(rows, key=lambda health: (not health.red, health.source.name.lower()))


@dataclass(frozen=True)
class PolicyCell:
    hazard: str
    severity: str
    mode: str
    approvers_required: int
    stored: bool


def policies_grid() -> list[tuple[str, object, list[PolicyCell]]]:
    """``(hazard, label, cells)`` for every hazard, one cell per severity (Extreme first); a cell
    without a stored policy shows the default, reviewed with one approver."""
    stored = {(p.hazard, p.severity): p for p in Policy.objects.all()}
    grid = []
    for hazard, label in Hazard.choices:
        cells = []
        for severity in SEVERITY_ORDER:
            policy = stored.get((hazard, severity.value))
            cells.append(
                PolicyCell(
                    hazard=hazard,
                    severity=severity.value,
                    mode=policy.mode if policy else PolicyMode.REVIEWED,
                    approvers_required=policy.approvers_required if policy else 1,
                    stored=policy is not None,
                )
            )
        grid.append((hazard, label, cells))
    return grid


def api_tokens_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at")
