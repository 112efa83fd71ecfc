"""What every seismic feed parser returns: origin reports, and rejections with a plain reason.

Edge validation (issue 5, part 9): a value outside these bounds is not an earthquake we can use, and the
item is rejected with a reason instead of reaching the database:

- magnitude in [-2, 10]: the USGS GeoJSON summary format documents "typical values [-1.0, 10.0]"
  (earthquake.usgs.gov/earthquakes/feed/v1.0/geojson.php, property ``mag``); catalogues hold small
  negative magnitudes for micro-events, so the floor is widened to -2. Nothing above M 9.5 (Valdivia
  1960) has been recorded, so M > 10 is a unit or typing error.
- depth in [-5, 800] km, -5 itself excluded: the same page documents depths in [0, 1000] km and USGS
  publishes small negative depths (hypocentres above sea level under high ground); the deepest known
  earthquakes are about 700 km (Frohlich, 1989, Annu. Rev. Earth Planet. Sci. 17, 227-254). A depth of
  -5 km or shallower is the "absurd value" example of issue 5.
- latitude in [-90, 90], longitude in [-180, 180] (WGS84 degrees).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Status = Literal["automatic", "reviewed"]

MAGNITUDE_RANGE = (-2.0, 10.0)
DEPTH_RANGE_KM = (-5.0, 800.0)
LATITUDE_RANGE = (-90.0, 90.0)
LONGITUDE_RANGE = (-180.0, 180.0)


class FeedError(ValueError):
    """Base class of the seismic feed package's errors."""


class ItemInvalid(FeedError):
    """One feed item cannot be used; the message says why in plain words."""


class DocumentInvalid(FeedError):
    """The whole document cannot be read (truncated, not the expected format, too large, unsafe)."""


class UnknownFeedKind(FeedError):
    """No parser exists for the named feed kind."""


@dataclass(frozen=True, slots=True)
class OriginReport:
    """One agency's solution for one earthquake, as a feed published it.

    ``origin_time``, ``latitude``, ``longitude``, ``depth_km`` and ``magnitude`` are always set unless
    ``deleted`` is true (an agency deleting an event need not repeat its values).
    """

    agency: str
    event_id: str
    origin_time: datetime | None
    latitude: float | None
    longitude: float | None
    depth_km: float | None
    magnitude: float | None
    magnitude_type: str
    updated: datetime | None
    status: Status
    deleted: bool = False
    place: str = ""
    url: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An item (or, with ``item_ref == "document"``, the whole document) that was not accepted."""

    item_ref: str
    reason: str


@dataclass(frozen=True, slots=True)
class FeedParse:
    reports: list[OriginReport]
    rejections: list[Rejection]


DOCUMENT = "document"


def document_rejected(error: Exception) -> FeedParse:
    return FeedParse(reports=[], rejections=[Rejection(item_ref=DOCUMENT, reason=str(error))])


def number(name: str, value: Any, bounds: tuple[float, float], *, low_inclusive: bool = True) -> float:
    """A finite number within ``bounds``; anything else raises ItemInvalid naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ItemInvalid(f"{name} must be a number, got {_shown(value)}")
    result = float(value)
    if not math.isfinite(result):
        raise ItemInvalid(f"{name} must be a finite number, got {value!r}")
    low, high = bounds
    below = result < low if low_inclusive else result <= low
    if below or result > high:
        edge = "[" if low_inclusive else "("
        raise ItemInvalid(f"{name} {result:g} is outside {edge}{low:g}, {high:g}]")
    return result


def number_from_text(text: str) -> float | str:
    """Convert feed text to a float where it looks like one, so `number` can name the bad value."""
    try:
        return float(text)
    except ValueError:
        return text


def text(name: str, value: Any, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise ItemInvalid(f"{name} is missing")
        return ""
    if not isinstance(value, str):
        raise ItemInvalid(f"{name} must be text, got {_shown(value)}")
    value = value.strip()
    if required and not value:
        raise ItemInvalid(f"{name} is empty")
    return value


def utc_from_iso(name: str, value: Any) -> datetime:
    """An ISO 8601 time; one without a zone is UTC (FDSN web services and QuakeML write UTC)."""
    if not isinstance(value, str):
        raise ItemInvalid(f"{name} must be an ISO 8601 time, got {_shown(value)}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ItemInvalid(f"{name} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def utc_from_epoch_ms(name: str, value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ItemInvalid(f"{name} must be milliseconds since 1970, got {_shown(value)}")
    try:
        return datetime.fromtimestamp(value / 1000.0, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ItemInvalid(f"{name} {value!r} is not a usable time") from None


def origin_report_build(
    *,
    agency: str,
    event_id: Any,
    origin_time: datetime | None,
    latitude: Any,
    longitude: Any,
    depth_km: Any,
    magnitude: Any,
    magnitude_type: Any,
    updated: datetime | None,
    status: Status,
    deleted: bool = False,
    place: Any = None,
    url: Any = None,
    raw: Mapping[str, Any] | None = None,
) -> OriginReport:
    """Validate one item's values and build its report; raises ItemInvalid with the first problem."""
    event_id = text("event id", event_id, required=True)
    values = {"latitude": latitude, "longitude": longitude, "depth": depth_km, "magnitude": magnitude}
    if deleted and origin_time is None:
        checked: dict[str, float | None] = {name: None for name in values}
    else:
        if origin_time is None:
            raise ItemInvalid("origin time is missing")
        missing = [name for name, value in values.items() if value is None]
        if missing and not deleted:
            raise ItemInvalid(f"{', '.join(missing)} missing")
        checked = {
            "latitude": _optional(number, "latitude", latitude, LATITUDE_RANGE),
            "longitude": _optional(number, "longitude", longitude, LONGITUDE_RANGE),
            "depth": _optional(number, "depth (km)", depth_km, DEPTH_RANGE_KM, low_inclusive=False),
            "magnitude": _optional(number, "magnitude", magnitude, MAGNITUDE_RANGE),
        }
    return OriginReport(
        agency=agency,
        event_id=event_id,
        origin_time=origin_time,
        latitude=checked["latitude"],
        longitude=checked["longitude"],
        depth_km=checked["depth"],
        magnitude=checked["magnitude"],
        magnitude_type=text("magnitude type", magnitude_type),
        updated=updated,
        status=status,
        deleted=deleted,
        place=text("place", place),
        url=text("url", url),
        raw=dict(raw or {}),
    )


def _optional(check: Any, name: str, value: Any, bounds: tuple[float, float], **options: Any) -> float | None:
    return None if value is None else check(name, value, bounds, **options)


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    shown = repr(value)
    return f"{type(value).__name__} {shown[:40]}"


# QuakeML 1.2 EventType values (QuakeML BED 1.2 specification, "EventType" enumeration) that describe
# an earthquake we may warn about; "not existing" means the agency withdrew the event.
EARTHQUAKE_EVENT_TYPES = {"", "earthquake", "induced or triggered event", "not reported"}
WITHDRAWN_EVENT_TYPE = "not existing"


def event_type_withdrawn(value: Any) -> bool:
    """True for a withdrawn event; raises ItemInvalid for types that are not earthquakes (blasts…)."""
    event_type = text("event type", value).lower()
    if event_type == WITHDRAWN_EVENT_TYPE:
        return True
    if event_type not in EARTHQUAKE_EVENT_TYPES:
        raise ItemInvalid(f"event type {event_type!r} is not an earthquake")
    return False
