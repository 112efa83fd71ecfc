"""What happens after a seismic event changed: the hook between monitoring and the rest of the chain.

``origin_receive`` calls ``event_changed(event_id)`` after its transaction commits, when an event was
created, its preferred origin changed (a second agency, a revision) or it was deleted. Today this runs
the impact assessment of the preferred origin and stores it as an Assessment. The alerts policy (issue /
draft / update / cancel) joins here next: it reads the event and its newest Assessment.

The impact engine is reached through ``hushdor.apps.monitoring.services.quake_impact.assess`` (the
lead's adapter of ``hushdor.science.quake.impact``), called with keywords ``latitude``, ``longitude``,
``depth_km`` and ``magnitude``; its result may be a mapping, a dataclass or have ``to_dict()``. Optional
keys used here: ``model_set``, ``timings_ms``, ``shakemap_png`` (bytes) and ``contours_geojson``. A depth
above sea level (negative, as USGS publishes for shallow events under high ground) is assessed at 0 km,
the engine's floor. If the adapter is not installed, nothing is assessed; if the engine refuses the
event (out of its range) a warning, and if it fails otherwise a critical operator notification says so
— the origin stays committed and the failure is never silent.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from hushdor import __version__
from hushdor.apps.monitoring.models import Assessment, OperatorNotification, Origin, SeismicEvent
from hushdor.apps.monitoring.services.notifications import operator_notify

log = logging.getLogger("hushdor.monitoring.chain")

IMPACT_MODULE = "hushdor.apps.monitoring.services.quake_impact"
_ARTEFACT_KEYS = ("shakemap_png", "contours_geojson")
Engine = Callable[..., Mapping[str, Any]]


def event_changed(event_id: int) -> Assessment | None:
    """Assess the event's preferred origin (once per origin and code version). Never raises."""
    event = SeismicEvent.objects.select_related("preferred_origin").filter(pk=event_id).first()
    if event is None or event.state == SeismicEvent.State.DELETED or event.preferred_origin is None:
        return None
    origin = event.preferred_origin
    existing = Assessment.objects.filter(origin=origin, code_version=__version__).first()
    if existing is not None:
        return existing
    try:
        assess = _impact_engine()
        return None if assess is None else assessment_run(event=event, origin=origin, assess=assess)
    except Exception as error:  # the chain must report, not crash the poller that received the origin
        refused = type(error).__name__ == "InvalidEventError"
        log.log(
            logging.WARNING if refused else logging.ERROR,
            "assessment of event %s failed",
            event_id,
            exc_info=not refused,
        )
        operator_notify(
            subject=f"assessment-failed:{event_id}",
            message=f"Impact assessment of {event} failed: {type(error).__name__}: {error}",
            level=OperatorNotification.Level.WARNING if refused else OperatorNotification.Level.CRITICAL,
        )
        return None


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
                contours_geojson=_json_safe(artefacts["contours_geojson"]),
            )
    except IntegrityError:  # assessed meanwhile by another worker
        return Assessment.objects.get(origin=origin, code_version=__version__)


def _impact_engine() -> Engine | None:
    """The adapter's ``assess``, or None when it is not installed (a broken one raises)."""
    try:
        module = importlib.import_module(IMPACT_MODULE)
    except ModuleNotFoundError as error:
        if error.name != IMPACT_MODULE:
            raise
        log.info("no impact engine (%s) installed: events are not assessed", IMPACT_MODULE)
        return None
    return module.assess


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
