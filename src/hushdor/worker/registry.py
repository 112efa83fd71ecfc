"""Periodic jobs the worker runs. Apps register theirs in ``AppConfig.ready()``.

A job is a plain callable taking no arguments; it does its work through services and
returns a short human-readable summary (or None). The worker isolates every job: one job
failing never stops another, and every failure is recorded where an operator sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval_s: float
    run: Callable[[], str | None]
    timeout_s: float = 60.0


_JOBS: dict[str, PeriodicJob] = {}


def register(name: str, *, interval_s: float, timeout_s: float = 60.0) -> Callable:
    """Decorator: ``@register("alerts.expire_due", interval_s=30)``."""

    def decorate(func: Callable[[], str | None]) -> Callable[[], str | None]:
        _JOBS[name] = PeriodicJob(name=name, interval_s=interval_s, run=func, timeout_s=timeout_s)
        return func

    return decorate


def jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)
