"""Public outputs, no login: Atom and RSS index feeds, each alert's signed CAP XML, GeoJSON, a map page.

Conditional GET everywhere: ETag and Last-Modified come from the feed version (one small query);
an unchanged feed answers 304 without rendering anything.
"""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_GET

from hushdor.apps.alerts import selectors
from hushdor.apps.alerts.public_feeds import feed_bytes
from hushdor.apps.places import selectors as places_selectors

CAP_MIME = "application/cap+xml"
PUBLIC_CACHE = "public, max-age=30"


def _state(request: HttpRequest):
    if not hasattr(request, "_hushdor_feed_state"):
        request._hushdor_feed_state = selectors.feed_version()
    return request._hushdor_feed_state


def _feed_etag(kind: str):
    return lambda request, *args, **kwargs: f'"{kind}-{_state(request).version}-{request.LANGUAGE_CODE}"'


def _feed_modified(request: HttpRequest, *args, **kwargs):
    return _state(request).changed_at


def _feed_view(kind: str, content_type: str):
    @require_GET
    @condition(etag_func=_feed_etag(kind), last_modified_func=_feed_modified)
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse(feed_bytes(kind, request, _state(request).version), content_type=content_type)
        response["Cache-Control"] = PUBLIC_CACHE
        response["Access-Control-Allow-Origin"] = "*"
        return response

    view.__name__ = f"feed_{kind}"
    return view


feed_atom = _feed_view("atom", "application/atom+xml; charset=utf-8")
feed_rss = _feed_view("rss", "application/rss+xml; charset=utf-8")
alerts_geojson = _feed_view("geojson", "application/geo+json")


def _xml_etag(request: HttpRequest, identifier: str) -> str | None:
    alert = selectors.alert_by_identifier(identifier)
    request._hushdor_alert = alert
    return f'"{hashlib.sha256(bytes(alert.signed_xml)).hexdigest()[:32]}"' if alert else None


@require_GET
@condition(etag_func=_xml_etag)
def alert_xml(request: HttpRequest, identifier: str) -> HttpResponse:
    alert = getattr(request, "_hushdor_alert", None) or selectors.alert_by_identifier(identifier)
    if alert is None:
        raise Http404("no such alert")
    response = HttpResponse(bytes(alert.signed_xml), content_type=CAP_MIME)
    response["Cache-Control"] = "public, max-age=86400, immutable"
    response["Access-Control-Allow-Origin"] = "*"
    return response


PUBLIC_BASEMAP = ("country", "neighbours")


@require_GET
def basemap_geojson(request: HttpRequest, name: str) -> HttpResponse:
    """The country outline and its neighbours (public-domain Natural Earth) behind the public map."""
    if name not in PUBLIC_BASEMAP:
        raise Http404(name)
    response = HttpResponse(places_selectors.layer_geojson(name), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def public_page(request: HttpRequest) -> HttpResponse:
    language = request.LANGUAGE_CODE
    alerts = [(alert, selectors.info_in(alert, language)) for alert in selectors.alerts_active()]
    return render(request, "alerts/public.html", {"alerts": alerts})
