"""Operator notifications: silent failure is the worst failure, so problems become rows an operator sees.

A notification has a subject (e.g. ``source-silent:3``); at most one is open per subject (a database
constraint), so a condition that persists over many polls raises ONE notification, not one per poll.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from hushdor.apps.monitoring.models import OperatorNotification, Source

log = logging.getLogger("hushdor.monitoring")

_LOG_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "critical": logging.CRITICAL}


def operator_notify(
    *,
    subject: str,
    message: str,
    level: str = OperatorNotification.Level.WARNING,
    source: Source | None = None,
) -> tuple[OperatorNotification, bool]:
    """Open a notification for ``subject`` unless one is open already. Returns (notification, created)."""
    existing = OperatorNotification.objects.filter(subject=subject, resolved_at__isnull=True).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            notification = OperatorNotification.objects.create(
                subject=subject, message=message, level=level, source=source
            )
    except IntegrityError:  # another worker opened it between our read and our write
        return OperatorNotification.objects.get(subject=subject, resolved_at__isnull=True), False
    log.log(_LOG_LEVELS.get(level, logging.WARNING), "operator notification: %s", message)
    return notification, True


def notification_resolve(*, subject: str, message: str = "") -> int:
    """Close the open notification for ``subject`` (the condition went away). Returns how many closed."""
    closed = OperatorNotification.objects.filter(subject=subject, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    if closed and message:
        log.info("resolved: %s", message)
    return closed


def notification_acknowledge(*, notification_id: int, operator: str) -> OperatorNotification:
    notification = OperatorNotification.objects.get(pk=notification_id)
    if notification.acknowledged_at is None:
        notification.acknowledged_at = timezone.now()
        notification.acknowledged_by = operator[:150]
        notification.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return notification
