"""One earthquake, one event: join origins from several agencies and revisions into SeismicEvents.

Rules (issue 5, part 3):
- Association window: an origin joins an active event whose preferred origin is within 16 s, 100 km and
  0.5 magnitude units. 16 s and 100 km are the defaults of the USGS Product Distribution Layer indexer
  (usgs/pdl, ``gov.usgs.earthquake.indexer.EventIDAssociator``: DEFAULT_TIME_DIFFERENCE = 16 s,
  DEFAULT_LOCATION_DIFFERENCE = 100 km); PDL sets no magnitude limit, the 0.5 units are issue 5's.
- A report for an (agency, event id) already known joins that event whatever the window says: it is a
  revision. Identical (agency, event id, revision) is a duplicate and changes nothing.
- The preferred origin: each agency's latest live revision, ranked by the configured agency priority
  (national network > USGS > EMSC by default), then by the source's priority, then the latest.
- An agency deleting its event withdraws its origins (its latest revision is the deletion); when no agency has a live origin left, the event
  is marked deleted.

Settings come from the environment when the service runs (never at import):
  HUSHDOR_QUAKE_ASSOCIATION_WINDOW_S (16), HUSHDOR_QUAKE_ASSOCIATION_DISTANCE_KM (100),
  HUSHDOR_QUAKE_ASSOCIATION_MAGNITUDE (0.5), HUSHDOR_QUAKE_AGENCY_PRIORITY ("TJ,USGS,EMSC";
  "TJ" is the FDSN code of the Tajikistan national seismic network — set the code your feed publishes).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from hushdor.apps.monitoring.models import Origin, SeismicEvent, Source
from hushdor.apps.monitoring.services.environment import env_number
from hushdor.feeds.seismic import OriginReport

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius (Moritz, 2000, Geodetic Reference System 1980)


@dataclass(frozen=True)
class AssociationSettings:
    window_s: float = 16.0
    distance_km: float = 100.0
    magnitude_units: float = 0.5
    agency_priority: tuple[str, ...] = ("TJ", "USGS", "EMSC")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> AssociationSettings:
        environ = os.environ if environ is None else environ
        defaults = cls()
        priority = environ.get("HUSHDOR_QUAKE_AGENCY_PRIORITY")
        return cls(
            window_s=_positive_setting(environ, "HUSHDOR_QUAKE_ASSOCIATION_WINDOW_S", defaults.window_s),
            distance_km=_positive_setting(
                environ, "HUSHDOR_QUAKE_ASSOCIATION_DISTANCE_KM", defaults.distance_km
            ),
            magnitude_units=_positive_setting(
                environ, "HUSHDOR_QUAKE_ASSOCIATION_MAGNITUDE", defaults.magnitude_units
            ),
            agency_priority=(
                tuple(name.strip() for name in priority.split(",") if name.strip())
                if priority
                else defaults.agency_priority
            ),
        )

    def agency_rank(self, agency: str) -> int:
        wanted = agency.casefold()
        for rank, name in enumerate(self.agency_priority):
            if name.casefold() == wanted:
                return rank
        return len(self.agency_priority)


@dataclass(frozen=True)
class OriginOutcome:
    """What receiving one report did. ``event`` is None only for the deletion of an unknown event."""

    event: SeismicEvent | None
    created_event: bool
    changed_preferred: bool
    duplicate: bool
    deleted_event: bool = False


def origin_receive(
    report: OriginReport, *, source: Source | None = None, settings: AssociationSettings | None = None
) -> OriginOutcome:
    """Store one origin report and associate it, in one transaction.

    After the transaction commits, a new event, a changed preferred origin or a deletion calls
    ``chain.event_changed(event_id)``.
    """
    settings = settings or AssociationSettings.from_environment()
    try:
        with transaction.atomic():
            outcome = _receive(report, source=source, settings=settings)
    except IntegrityError:
        # A concurrent worker stored the same revision between our look-up and our insert.
        existing = Origin.objects.select_related("event").get(
            agency=report.agency, agency_event_id=report.event_id, revision=revision_key(report)
        )
        return OriginOutcome(
            event=existing.event, created_event=False, changed_preferred=False, duplicate=True
        )
    if outcome.event is not None and (
        outcome.created_event or outcome.changed_preferred or outcome.deleted_event
    ):
        event_id = outcome.event.pk
        transaction.on_commit(lambda: _chain_event_changed(event_id))
    return outcome


def revision_key(report: OriginReport) -> str:
    """The agency's update time; formats without one (FDSN text) get a fingerprint of the values."""
    if report.updated is not None:
        return report.updated.isoformat()
    values = "|".join(
        str(value)
        for value in (
            report.origin_time and report.origin_time.isoformat(),
            report.latitude,
            report.longitude,
            report.depth_km,
            report.magnitude,
            report.magnitude_type,
            report.deleted,
        )
    )
    return "content:" + hashlib.sha256(values.encode()).hexdigest()[:32]


