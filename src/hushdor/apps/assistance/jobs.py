"""Worker job of assistance: the outbox of envelopes to peer nodes (registered in AppConfig.ready())."""

from __future__ import annotations

from hushdor.apps.assistance.exchange import dispatch
from hushdor.worker.registry import register


@register("assistance.outbox", interval_s=5.0, timeout_s=120.0)
def outbox() -> str:
    """Post the due envelopes to peer nodes (a bounded batch per run)."""
    return str(dispatch())
