"""What happens after a seismic event changed: the hook between monitoring and the rest of the chain.

``origin_receive`` calls ``event_changed(event_id)`` after its transaction commits, when an event was
created, its preferred origin changed (a second agency, a revision) or it was deleted. It runs the impact
assessment of the preferred origin and stores it as an Assessment, then the earthquake warning policy
(``quake_warning``: issue / draft / update / cancel). It does not draw the shakemap PNG: this hook runs
inside the worker's poll, and a second event received in the same poll must not wait behind the first
one's picture. The Assessment is stored with its shakemap pending; the worker job
``monitoring.render_shakemaps`` (``services.shakemaps``) draws it.

The impact engine is reached through ``quake_impact.assess`` (the adapter of
``hushdor.science.quake.impact``), called with keywords ``latitude``, ``longitude``,
``depth_km`` and ``magnitude``; its result may be a mapping, a dataclass or have ``to_dict()``. Optional
keys used here: ``model_set``, ``timings_ms``, ``shakemap_png`` (bytes) and ``contours_geojson``. A depth
above sea level (negative, as USGS publishes for shallow events under high ground) is assessed at 0 km,
the engine's floor. If the engine refuses the event (out of its range) a warning, and if it fails otherwise a critical operator notification says so
— the origin stays committed and the failure is never silent.
"""

from __future__ import annotations

import logging

from hushdor import __version__
from hushdor.apps.monitoring.models import Assessment, OperatorNotification, SeismicEvent
from hushdor.apps.monitoring.services import quake_impact
from hushdor.apps.monitoring.services.assessments import assessment_run
from hushdor.apps.monitoring.services.notifications import operator_notify
from hushdor.apps.monitoring.services.quake_warning import quake_warning_for_event

log = logging.getLogger("hushdor.monitoring.chain")


def event_changed(event_id: int) -> Assessment | None:
    """Assess the event, then let the warning policy issue, draft, update or cancel. Never raises.

    No shakemap is drawn here (see the module docstring): it is for people at the dashboard, not on the
    path from feed bytes to a published warning.
    """
    assessment = _assess(event_id)
    try:
        quake_warning_for_event(event_id)
    except Exception as error:  # the chain must report, not crash the poller that received the origin
        log.exception("warning step for event %s failed", event_id)
        operator_notify(
            subject=f"warning-failed:{event_id}",
            message=f"The warning step for seismic event {event_id} failed: {type(error).__name__}: {error}",
            level=OperatorNotification.Level.CRITICAL,
        )
    return assessment


def _assess(event_id: int) -> Assessment | None:
    """Assess the event's preferred origin (once per origin and code version). Never raises."""
    event = SeismicEvent.objects.select_related("preferred_origin").filter(pk=event_id).first()
    if event is None or event.state == SeismicEvent.State.DELETED or event.preferred_origin is None:
        return None
    origin = event.preferred_origin
    existing = Assessment.objects.filter(origin=origin, code_version=__version__).first()
    if existing is not None:
        return existing
    try:
        return assessment_run(event=event, origin=origin, assess=quake_impact.assess)
    except Exception as error:
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
