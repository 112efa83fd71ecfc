"""Map layers for operators: GeoJSON of regions, districts, settlements and background, and the density PNG."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from hushdor.apps.accounts.decorators import role_required
from hushdor.apps.places import selectors
from hushdor.apps.places.density_image import population_density_png

GEOJSON = "application/geo+json"


def _geojson(text: str) -> HttpResponse:
    response = HttpResponse(text, content_type=GEOJSON)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@role_required("viewer")
def regions(request: HttpRequest) -> HttpResponse:
    return _geojson(selectors.regions_geojson(language=request.LANGUAGE_CODE))


@require_GET
@role_required("viewer")
def districts(request: HttpRequest) -> HttpResponse:
    return _geojson(selectors.districts_geojson(language=request.LANGUAGE_CODE))


@require_GET
@role_required("viewer")
def settlements(request: HttpRequest) -> HttpResponse:
    return _geojson(selectors.settlements_geojson(language=request.LANGUAGE_CODE))


@require_GET
@role_required("viewer")
def layer(request: HttpRequest, name: str) -> HttpResponse:
    if name not in selectors.STATIC_LAYERS:
        raise Http404(name)
    return _geojson(selectors.layer_geojson(name))


@require_GET
@role_required("viewer")
def population_density(request: HttpRequest) -> HttpResponse:
    png, _bounds = population_density_png()
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
