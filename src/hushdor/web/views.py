"""Operator pages: home and the map. Thin: they render templates around selectors' data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from hushdor.apps.accounts.decorators import role_required
from hushdor.geo.grid import working_grid
from hushdor.web.health import healthz, metrics_view, readyz

__all__ = ["healthz", "home", "map_page", "metrics_view", "readyz"]


@require_GET
@role_required("viewer")
def home(request: HttpRequest) -> HttpResponse:
    return redirect("monitoring:dashboard")


@require_GET
@role_required("viewer")
def map_page(request: HttpRequest) -> HttpResponse:
    grid = working_grid()
    config = {
        "bounds": [[grid.south, grid.west], [grid.north, grid.east]],
        "center": [38.7, 71.0],
        "zoom": 7,
        "urls": {
            "regions": reverse("places:regions"),
            "districts": reverse("places:districts"),
            "settlements": reverse("places:settlements"),
            "population": reverse("places:population-density"),
            **{
                name: reverse("places:layer", args=[name])
                for name in ("country", "neighbours", "rivers", "lakes")
            },
        },
    }
    return render(request, "web/map.html", {"map_config": config, "map_text": _map_text()})


def _map_text() -> dict[str, str]:
    """Words the map script shows, translated here so the script carries no language of its own."""
    return {
        "regions": gettext("Regions"),
        "districts": gettext("Districts"),
        "settlements": gettext("Settlements"),
        "population": gettext("Population density"),
        "country": gettext("Tajikistan"),
        "neighbours": gettext("Neighbouring countries"),
        "rivers": gettext("Rivers"),
        "lakes": gettext("Lakes"),
        "people": gettext("people"),
        "district": gettext("District"),
        "region": gettext("Region"),
        "failed": gettext("A map layer could not be loaded"),
    }
