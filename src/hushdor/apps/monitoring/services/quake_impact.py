"""The impact engine as the chain calls it: ``assess(latitude=…, longitude=…, depth_km=…, magnitude=…)``.

Adapts :func:`hushdor.science.quake.impact.assess` to the keyword interface of
``chain.assessment_run`` and returns a plain mapping: the engine's JSON (``to_json()``), with the MMI
≥ V contours (the warning's CAP areas; ``CONTOUR_LEVELS``) under ``contours_geojson``. The bundled
exposure is loaded once per process.

The PNG shakemap is NOT made here: it is not needed to warn, and drawing it (≈ 0.25 s) would delay
the alert. ``shakemap_png_for_inputs`` draws it later, from the Assessment's stored inputs, with
:func:`hushdor.science.quake.shakemap_png.render_shakemap`; the worker job ``monitoring.render_shakemaps``
(``services.shakemaps``) calls it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np

from hushdor.science.quake.contours import mmi_contours
from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import Assessment, EarthquakeInput, stepped_shaking
from hushdor.science.quake.impact import assess as impact_assess
from hushdor.science.quake.shakemap_png import render_shakemap

TOP_SETTLEMENTS = 50
CONTOUR_LEVELS = tuple(range(5, 11))  # V..X: the warning's areas start at V (quake_policy.area_mmi)
# Contours are traced on the full 30″ grid (CONTOUR_STEP = 1; 2 would take every second row and column,
# 60″). bench/quake_contours.py (docs/performance.md): 30″ costs 30–50 ms for M 6.5–6.8 events and
# 130–220 ms for Sarez M7.2 (60″: 11–57 ms), inside the chain's 1 s budget, and its areas hold more of the
# people shaken at or above each level (Rasht M6.5, level VIII: 88 % against 69 %; Sarez level VI: 86 %
# against 75 %): the 60″ grid drops islands under 4 cells and smooths the boundary by ~0.9 km.
CONTOUR_STEP = 1


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

    Traced on every ``CONTOUR_STEP``-th row and column of the box, computed for those cells alone
    (``stepped_shaking``): the chain never pays for the whole 30″ box. The first cell centre is the
    box's (west + half a cell, north − half a cell), and the spacing is ``CONTOUR_STEP`` cells.
    """
    exposure = bundled_exposure()
    grid = exposure.grid
    half = 0.5 * grid.resolution_deg
    return mmi_contours(
        stepped_shaking(assessment.event, exposure, CONTOUR_STEP),
        west=grid.west + half,
        north=grid.north - half,
        resolution=grid.resolution_deg * CONTOUR_STEP,
        levels=CONTOUR_LEVELS,
        threshold_offset=-0.5,
    )


def shakemap_png_for_inputs(inputs: Mapping[str, Any]) -> bytes | None:
    """The PNG shakemap of a stored Assessment's ``inputs`` (latitude, longitude, depth_km, magnitude).

    The MMI grid is not stored with the assessment, so the engine runs again (without settlements'
    ranking); None when nothing shakes on the grid.
    """
    event_input = EarthquakeInput(
        lat=inputs["latitude"],
        lon=inputs["longitude"],
        depth_km=max(0.0, inputs["depth_km"]),
        mag=inputs["magnitude"],
    )
    return shakemap_png(impact_assess(event_input, bundled_exposure(), top_settlements=0))


def shakemap_png(assessment: Assessment) -> bytes | None:
    """The PNG shakemap (USGS MMI colours, borders, settlements, summary); None when nothing shakes."""
    if not np.any(assessment.grid_mmi > 0):
        return None
    return render_shakemap(assessment, bundled_exposure())
