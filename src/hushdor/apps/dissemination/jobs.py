"""Worker jobs of dissemination (registered in AppConfig.ready())."""

from __future__ import annotations

from hushdor.apps.dissemination.receipts import deliveries_collect_mqtt_acks, deliveries_unconfirm_overdue
from hushdor.apps.dissemination.services import deliveries_dispatch, deliveries_requeue_stale
from hushdor.worker.registry import register


@register("dissemination.dispatch", interval_s=2.0, timeout_s=120.0)
def dispatch() -> str:
    """Send the due deliveries (a bounded batch per run)."""
    return str(deliveries_dispatch())


@register("dissemination.requeue_stale", interval_s=60.0)
def requeue_stale() -> str:
    return f"{deliveries_requeue_stale()} stale deliveries sent again"


@register("dissemination.receipts_overdue", interval_s=300.0)
def receipts_overdue() -> str:
    return f"{deliveries_unconfirm_overdue()} deliveries without a receipt marked unconfirmed"


@register("dissemination.siren_acks", interval_s=10.0, timeout_s=60.0)
def siren_acks() -> str:
    return f"{deliveries_collect_mqtt_acks()} MQTT deliveries acknowledged by their sirens"
