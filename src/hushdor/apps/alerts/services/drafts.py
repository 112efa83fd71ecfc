"""What callers hand the services to write an alert: one InfoDraft per language, AreaDrafts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from hushdor.apps.alerts.models import AreaKind, Hazard
from hushdor.apps.alerts.services.errors import AlertRuleError
from hushdor.cap.model import Category, Certainty, ResponseType, Scope, Severity, Status, Urgency

LANGUAGE_CODES = ("tg", "ru", "en")
# The column widths of AlertInfo and AlertArea (models/alert.py): longer text is refused here with a
# reason, not by the database (PostgreSQL raises; SQLite would keep it silently).
INFO_TEXT_LIMITS = {"event": 255, "headline": 255, "contact": 255, "web": 200}
AREA_TEXT_LIMITS = {"description": 500, "description_tg": 500, "description_ru": 500, "place_code": 64}


def alert_fields_checked(*, hazard: str, status: str, scope: str) -> tuple[str, Status, Scope]:
    """The alert-wide fields of a new draft, checked: ``(hazard, status, scope)``."""
    if hazard not in Hazard.values:
        raise AlertRuleError(
            _("%(field)s %(value)r is not one of %(allowed)s")
            % {"field": "hazard", "value": hazard, "allowed": ", ".join(Hazard.values)},
            code="bad_input",
        )
    return hazard, _enum(Status, status, "status"), _enum(Scope, scope, "scope")


@dataclass(frozen=True)
class InfoDraft:
    """The alert's text in one language (``tg``, ``ru`` or ``en``)."""

    language: str
    event: str
    headline: str
    urgency: Urgency | str
    severity: Severity | str
    certainty: Certainty | str
    description: str = ""
    instruction: str = ""
    category: Category | str = Category.GEO
    response_type: ResponseType | str | None = None
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    web: str = ""
    contact: str = ""
    parameters: dict[str, str] = field(default_factory=dict)

    def checked(self) -> InfoDraft:
        if self.language not in LANGUAGE_CODES:
            raise AlertRuleError(
                _("the language must be one of %(allowed)s, not %(language)r")
                % {"allowed": ", ".join(LANGUAGE_CODES), "language": self.language},
                code="bad_input",
            )
        for name, kind in (
            ("urgency", Urgency),
            ("severity", Severity),
            ("certainty", Certainty),
            ("category", Category),
        ):
            _enum(kind, getattr(self, name), name)
        if self.response_type:
            _enum(ResponseType, self.response_type, "response_type")
        for name in ("event", "headline"):
            if not getattr(self, name).strip():
                raise AlertRuleError(
                    _("the %(language)s %(field)s is empty") % {"language": self.language, "field": _(name)},
                    code="bad_input",
                )
        for name in ("effective", "onset", "expires"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise AlertRuleError(_("%(field)s needs a time zone") % {"field": name}, code="bad_input")
        _check_lengths(self, INFO_TEXT_LIMITS)
        if self.web and not self.web.lower().startswith(("http://", "https://")):
            raise AlertRuleError(
                _("the web page must be an http:// or https:// address, not %(value)r") % {"value": self.web},
                code="bad_input",
            )
        return self


@dataclass(frozen=True)
class AreaDraft:
    """One area: a region/district/settlement by code, a drawn polygon, or a circle.

    ``polygons`` are lists of ``(lat, lon)``; for places they may be left empty and are then taken
    from the places app (a snapshot is stored, so later boundary edits do not change an issued alert).

    ``description`` is the English ``<areaDesc>``; ``description_tg`` / ``description_ru`` are the
    Tajik and Russian ones (optional: an info without its own falls back as
    :meth:`hushdor.apps.alerts.models.AlertArea.description_in` says). At least one must be given;
    when the English one is blank, the Russian, else the Tajik, stands in for it.
    """

    kind: AreaKind | str
    description: str = ""
    place_code: str = ""
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)
    circle: tuple[float, float] | None = None
    radius_km: float | None = None
    geocodes: list[tuple[str, str]] = field(default_factory=list)
    description_tg: str = ""
    description_ru: str = ""

    def checked(self) -> AreaDraft:
        kind = _enum(AreaKind, self.kind, "area kind")
        if not self.main_description():
            raise AlertRuleError(_("an area needs a description"), code="bad_input")
        if kind in (AreaKind.REGION, AreaKind.DISTRICT, AreaKind.SETTLEMENT) and not self.place_code:
            raise AlertRuleError(
                _("a %(kind)s area needs a place code") % {"kind": kind.label}, code="bad_input"
            )
        if kind == AreaKind.POLYGON and not self.polygons:
            raise AlertRuleError(_("a polygon area needs at least one polygon"), code="bad_input")
        if kind == AreaKind.CIRCLE and (self.circle is None or self.radius_km is None):
            raise AlertRuleError(_("a circle area needs a centre and a radius"), code="bad_input")
        if self.radius_km is not None and not (self.radius_km > 0 and math.isfinite(self.radius_km)):
            raise AlertRuleError(_("a radius must be above 0 km"), code="bad_input")
        _check_lengths(self, AREA_TEXT_LIMITS)
        for polygon in self.polygons:
            for point in polygon:
                _check_point(point)
        if self.circle is not None:
            _check_point(self.circle)
        return self

    def main_description(self) -> str:
        """The English description, else the Russian, else the Tajik (stripped; "" when none)."""
        for text in (self.description, self.description_ru, self.description_tg):
            if text.strip():
                return text.strip()
        return ""


def _check_lengths(draft, limits: dict[str, int]) -> None:
    for name, limit in limits.items():
        value = getattr(draft, name)
        if len(value) > limit:
            raise AlertRuleError(
                _("%(field)s is %(length)d characters long; at most %(limit)d fit")
                % {"field": name, "length": len(value), "limit": limit},
                code="bad_input",
            )


def _check_point(point) -> None:
    """A ``(lat, lon)`` pair of finite numbers on the globe."""
    try:
        lat, lon = (float(value) for value in point)
    except (TypeError, ValueError):
        raise AlertRuleError(
            _("a point must be two numbers (latitude, longitude), not %(value)r") % {"value": point},
            code="bad_input",
        ) from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise AlertRuleError(
            _("the point %(value)r is not a latitude in [-90, 90] and a longitude in [-180, 180]")
            % {"value": point},
            code="bad_input",
        )


def _enum(kind, value, name: str):
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise AlertRuleError(
            _("%(field)s %(value)r is not one of %(allowed)s")
            % {"field": name, "value": value, "allowed": allowed},
            code="bad_input",
        ) from None
