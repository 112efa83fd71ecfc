"""Reads of the alerts app: lists with filters, the active set, lineage, history, feed version."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from hushdor.apps.alerts.models import Alert, AlertState, AuditEntry, FeedVersion, Template
from hushdor.cap.model import MsgType, Scope


def alerts_list(*, state: str = "", hazard: str = "", severity: str = "") -> QuerySet[Alert]:
    alerts = Alert.objects.select_related("author").prefetch_related("infos")
    if state:
        alerts = alerts.filter(state=state)
    if hazard:
        alerts = alerts.filter(hazard=hazard)
    if severity:
        alerts = alerts.filter(severity=severity)
    return alerts


def alerts_active(*, now: datetime | None = None) -> QuerySet[Alert]:
    """Issued public messages that have not expired: what the public feeds show (cancels included, so
    that aggregators learn of them). Restricted and Private alerts never reach the public outputs."""
    now = now or timezone.now()
    return (
        Alert.objects.filter(state=AlertState.ISSUED, scope=Scope.PUBLIC)
        .filter(Q(expires__isnull=True) | Q(expires__gt=now))
        .prefetch_related("infos", "areas")
        .order_by("-sent", "-pk")
    )


def alert_by_identifier(identifier: str) -> Alert | None:
    """An issued public alert by its CAP identifier (served without login; never a Restricted or
    Private one)."""
    return (
        Alert.objects.filter(identifier=identifier, scope=Scope.PUBLIC)
        .exclude(signed_xml__isnull=True)
        .first()
    )


def alert_lineage(alert: Alert) -> list[Alert]:
    """Every message of the alert's chain, oldest first."""
    root_id = alert.lineage_root_id or alert.pk
    return list(Alert.objects.filter(Q(pk=root_id) | Q(lineage_root_id=root_id)).order_by("created_at", "pk"))


def lineage_current_state(alert: Alert) -> str:
    """One state for a whole chain: the state of its latest issued message (a Cancel → cancelled)."""
    issued = [a for a in alert_lineage(alert) if a.sent is not None]
    if not issued:
        return alert.state
    latest = max(issued, key=lambda a: (a.sent, a.pk))
    if latest.msg_type == MsgType.CANCEL:
        return AlertState.CANCELLED
    return latest.state


def alert_history(alert: Alert) -> QuerySet[AuditEntry]:
    ids = [a.pk for a in alert_lineage(alert)]
    return AuditEntry.objects.filter(alert_id__in=ids).select_related("actor").order_by("at", "pk")


def feed_version() -> FeedVersion:
    """The public feeds' version: read on every feed request, so one plain query, no ORM compilation.

    (The ORM's query building was 45 % of a cached feed request's time.)
    """
    table = connection.ops.quote_name(FeedVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, changed_at FROM {table} WHERE id = 1")  # noqa: S608 (no input)
        row = cursor.fetchone()
    if row is None:
        return FeedVersion(pk=1, version=0, changed_at=datetime(2000, 1, 1, tzinfo=UTC))
    version, changed_at = row
    if isinstance(changed_at, str):  # SQLite hands raw text to raw queries
        changed_at = parse_datetime(changed_at)
    if timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, UTC)
    return FeedVersion(pk=1, version=version, changed_at=changed_at)


def templates_list() -> QuerySet[Template]:
    return Template.objects.all()


def info_in(alert: Alert, language: str):
    """The alert's info in ``language``, else English, else the first one."""
    infos = {info.language: info for info in alert.infos.all()}
    return infos.get(language) or infos.get("en") or next(iter(infos.values()), None)


HELD_ACTIONS = ("automatic.update.held", "automatic.cancel.held")
_COMPARED_FIELDS = ("headline", "description", "instruction", "severity", "urgency", "certainty")


def automatic_hold_reason(alert: Alert) -> str:
    """Why an automatic follow-up waits for a person instead of being issued ("" if it does not)."""
    entry = AuditEntry.objects.filter(alert_id=alert.pk, action__in=HELD_ACTIONS).order_by("-pk").first()
    return str(entry.details.get("reason", "")) if entry is not None else ""


def follow_up_changes(alert: Alert) -> list[dict[str, str]]:
    """What a follow-up changes in the message it supersedes: per language and field, before and after.

    Infos are matched by language; areas are compared by their descriptions in each language. An
    unchanged field is left out, so an empty list means "the same text".
    """
    earlier = alert.supersedes
    if earlier is None:
        return []
    before = {info.language: info for info in earlier.infos.all()}
    after = {info.language: info for info in alert.infos.all()}
    changes = []
    order = {"tg": 0, "ru": 1, "en": 2}
    for language in sorted(set(before) | set(after), key=lambda code: (order.get(code, 9), code)):
        old, new = before.get(language), after.get(language)
        for field in _COMPARED_FIELDS:
            old_text = str(getattr(old, field, "") or "") if old else ""
            new_text = str(getattr(new, field, "") or "") if new else ""
            if old_text != new_text:
                changes.append({"language": language, "field": field, "before": old_text, "after": new_text})
    old_areas = sorted(area.description for area in earlier.areas.all())
    new_areas = sorted(area.description for area in alert.areas.all())
    if old_areas != new_areas:
        changes.append(
            {"language": "", "field": "areas", "before": "; ".join(old_areas), "after": "; ".join(new_areas)}
        )
    return changes
