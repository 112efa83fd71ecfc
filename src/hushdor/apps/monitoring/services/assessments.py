"""Store an impact assessment of an origin: inputs, result, timings and artefacts, once per code version."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from hushdor import __version__
from hushdor.apps.monitoring.models import Assessment, Origin, SeismicEvent

_ARTEFACT_KEYS = ("shakemap_png", "contours_geojson")


def assessment_run(*, event: SeismicEvent, origin: Origin, assess: Callable[..., Any]) -> Assessment:
    """Run ``assess(latitude=, longitude=, depth_km=, magnitude=)`` and store its result for ``event``."""
    inputs = {
        "latitude": origin.latitude,
        "longitude": origin.longitude,
        "depth_km": max(0.0, origin.depth_km or 0.0),  # above sea level: the engine's floor of 0 km
        "magnitude": origin.magnitude,
    }
    started = time.perf_counter()
    result = _as_mapping(assess(**inputs))
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    artefacts = {key: result.pop(key, None) for key in _ARTEFACT_KEYS}
    timings = dict(result.get("timings_ms") or {})
    timings.setdefault("total", elapsed_ms)
    try:
        with transaction.atomic():
            return Assessment.objects.create(
                event=event,
                origin=origin,
                model_set=str(result.get("model_set") or ""),
                code_version=__version__,
                inputs={**inputs, "origin_time": origin.time.isoformat() if origin.time else None},
                result=_json_safe(result),
                timings_ms=_json_safe(timings),
                shakemap_png=artefacts["shakemap_png"],
                shakemap_state=(
                    Assessment.ShakemapState.DRAWN
                    if artefacts["shakemap_png"]
                    else Assessment.ShakemapState.PENDING
                ),
                contours_geojson=_json_safe(artefacts["contours_geojson"]),
            )
    except IntegrityError:  # assessed meanwhile by another worker
        return Assessment.objects.get(origin=origin, code_version=__version__)


def _as_mapping(result: Any) -> dict[str, Any]:
    if hasattr(result, "to_dict"):
        return dict(result.to_dict())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return {field.name: getattr(result, field.name) for field in dataclasses.fields(result)}
    if isinstance(result, Mapping):
        return dict(result)
    raise TypeError(f"the impact engine returned {type(result).__name__}, not a mapping or dataclass")


class _ResultEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if hasattr(o, "tolist"):  # numpy arrays and scalars
            return o.tolist()
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        if isinstance(o, bytes):
            return None  # binary artefacts are stored in their own fields
        return super().default(o)


def _json_safe(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=_ResultEncoder))
