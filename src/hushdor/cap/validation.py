"""Validate a CAP alert: the OASIS CAP 1.2 XSD plus the semantic rules editors keep breaking.

``validate(bytes_or_alert, rules=ValidationContext(...))`` returns findings (see
:mod:`hushdor.cap.findings`); no errors means the alert may be published. The rules and where they
come from:

* identifier in the WMO Register of Alerting Authorities "published alert" arc
  ``urn:oid:2.49.0.1.<country>.<authority>…`` (cap-composer#142: alerts published under ``2.49.0.0``);
  762 is Tajikistan's ISO 3166-1 numeric code, made a context option because ingested alerts carry
  other countries' codes; unique per sender (context callable);
* identifier and sender without spaces, commas, ``<`` or ``&`` (CAP 1.2 §3.2.1);
* date-times with explicit offsets, never ``Z`` or naive (CAP 1.2 §3.3.2);
* effective/onset not before sent, expires after sent and effective, nothing already expired at
  ``now`` (cap-composer#135: a Togo alert sent six weeks after it expired); 60 s clock skew allowed;
  an onset before sent is accepted for ``Observed`` events (the quake happened before the message);
* ``<web>`` an absolute http(s) URL (cap-composer#137, eight countries' alerts with relative links);
* script of the text consistent with ``<language>`` (cap-composer#138; :mod:`hushdor.cap.language`);
* polygons closed, ≥ 4 points, valid, ≤ 100 points (:mod:`hushdor.cap.geometry`);
* Update/Cancel carry ``<references>`` pointing at known alerts (CAP 1.2 §3.2.1 msgType);
* Actual + Public alerts never ``Unknown`` urgency/severity/certainty (they cannot be ranked or
  routed; Google Public Alerts CAP requirements);
* ``<headline>`` ≤ 160 characters (CAP 1.2 §3.2.2: "160 characters MAY be a useful target limit");
  ``<event>`` ≤ 35 characters (this project's editorial limit for lists and SMS titles): warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from hushdor.cap.errors import CapModelError
from hushdor.cap.findings import Finding, error, warning
from hushdor.cap.geometry import MAX_POINTS, repair_polygon
from hushdor.cap.language import language_findings
from hushdor.cap.model import Alert, Certainty, Info, MsgType, Reference, Scope, Severity, Status, Urgency
from hushdor.cap.reading import read_alert
from hushdor.cap.safety import Limits, load_tree
from hushdor.cap.schema import schema_findings
from hushdor.cap.xml import to_element

WMO_PUBLISHED_ALERT_ARC = "2.49.0.1"
TAJIKISTAN = "762"
EVENT_ADVISED_LENGTH = 35
HEADLINE_ADVISED_LENGTH = 160
_FORBIDDEN_IN_IDS = (" ", ",", "<", "&", "\t", "\n")

KnownAlerts = Callable[[str, str], bool] | Collection[tuple[str, str]]


@dataclass(frozen=True)
class ValidationContext:
    """What the rules need to know beyond the alert itself.

    ``country`` — the ISO 3166-1 numeric arc identifiers must use (``None``: any country, for
    alerts ingested from elsewhere); ``authority`` — the next arc, if it must match;
    ``issued`` — ``(sender, identifier)`` pairs already used (a collection or a callable);
    ``known`` — alerts references may point at (same forms); ``now`` — the clock (``None``: real time).
    """

    country: str | None = TAJIKISTAN
    authority: str | None = None
    require_wmo_arc: bool = True
    issued: KnownAlerts | None = None
    known: KnownAlerts | None = None
    now: datetime | None = None
    clock_skew: timedelta = timedelta(seconds=60)
    check_stale: bool = True
    check_schema: bool = True
    max_polygon_points: int = MAX_POINTS
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if self.now is not None and self.now.utcoffset() is None:
            raise CapModelError("ValidationContext.now must be timezone-aware")

    def moment(self) -> datetime:
        return self.now if self.now is not None else datetime.now(UTC)


def validate(alert_or_bytes: Alert | bytes, *, rules: ValidationContext | None = None) -> list[Finding]:
    context = rules or ValidationContext()
    if isinstance(alert_or_bytes, Alert):
        return _validate_model(alert_or_bytes, context)
    loaded = load_tree(alert_or_bytes, context.limits)
    if loaded.root is None:
        return list(loaded.findings)
    alert, reading = read_alert(loaded.root)
    if any(finding.code == "xml.not_cap" for finding in reading):
        return reading
    findings = schema_findings(loaded.root) if context.check_schema else []
    findings.extend(reading)
    if alert is not None:
        findings.extend(semantic_findings(alert, context))
    return findings


def _validate_model(alert: Alert, context: ValidationContext) -> list[Finding]:
    findings: list[Finding] = []
    if context.check_schema:
        try:
            findings.extend(schema_findings(to_element(alert)))
        except (CapModelError, ValueError, TypeError) as exc:
            findings.append(error("model.invalid", f"the alert cannot be written as CAP XML: {exc}"))
    return findings + semantic_findings(alert, context)


def semantic_findings(alert: Alert, context: ValidationContext) -> list[Finding]:
    findings = _identity_findings(alert, context)
    findings += _reference_findings(alert, context)
    if _is_naive(alert.sent):
        findings.append(error("datetime.offset", "sent has no time zone offset", "sent"))
    for index, info in enumerate(alert.infos):
        path = f"info[{index}]"
        findings += _time_findings(alert, info, context, path)
        findings += _info_findings(alert, info, path)
        findings += _area_findings(info, context, path)
    return findings


def _identity_findings(alert: Alert, context: ValidationContext) -> list[Finding]:
    findings = []
    for name in ("identifier", "sender"):
        value = getattr(alert, name)
        if any(char in value for char in _FORBIDDEN_IN_IDS):
            findings.append(
                error(
                    f"{name}.characters",
                    f"the {name} '{value}' contains a space, comma, '<' or '&', which CAP forbids",
                    name,
                )
            )
    if context.require_wmo_arc:
        findings += _arc_findings(alert.identifier, context)
    if context.issued is not None and _contains(context.issued, alert.sender, alert.identifier):
        findings.append(
            error(
                "identifier.duplicate",
                f"the identifier {alert.identifier} was already used "
                f"by {alert.sender}; every message needs a new identifier",
                "identifier",
            )
        )
    return findings


def _arc_findings(identifier: str, context: ValidationContext) -> list[Finding]:
    expected = "urn:oid:" + WMO_PUBLISHED_ALERT_ARC + "."
    if context.country:
        expected += context.country + "."
        if context.authority:
            expected += context.authority + "."
    rest = identifier.removeprefix(expected)
    if identifier.startswith(expected) and rest and all(arc.isdigit() for arc in rest.split(".")):
        return []
    hint = ""
    if identifier.startswith("urn:oid:2.49.0.0."):
        hint = " (2.49.0.0 is the register's arc for organisations; alerts use 2.49.0.1)"
    elif not identifier.startswith("urn:oid:"):
        hint = " (it must start with urn:oid:)"
    return [
        error(
            "identifier.arc",
            f"the identifier {identifier} is not under {expected}… followed by numbers{hint}",
            "identifier",
        )
    ]


def _reference_findings(alert: Alert, context: ValidationContext) -> list[Finding]:
    findings = []
    if alert.msg_type in (MsgType.UPDATE, MsgType.CANCEL) and not alert.references:
        findings.append(
            error(
                "references.missing",
                f"an {alert.msg_type.value} must name the earlier "
                "message(s) it updates or cancels in <references>",
                "references",
            )
        )
    for index, reference in enumerate(alert.references):
        path = f"references[{index}]"
        if (
            not _is_naive(reference.sent)
            and not _is_naive(alert.sent)
            and _later(reference.sent, alert.sent, timedelta(0))
        ):
            findings.append(
                error(
                    "references.future",
                    f"reference {reference.identifier} was sent after "
                    "this message; a message can only refer to earlier ones",
                    path,
                )
            )
        if context.known is not None and not _contains(context.known, reference.sender, reference.identifier):
            findings.append(
                error(
                    "references.unknown",
                    f"reference {reference.identifier} from {reference.sender} is not a known alert",
                    path,
                )
            )
    return findings


def _time_findings(alert: Alert, info: Info, context: ValidationContext, path: str) -> list[Finding]:
    findings = []
    for name in ("effective", "onset", "expires"):
        if _is_naive(getattr(info, name)):
            findings.append(error("datetime.offset", f"{name} has no time zone offset", f"{path}.{name}"))
    if _is_naive(alert.sent) or any(_is_naive(getattr(info, n)) for n in ("effective", "onset", "expires")):
        return findings
    skew = context.clock_skew
    if info.effective is not None and _later(alert.sent, info.effective, skew):
        findings.append(
            error("effective.before_sent", "effective is before the message was sent", f"{path}.effective")
        )
    if (
        info.onset is not None
        and info.certainty is not Certainty.OBSERVED
        and _later(alert.sent, info.onset, skew)
    ):
        findings.append(
            error(
                "onset.before_sent",
                "onset is before the message was sent; only an observed event may have begun already",
                f"{path}.onset",
            )
        )
    if info.expires is not None:
        if info.expires <= alert.sent:
            findings.append(
                error("expires.before_sent", "expires is not after the message was sent", f"{path}.expires")
            )
        elif info.effective is not None and info.expires <= info.effective:
            findings.append(
                error("expires.before_effective", "expires is not after effective", f"{path}.expires")
            )
        if info.onset is not None and info.expires <= info.onset:
            findings.append(
                warning(
                    "expires.before_onset", "the alert expires before the event begins", f"{path}.expires"
                )
            )
        if context.check_stale and info.expires < context.moment():
            findings.append(
                error(
                    "alert.stale",
                    f"the alert expired at {info.expires.isoformat()}; an "
                    "expired alert must not be published",
                    f"{path}.expires",
                )
            )
    elif alert.status is Status.ACTUAL:
        findings.append(
            warning(
                "expires.missing", "no expires: readers cannot tell when the alert ends", f"{path}.expires"
            )
        )
    return findings


def _info_findings(alert: Alert, info: Info, path: str) -> list[Finding]:
    findings = []
    if alert.status is Status.ACTUAL and alert.scope is Scope.PUBLIC:
        for name, value in (
            ("urgency", info.urgency),
            ("severity", info.severity),
            ("certainty", info.certainty),
        ):
            if value in (Urgency.UNKNOWN, Severity.UNKNOWN, Certainty.UNKNOWN):
                findings.append(
                    error(
                        f"{name}.unknown",
                        f"{name} is Unknown; an actual public alert must say how {_AXIS_WORDS[name]} it is",
                        f"{path}.{name}",
                    )
                )
    if len(info.event) > EVENT_ADVISED_LENGTH:
        findings.append(
            warning(
                "event.long",
                f"event is {len(info.event)} characters; keep it within {EVENT_ADVISED_LENGTH}",
                f"{path}.event",
            )
        )
    if info.headline and len(info.headline) > HEADLINE_ADVISED_LENGTH:
        findings.append(
            warning(
                "headline.long",
                f"headline is {len(info.headline)} characters; keep it within {HEADLINE_ADVISED_LENGTH}",
                f"{path}.headline",
            )
        )
    if info.web is not None and not is_absolute_http_url(info.web):
        findings.append(
            error(
                "web.not_absolute",
                f"web '{info.web}' must be a full http:// or https:// address",
                f"{path}.web",
            )
        )
    for index, resource in enumerate(info.resources):
        if resource.uri and not resource.deref_uri and not is_absolute_http_url(resource.uri):
            findings.append(
                error(
                    "resource.uri",
                    f"resource uri '{resource.uri}' must be a full http(s) "
                    "address when no derefUri carries the content",
                    f"{path}.resource[{index}]",
                )
            )
    text = " ".join(part for part in (info.headline, info.description) if part)
    findings += language_findings(info.language, text, path)
    return findings


_AXIS_WORDS = {"urgency": "urgent", "severity": "severe", "certainty": "certain"}


def _area_findings(info: Info, context: ValidationContext, path: str) -> list[Finding]:
    findings = []
    for area_index, area in enumerate(info.areas):
        area_path = f"{path}.area[{area_index}]"
        for index, polygon in enumerate(area.polygons):
            _, polygon_findings = repair_polygon(
                polygon.points, max_points=context.max_polygon_points, path=f"{area_path}.polygon[{index}]"
            )
            findings += polygon_findings
        for index, circle in enumerate(area.circles):
            lat, lon = circle.center
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not circle.radius_km > 0:
                findings.append(
                    error(
                        "circle.invalid",
                        "a circle needs a centre inside -90…90 / -180…180 and a radius above 0 km",
                        f"{area_path}.circle[{index}]",
                    )
                )
        if not (area.polygons or area.circles or area.geocodes):
            findings.append(
                warning(
                    "area.no_geometry",
                    "the area has only a description: add a polygon, "
                    "circle or geocode so it can be mapped and targeted",
                    area_path,
                )
            )
    return findings


def is_absolute_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in value)


def _contains(known: KnownAlerts, sender: str, identifier: str) -> bool:
    if callable(known):
        return bool(known(sender, identifier))
    return (sender, identifier) in known


def _later(first: datetime, second: datetime, allowance: timedelta) -> bool:
    """Is ``first`` later than ``second`` by more than ``allowance``?"""
    return first - second > allowance


def _is_naive(moment: datetime | None) -> bool:
    return moment is not None and moment.utcoffset() is None


def reference_of(alert: Alert) -> Reference:
    """The :class:`Reference` a later Update or Cancel uses to point at ``alert``."""
    return Reference(sender=alert.sender, identifier=alert.identifier, sent=alert.sent)
