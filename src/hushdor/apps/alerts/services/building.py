"""Build the CAP model (:mod:`hushdor.cap.model`) of an alert from its database rows.

Every ``<info>`` carries every area, each with the ``<areaDesc>`` of that info's language
(:meth:`AlertArea.description_in`), so each info reads whole in its own language.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import datetime

from django.conf import settings

from hushdor.apps.alerts.models import Alert, AlertArea, AlertInfo, AlertState
from hushdor.cap import model as cap

DEFAULT_SENDER = "coes.tj"


def cap_sender() -> str:
    """The CAP ``<sender>``: ``settings.CAP_SENDER``, else env ``HUSHDOR_CAP_SENDER``, else coes.tj."""
    return getattr(settings, "CAP_SENDER", None) or os.environ.get("HUSHDOR_CAP_SENDER") or DEFAULT_SENDER


def public_base_url() -> str:
    """Absolute base of the public site for ``<web>`` links (env ``HUSHDOR_PUBLIC_URL``); may be empty."""
    return (getattr(settings, "PUBLIC_URL", None) or os.environ.get("HUSHDOR_PUBLIC_URL") or "").rstrip("/")


def cap_alert_of(alert: Alert, *, identifier: str, sent: datetime) -> cap.Alert:
    areas = [(area, cap_area_of(area)) for area in alert.areas.all()]
    infos = tuple(
        cap_info_of(info, tuple(in_language(built, area, info.language) for area, built in areas))
        for info in alert.infos.all()
    )
    return cap.Alert(
        identifier=identifier,
        sender=alert.sender,
        sent=sent,
        status=cap.Status(alert.status),
        msg_type=cap.MsgType(alert.msg_type),
        scope=cap.Scope(alert.scope),
        note=alert.note or None,
        references=references_of(alert),
        infos=infos,
    )


def references_of(alert: Alert) -> tuple[cap.Reference, ...]:
    """Every issued message earlier in the chain, oldest first (CAP 1.2 §3.2.1 references)."""
    if alert.supersedes_id is None:
        return ()
    root_id = alert.lineage_root_id or alert.supersedes_id
    earlier = (
        Alert.objects.filter(lineage_root_id=root_id)
        .exclude(pk=alert.pk)
        .exclude(sent__isnull=True)
        .filter(state__in=[AlertState.ISSUED, AlertState.UPDATED, AlertState.CANCELLED, AlertState.EXPIRED])
        .order_by("sent", "pk")
    )
    return tuple(cap.Reference(sender=a.sender, identifier=a.identifier, sent=a.sent) for a in earlier)


def cap_info_of(info: AlertInfo, areas: tuple[cap.Area, ...]) -> cap.Info:
    web = info.web or _default_web(info)
    return cap.Info(
        language=info.language,
        categories=(cap.Category(info.category),),
        event=info.event,
        response_types=(cap.ResponseType(info.response_type),) if info.response_type else (),
        urgency=cap.Urgency(info.urgency),
        severity=cap.Severity(info.severity),
        certainty=cap.Certainty(info.certainty),
        effective=info.effective,
        onset=info.onset,
        expires=info.expires,
        sender_name=info.sender_name or None,
        headline=info.headline,
        description=info.description or None,
        instruction=info.instruction or None,
        web=web or None,
        contact=info.contact or None,
        parameters=tuple(cap.ValuePair(str(k), str(v)) for k, v in sorted((info.parameters or {}).items())),
        areas=areas,
    )


def cap_area_of(area: AlertArea, *, language: str = "en") -> cap.Area:
    """The ``<area>`` as written into the ``language`` info: its ``<areaDesc>`` in that language."""
    circles = ()
    if area.circle_lat is not None and area.circle_lon is not None and area.radius_km:
        circles = (cap.Circle(center=(area.circle_lat, area.circle_lon), radius_km=area.radius_km),)
    return cap.Area(
        area_desc=area.description_in(language),
        polygons=tuple(
            cap.Polygon(points=tuple((float(a), float(b)) for a, b in ring)) for ring in area.polygons
        ),
        circles=circles,
        geocodes=tuple(cap.ValuePair(name, value) for name, value in area.geocodes),
    )


def in_language(built: cap.Area, area: AlertArea, language: str) -> cap.Area:
    """``built`` (from :func:`cap_area_of`) with the ``<areaDesc>`` of ``language``."""
    return dataclasses.replace(built, area_desc=area.description_in(language))


def _default_web(info: AlertInfo) -> str:
    base = public_base_url()
    return f"{base}/cap/" if base else ""
