"""Downstream apps hear of verified technical alarms without hydromet importing them.

``listen("alarm_verified", callback)`` in a downstream app's ``AppConfig.ready()``; ``callback(alarm)``
runs inside the transaction that verifies the alarm (operations opens an incident there).
"""

from __future__ import annotations

from collections.abc import Callable

_LISTENERS: list[Callable] = []


def listen(event: str, callback: Callable) -> None:
    if event != "alarm_verified":
        raise ValueError(f"unknown hydromet event {event!r}; known: alarm_verified")
    if callback not in _LISTENERS:
        _LISTENERS.append(callback)


def notify_verified(alarm) -> None:
    for callback in list(_LISTENERS):
        callback(alarm)
