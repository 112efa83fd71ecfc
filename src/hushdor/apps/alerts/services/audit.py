"""The audit record and the feed version bump that go into every state-changing transaction."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from hushdor.apps.alerts.models import Alert, AuditEntry, FeedVersion


def audit_record(
    *, actor, action: str, alert: Alert | None = None, details: dict | None = None
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if _is_person(actor) else None, action=action, alert=alert, details=details or {}
    )


def feed_version_bump() -> None:
    """Called inside the transaction that changes what the public feeds show."""
    now = timezone.now()
    if not FeedVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        FeedVersion.objects.get_or_create(pk=1, defaults={"version": 1, "changed_at": now})


def _is_person(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)
