"""Render the public outputs (Atom, RSS, GeoJSON) once per feed version and cache the bytes.

The cache key holds the feed version, which bumps in the same transaction as every issue, cancel and
expiry, so a cached document is never stale and each version is rendered once per process (and per
host name, since the feeds carry absolute URLs).
"""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from hushdor.apps.alerts import selectors
from hushdor.apps.alerts.models import Alert, AlertArea
from hushdor.cap.feeds import FeedEntry, atom_feed, rss_feed

CACHE_SECONDS = 24 * 3600
FEED_TITLE = "Hushdor — active CAP alerts"


def feed_bytes(kind: str, request: HttpRequest, version: int) -> bytes:
    key = f"hushdor:cap:{kind}:{version}:{request.get_host()}:{request.LANGUAGE_CODE}"
    cached = cache.get(key)
    if cached is None:
        cached = _RENDERERS[kind](request)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def alert_xml_url(request: HttpRequest, alert: Alert) -> str:
    return request.build_absolute_uri(reverse("cap:alert-xml", args=[alert.identifier]))


def _entries(request: HttpRequest) -> list[FeedEntry]:
    entries = []
    for alert in selectors.alerts_active():
        info = selectors.info_in(alert, "en")
        entries.append(
            FeedEntry(
                identifier=alert.identifier,
                headline=info.headline if info else alert.identifier,
                sent=alert.sent,
                url=alert_xml_url(request, alert),
                summary=info.description if info else "",
                author=alert.sender,
            )
        )
    return entries


def _atom(request: HttpRequest) -> bytes:
    state = selectors.feed_version()
    return atom_feed(
        _entries(request),
        feed_id=request.build_absolute_uri(reverse("cap:public")),
        title=FEED_TITLE,
        self_url=request.build_absolute_uri(reverse("cap:feed-atom")),
        updated=state.changed_at,
    ).content


def _rss(request: HttpRequest) -> bytes:
    state = selectors.feed_version()
    return rss_feed(
        _entries(request),
        feed_id=request.build_absolute_uri(reverse("cap:public")),
        title=FEED_TITLE,
        self_url=request.build_absolute_uri(reverse("cap:feed-rss")),
        updated=state.changed_at,
    ).content


def _geojson(request: HttpRequest) -> bytes:
    features = []
    for alert in selectors.alerts_active():
        texts = {
            info.language: {"headline": info.headline, "event": info.event, "instruction": info.instruction}
            for info in alert.infos.all()
        }
        properties = {
            "identifier": alert.identifier,
            "msgType": alert.msg_type,
            "hazard": alert.hazard,
            "severity": alert.severity,
            "sent": alert.sent.isoformat(),
            "expires": alert.expires.isoformat() if alert.expires else None,
            "url": alert_xml_url(request, alert),
            "texts": texts,
        }
        for area in alert.areas.all():
            for ring in area.polygons:
                geometry = {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in ring]]}
                features.append(_feature(geometry, properties, area))
            if area.circle_lat is not None and area.radius_km:
                geometry = {"type": "Point", "coordinates": [area.circle_lon, area.circle_lat]}
                features.append(_feature(geometry, {**properties, "radius_km": area.radius_km}, area))
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def _feature(geometry: dict, properties: dict, area: AlertArea) -> dict:
    """One area of an alert; ``area`` is its English description, each ``texts[language]["area"]``
    the description of that language's info."""
    texts = {
        language: {**text, "area": area.description_in(language)}
        for language, text in properties["texts"].items()
    }
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {**properties, "texts": texts, "area": area.description},
    }


_RENDERERS = {"atom": _atom, "rss": _rss, "geojson": _geojson}
