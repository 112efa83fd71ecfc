"""Prometheus lines for places (registered with `hushdor.web.metrics` in the app's ready())."""

from __future__ import annotations

from collections.abc import Iterable

from hushdor.apps.places.models import District, Region, Settlement
from hushdor.apps.places.selectors import places_info


def places_metric_lines() -> Iterable[str]:
    from hushdor.web import metrics

    yield from metrics.family("hushdor_places_areas", "gauge", "Regions and districts in the database.")
    yield metrics.sample("hushdor_places_areas", Region.objects.count(), {"level": "region"})
    yield metrics.sample("hushdor_places_areas", District.objects.count(), {"level": "district"})
    yield from metrics.family("hushdor_places_settlements", "gauge", "Settlements in the database.")
    yield metrics.sample("hushdor_places_settlements", Settlement.objects.count())
    yield from metrics.family("hushdor_population_total", "gauge", "People on the active population grid.")
    yield metrics.sample("hushdor_population_total", float(places_info()["population_total"]))
