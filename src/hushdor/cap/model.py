"""Typed, immutable CAP 1.2 model.

Field names follow the OASIS CAP 1.2 specification (http://docs.oasis-open.org/emergency/cap/v1.2/
CAP-v1.2-os.html, §3.2), spelled in Python style (``msgType`` → ``msg_type``). Repeated elements are
tuples; optional ones are ``None``. Coordinates are ``(lat, lon)`` tuples in WGS 84 because CAP writes
``"lat,lon"`` (§3.2.4 polygon/circle). Date-times are timezone-aware (§3.3.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

LatLon = tuple[float, float]


class Status(StrEnum):
    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"


class MsgType(StrEnum):
    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"
    ACK = "Ack"
    ERROR = "Error"


class Scope(StrEnum):
    PUBLIC = "Public"
    RESTRICTED = "Restricted"
    PRIVATE = "Private"


class Category(StrEnum):
    GEO = "Geo"
    MET = "Met"
    SAFETY = "Safety"
    SECURITY = "Security"
    RESCUE = "Rescue"
    FIRE = "Fire"
    HEALTH = "Health"
    ENV = "Env"
    TRANSPORT = "Transport"
    INFRA = "Infra"
    CBRNE = "CBRNE"
    OTHER = "Other"


class ResponseType(StrEnum):
    SHELTER = "Shelter"
    EVACUATE = "Evacuate"
    PREPARE = "Prepare"
    EXECUTE = "Execute"
    AVOID = "Avoid"
    MONITOR = "Monitor"
    ASSESS = "Assess"
    ALL_CLEAR = "AllClear"
    NONE = "None"


class Urgency(StrEnum):
    IMMEDIATE = "Immediate"
    EXPECTED = "Expected"
    FUTURE = "Future"
    PAST = "Past"
    UNKNOWN = "Unknown"


class Severity(StrEnum):
    EXTREME = "Extreme"
    SEVERE = "Severe"
    MODERATE = "Moderate"
    MINOR = "Minor"
    UNKNOWN = "Unknown"


class Certainty(StrEnum):
    OBSERVED = "Observed"
    LIKELY = "Likely"
    POSSIBLE = "Possible"
    UNLIKELY = "Unlikely"
    UNKNOWN = "Unknown"


@dataclass(frozen=True, slots=True)
class ValuePair:
    """``<eventCode>``, ``<parameter>`` and ``<geocode>``: a valueName and its value."""

    value_name: str
    value: str


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of ``<references>``: ``sender,identifier,sent`` of an earlier message (§3.2.1)."""

    sender: str
    identifier: str
    sent: datetime


@dataclass(frozen=True, slots=True)
class Polygon:
    """A closed ring of at least four ``(lat, lon)`` points, first equal to last (§3.2.4)."""

    points: tuple[LatLon, ...]


@dataclass(frozen=True, slots=True)
class Circle:
    """A centre ``(lat, lon)`` and a radius in kilometres (§3.2.4)."""

    center: LatLon
    radius_km: float


@dataclass(frozen=True, slots=True)
class Area:
    area_desc: str
    polygons: tuple[Polygon, ...] = ()
    circles: tuple[Circle, ...] = ()
    geocodes: tuple[ValuePair, ...] = ()
    altitude: float | None = None
    ceiling: float | None = None


@dataclass(frozen=True, slots=True)
class Resource:
    resource_desc: str
    mime_type: str
    size: int | None = None
    uri: str | None = None
    deref_uri: str | None = None
    digest: str | None = None


@dataclass(frozen=True, slots=True)
class Info:
    categories: tuple[Category, ...]
    event: str
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    language: str = "en-US"
    response_types: tuple[ResponseType, ...] = ()
    audience: str | None = None
    event_codes: tuple[ValuePair, ...] = ()
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    contact: str | None = None
    parameters: tuple[ValuePair, ...] = ()
    resources: tuple[Resource, ...] = ()
    areas: tuple[Area, ...] = ()


@dataclass(frozen=True, slots=True)
class Alert:
    identifier: str
    sender: str
    sent: datetime
    status: Status
    msg_type: MsgType
    scope: Scope
    source: str | None = None
    restriction: str | None = None
    addresses: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    note: str | None = None
    references: tuple[Reference, ...] = ()
    incidents: tuple[str, ...] = ()
    infos: tuple[Info, ...] = ()

    @property
    def key(self) -> tuple[str, str, datetime]:
        """The ``(sender, identifier, sent)`` triple aggregators de-duplicate on."""
        return (self.sender, self.identifier, self.sent)
