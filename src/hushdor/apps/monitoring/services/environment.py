"""Numbers read from the environment by the monitoring services (read when a service runs, not at import)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured


def env_number(
    environ: Mapping[str, str],
    name: str,
    default: float,
    *,
    above: float | None = None,
    at_least: float | None = None,
    error: type[Exception] = ImproperlyConfigured,
) -> float:
    """``environ[name]`` as a finite number (``default`` when unset or blank); ``error`` names the setting."""
    text = environ.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        raise error(f"{name}={text!r} is not a number") from None
    if not math.isfinite(value):
        raise error(f"{name}={text!r} is not a finite number")
    if above is not None and value <= above:
        raise error(f"{name}={text!r} must be more than {above:g}")
    if at_least is not None and value < at_least:
        raise error(f"{name}={text!r} must be {at_least:g} or more")
    return value
