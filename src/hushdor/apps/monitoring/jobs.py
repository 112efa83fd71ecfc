"""Worker jobs of the monitoring app, registered from ``MonitoringConfig.ready()``."""

from __future__ import annotations

from hushdor.apps.monitoring.services.polling import sources_poll_due
from hushdor.apps.monitoring.services.shakemaps import shakemaps_render_pending
from hushdor.worker.registry import register


@register("monitoring.poll_sources", interval_s=1.0, timeout_s=120.0)
def poll_sources() -> str:
    """Poll the sources that are due (each has its own interval and backoff) and check for silence."""
    outcomes = sources_poll_due()
    failed = sum(outcome.state == "failed" for outcome in outcomes)
    new = sum(outcome.new_origins for outcome in outcomes)
    rejected = sum(outcome.rejected for outcome in outcomes)
    return f"{len(outcomes)} polled, {new} new origin(s), {rejected} rejected, {failed} failed"


@register("monitoring.render_shakemaps", interval_s=2.0, timeout_s=60.0)
def render_shakemaps() -> str:
    """Draw the pending shakemaps, newest first, a bounded batch per run (off the warning path)."""
    return str(shakemaps_render_pending())
