"""Periodic jobs of the alerts app, registered with the worker in ``AlertsConfig.ready()``."""

from __future__ import annotations

from hushdor.worker.registry import register


def register_jobs() -> None:
    register("alerts.expire_due", interval_s=30)(expire_due)
    register("alerts.poll_cap_feeds", interval_s=15, timeout_s=120)(poll_cap_feeds)


def expire_due() -> str:
    from hushdor.apps.alerts.services import alerts_expire_due

    return f"{alerts_expire_due()} alert(s) expired"


def poll_cap_feeds() -> str:
    from hushdor.apps.alerts.services.feeds import cap_feeds_poll_due

    return cap_feeds_poll_due()
