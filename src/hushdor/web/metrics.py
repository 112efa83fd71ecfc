"""Prometheus text exposition (format 0.0.4) from a tiny registry of collectors.

A collector is a callable returning exposition lines (``# HELP``, ``# TYPE`` and samples). Apps add
theirs in ``AppConfig.ready()``::

    from hushdor.web import metrics
    metrics.register("places", places_metric_lines)

A collector that fails does not take the others down: it is reported as
``hushdor_metrics_collector_up{collector="…"} 0``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)

Collector = Callable[[], Iterable[str]]
_COLLECTORS: dict[str, Collector] = {}

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def register(name: str, collector: Collector) -> Collector:
    """Add (or replace) the collector called ``name``."""
    _COLLECTORS[name] = collector
    return collector


def collectors() -> dict[str, Collector]:
    return dict(_COLLECTORS)


def label_value(value: str) -> str:
    """A label value escaped as the exposition format asks (backslash, double quote, newline)."""
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def sample(name: str, value: float, labels: dict[str, str] | None = None) -> str:
    text = ",".join(f'{key}="{label_value(val)}"' for key, val in (labels or {}).items())
    number = _number(value)
    return f"{name}{{{text}}} {number}" if text else f"{name} {number}"


def _number(value: float) -> str:
    if isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15):
        return repr(value)
    return str(int(value))


def family(name: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]


def exposition() -> str:
    """Every collector's lines, then whether each collector worked; ends with a newline."""
    lines: list[str] = []
    health: list[str] = family(
        "hushdor_metrics_collector_up",
        "gauge",
        "1 when the collector produced its metrics, 0 when it failed.",
    )
    for name, collector in sorted(_COLLECTORS.items()):
        try:
            produced = list(collector())
        except Exception:  # one broken collector must not hide the others
            logger.exception("metrics collector %s failed", name)
            health.append(sample("hushdor_metrics_collector_up", 0, {"collector": name}))
            continue
        lines.extend(produced)
        health.append(sample("hushdor_metrics_collector_up", 1, {"collector": name}))
    return "\n".join([*lines, *health]) + "\n"
