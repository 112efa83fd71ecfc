"""The impact engine as the chain calls it: ``assess(latitude=…, longitude=…, depth_km=…, magnitude=…)``.

Adapts :func:`hushdor.science.quake.impact.assess` to the keyword interface of
``chain.assessment_run`` and returns a plain mapping: the engine's JSON (``to_json()``), with the MMI
≥ V contours (the warning's CAP areas; ``CONTOUR_LEVELS``) under ``contours_geojson``. The bundled
exposure is loaded once per process.

The PNG shakemap is NOT made here: it is not needed to warn, and rendering it (≈ 150 ms) would delay
the alert. ``event_shakemap_store(event_id)`` renders it after the warning and stores it on the
Assessment, drawn by :func:`hushdor.science.quake.shakemap_png.render_shakemap`.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

import numpy as np

from hushdor.science.quake.contours import mmi_contours
from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import Assessment, EarthquakeInput
from hushdor.science.quake.impact import assess as impact_assess
from hushdor.science.quake.shakemap_png import render_shakemap

TOP_SETTLEMENTS = 50
CONTOUR_LEVELS = tuple(range(5, 11))  # V..X: the warning's areas start at V (quake_policy.area_mmi)
# Contours are traced on every second row and column (60″, about 1.8 km): on M 6.8–7.0 test events the
# areas of levels V–VIII stay within 0.5 % of the 30″ contours while tracing is 4–7× faster, and a CAP
# polygon of at most 100 points carries no finer detail anyway.
CONTOUR_STEP = 2


@cache
def bundled_exposure() -> Exposure:
    return Exposure.bundled()


def assess(
    *, latitude: float, longitude: float, depth_km: float, magnitude: float, model_set: str | None = None
) -> dict[str, Any]:
    """The engine's result as a mapping, plus the ``contours_geojson`` and ``shakemap_png`` artefacts."""
    event = EarthquakeInput(
        lat=latitude, lon=longitude, depth_km=depth_km, mag=magnitude, model_set=model_set
    )
    assessment = impact_assess(event, bundled_exposure(), top_settlements=TOP_SETTLEMENTS)
    result = assessment.to_json()
    started = time.perf_counter()
    result["contours_geojson"] = contours(assessment)
    result["timings_ms"]["contours"] = round((time.perf_counter() - started) * 1000.0, 3)
    return result


def contours(assessment: Assessment) -> dict[str, Any]:
    """PAGER-binned MMI contours (level k = intensity rounding to k or more) for ``CONTOUR_LEVELS``.

    The grid's cell centres run from (west + half a cell, north − half a cell); taking every
    ``CONTOUR_STEP``-th row and column keeps that first centre and multiplies the spacing.
    """
    grid = bundled_exposure().grid
    half = 0.5 * grid.resolution_deg
    return mmi_contours(
        assessment.grid_mmi.reshape(grid.shape)[::CONTOUR_STEP, ::CONTOUR_STEP],
        west=grid.west + half,
        north=grid.north - half,
        resolution=grid.resolution_deg * CONTOUR_STEP,
        levels=CONTOUR_LEVELS,
        threshold_offset=-0.5,
    )


def event_shakemap_store(event_id: int) -> bool:
    """Render the PNG shakemap of the event's newest assessment if it has none; True if stored."""
    from hushdor.apps.monitoring.models import Assessment as AssessmentRow
    from hushdor.apps.monitoring.models import SeismicEvent

    event = SeismicEvent.objects.filter(pk=event_id).first()
    if event is None or event.preferred_origin_id is None:
        return False
    row = (
        AssessmentRow.objects.filter(origin_id=event.preferred_origin_id, shakemap_png__isnull=True)
        .order_by("-created_at", "-id")
        .only("pk", "inputs")
        .first()
    )
    if row is None:
        return False
    inputs = row.inputs
    event_input = EarthquakeInput(
        lat=inputs["latitude"],
        lon=inputs["longitude"],
        depth_km=max(0.0, inputs["depth_km"]),
        mag=inputs["magnitude"],
    )
    png = shakemap_png(impact_assess(event_input, bundled_exposure(), top_settlements=0))
    if png is None:
        return False
    return AssessmentRow.objects.filter(pk=row.pk, shakemap_png__isnull=True).update(shakemap_png=png) == 1


def shakemap_png(assessment: Assessment) -> bytes | None:
    """The PNG shakemap (USGS MMI colours, borders, settlements, summary); None when nothing shakes."""
    if not np.any(assessment.grid_mmi > 0):
        return None
    return render_shakemap(assessment, bundled_exposure())