def distance_km(latitude_1: float, longitude_1: float, latitude_2: float, longitude_2: float) -> float:
    """Great-circle (haversine) distance on a sphere of the mean Earth radius."""
    phi_1, phi_2 = math.radians(latitude_1), math.radians(latitude_2)
    d_phi = phi_2 - phi_1
    d_lambda = math.radians(longitude_2 - longitude_1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi_1) * math.cos(phi_2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _receive(report: OriginReport, *, source: Source | None, settings: AssociationSettings) -> OriginOutcome:
    revision = revision_key(report)
    duplicate = (
        Origin.objects.select_related("event")
        .filter(agency=report.agency, agency_event_id=report.event_id, revision=revision)
        .first()
    )
    if duplicate is not None:
        return OriginOutcome(
            event=duplicate.event, created_event=False, changed_preferred=False, duplicate=True
        )
    known = (
        Origin.objects.filter(agency=report.agency, agency_event_id=report.event_id).order_by("-id").first()
    )
    event: SeismicEvent | None
    created = False
    if known is not None:
        event = SeismicEvent.objects.select_for_update().get(pk=known.event_id)
    elif report.deleted:
        return OriginOutcome(event=None, created_event=False, changed_preferred=False, duplicate=False)
    else:
        event = _matching_event(report, settings)
        if event is None:
            event = _event_create(report)
            created = True
    _origin_create(report, event=event, source=source, revision=revision)
    change = _preferred_refresh(event, settings)
    return OriginOutcome(
        event=event,
        created_event=created,
        changed_preferred=change == CHANGED,
        duplicate=False,
        deleted_event=change == DELETED,
    )


def _matching_event(report: OriginReport, settings: AssociationSettings) -> SeismicEvent | None:
    assert report.origin_time and report.latitude is not None and report.longitude is not None
    window = timedelta(seconds=settings.window_s)
    candidates = SeismicEvent.objects.select_for_update().filter(
        state=SeismicEvent.State.ACTIVE,
        time__gte=report.origin_time - window,
        time__lte=report.origin_time + window,
    )
    scored = []
    for event in candidates:
        distance = distance_km(report.latitude, report.longitude, event.latitude, event.longitude)
        magnitude_gap = abs((report.magnitude or 0.0) - event.magnitude)
        if distance <= settings.distance_km and magnitude_gap <= settings.magnitude_units:
            seconds = abs((report.origin_time - event.time).total_seconds())
            score = seconds / settings.window_s + distance / settings.distance_km
            scored.append((score, event.pk, event))
    return min(scored, key=lambda item: item[:2])[2] if scored else None


def _event_create(report: OriginReport) -> SeismicEvent:
    return SeismicEvent.objects.create(
        time=report.origin_time,
        latitude=report.latitude,
        longitude=report.longitude,
        depth_km=report.depth_km,
        magnitude=report.magnitude,
        magnitude_type=report.magnitude_type,
        place=report.place,
    )


def _origin_create(
    report: OriginReport, *, event: SeismicEvent, source: Source | None, revision: str
) -> Origin:
    return Origin.objects.create(
        event=event,
        source=source,
        agency=report.agency,
        agency_event_id=report.event_id,
        revision=revision,
        updated=report.updated,
        time=report.origin_time,
        latitude=report.latitude,
        longitude=report.longitude,
        depth_km=report.depth_km,
        magnitude=report.magnitude,
        magnitude_type=report.magnitude_type,
        status=report.status,
        deleted=report.deleted,
        place=report.place,
        url=report.url,
        priority=source.priority if source is not None else 100,
        raw=_json_safe(report.raw),
        received_at=timezone.now(),
    )


UNCHANGED, CHANGED, DELETED = "unchanged", "changed", "deleted"


def _preferred_refresh(event: SeismicEvent, settings: AssociationSettings) -> str:
    """Choose the event's preferred origin again; says whether it is unchanged, changed or deleted."""
    latest: dict[tuple[str, str], Origin] = {}
    for origin in Origin.objects.filter(event=event).order_by("id"):
        key = (origin.agency, origin.agency_event_id)
        current = latest.get(key)
        if current is None or _newer(origin, current):
            latest[key] = origin
    live = [origin for origin in latest.values() if not origin.deleted]
    if not live:
        if event.state == SeismicEvent.State.DELETED:
            return UNCHANGED
        event.state = SeismicEvent.State.DELETED
        event.deleted_at = timezone.now()
        event.save(update_fields=["state", "deleted_at", "updated_at"])
        return DELETED
    best = min(live, key=lambda origin: _preference(origin, settings))
    if best.pk == event.preferred_origin_id and event.state == SeismicEvent.State.ACTIVE:
        return UNCHANGED
    _event_copy(event, best)
    return CHANGED


def _newer(candidate: Origin, current: Origin) -> bool:
    """A later agency update time wins; without one (or on a tie) the later arrival wins."""
    if candidate.updated and current.updated and candidate.updated != current.updated:
        return candidate.updated > current.updated
    return candidate.pk > current.pk


def _preference(origin: Origin, settings: AssociationSettings) -> tuple[int, int, float, int]:
    stamp = origin.updated or origin.received_at
    return (settings.agency_rank(origin.agency), origin.priority, -stamp.timestamp(), -origin.pk)


def _event_copy(event: SeismicEvent, origin: Origin) -> None:
    event.preferred_origin = origin
    event.state = SeismicEvent.State.ACTIVE
    event.deleted_at = None
    event.revision += 1
    event.time = origin.time
    event.latitude = origin.latitude
    event.longitude = origin.longitude
    event.depth_km = origin.depth_km
    event.magnitude = origin.magnitude
    event.magnitude_type = origin.magnitude_type
    event.place = origin.place or event.place
    event.save()


def _json_safe(raw: Mapping) -> dict:
    return json.loads(json.dumps(dict(raw), cls=DjangoJSONEncoder))


def _chain_event_changed(event_id: int) -> None:
    from hushdor.apps.monitoring.services.chain import event_changed

    event_changed(event_id)


def _positive_setting(environ: Mapping[str, str], name: str, default: float) -> float:
    return env_number(environ, name, default, above=0)
