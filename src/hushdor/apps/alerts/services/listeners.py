"""Downstream apps listen to the alert lifecycle without ``alerts`` importing them (the outbox seam).

``alerts`` sits upstream of ``dissemination``, ``operations`` and the rest: it must never import
them. Instead a downstream app registers a listener in its ``AppConfig.ready()``::

    from hushdor.apps.alerts.services.listeners import listen
    listen("published", deliveries_create_for_alert)

A listener is called **inside the transaction that changes the alert** (``publish`` for an issue,
update, cancel or all-clear; ``alerts_expire_due`` for an expiry). That is the transactional outbox:
the deliveries or the incident a listener writes commit together with the alert, or not at all. A
listener therefore does database work only — no network I/O (a dispatcher sends after commit) — and
an exception in it rolls the whole issue back, which is the point: an alert is never issued while its
outbox rows are lost. Listeners run in registration order.

Events:
- ``published`` — the alert was signed and stored as issued (msgType Alert, Update or Cancel).
- ``expired`` — an issued alert passed its ``expires`` and was marked expired.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

AlertEvent = Literal["published", "expired"]
EVENTS: tuple[AlertEvent, ...] = ("published", "expired")

_LISTENERS: dict[str, list[Callable]] = {event: [] for event in EVENTS}


def listen(event: AlertEvent, callback: Callable) -> None:
    """Register ``callback(alert)`` for ``event``; registering the same callable twice is a no-op."""
    if event not in _LISTENERS:
        raise ValueError(f"unknown alert event {event!r}; known: {', '.join(EVENTS)}")
    if callback not in _LISTENERS[event]:
        _LISTENERS[event].append(callback)


def unlisten(event: AlertEvent, callback: Callable) -> None:
    """Remove a listener (tests use this to clean up)."""
    if callback in _LISTENERS.get(event, []):
        _LISTENERS[event].remove(callback)


def notify(event: AlertEvent, alert) -> None:
    """Call every listener of ``event`` with ``alert``, inside the caller's transaction."""
    for callback in list(_LISTENERS[event]):
        callback(alert)
