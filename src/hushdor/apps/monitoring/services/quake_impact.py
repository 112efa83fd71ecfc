"""The impact engine as the chain calls it: ``assess(latitude=…, longitude=…, depth_km=…, magnitude=…)``.

Adapts :func:`hushdor.science.quake.impact.assess` to the keyword interface of
``chain.assessment_run`` and returns a plain mapping: the engine's JSON (``to_json()``), with the MMI
≥ IV contours under ``contours_geojson`` and a PNG shakemap under ``shakemap_png`` — the two artefacts
the Assessment row stores. The bundled exposure is loaded once per process.

The PNG comes from ``hushdor.science.quake.shakemap_png.render_shakemap_png`` when that module is
installed; until then from a small built-in map (the MMI field on the 30″ grid with the contours).
"""

from __future__ import annotations

import importlib
import io
from functools import cache
from typing import Any

import numpy as np

from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import Assessment, EarthquakeInput
from hushdor.science.quake.impact import assess as impact_assess

TOP_SETTLEMENTS = 50


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
    assessment = impact_assess(event, bundled_exposure(), contours=True, top_settlements=TOP_SETTLEMENTS)
    result = assessment.to_json()
    result["contours_geojson"] = result.pop("contours", None)
    result["shakemap_png"] = shakemap_png(assessment)
    return result


def shakemap_png(assessment: Assessment) -> bytes | None:
    """G's renderer when installed, else the built-in map; None when the event shakes no grid cell."""
    renderer = _renderer()
    if renderer is not None:
        return renderer(assessment)
    if not np.any(assessment.grid_mmi > 0):
        return None
    return _builtin_png(assessment)


def _renderer():
    try:
        module = importlib.import_module("hushdor.science.quake.shakemap_png")
    except ImportError:
        return None
    return getattr(module, "render_shakemap_png", None)


def _builtin_png(assessment: Assessment) -> bytes:
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure

    grid = bundled_exposure().grid
    field = np.ma.masked_less(assessment.grid_mmi.reshape(grid.shape), 1.0)
    # the USGS ShakeMap intensity legend colours for MMI I..X (earthquake.usgs.gov ShakeMap scale bar)
    colours = ListedColormap(
        [
            "#ffffff",
            "#bfccff",
            "#a0e6ff",
            "#80ffff",
            "#7aff93",
            "#ffff00",
            "#ffc800",
            "#ff9100",
            "#ff0000",
            "#c80000",
        ]
    )
    norm = BoundaryNorm(np.arange(0.5, 11.0, 1.0), colours.N)
    figure = Figure(figsize=(6.4, 4.0), dpi=90)
    axes = figure.add_subplot()
    extent = (grid.west, grid.east, grid.south, grid.north)
    image = axes.imshow(
        field, extent=extent, origin="upper", cmap=colours, norm=norm, interpolation="nearest"
    )
    axes.plot([assessment.event.lon], [assessment.event.lat], marker="*", color="black", markersize=12)
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    axes.set_title(
        f"M {assessment.event.mag:.1f}, depth {assessment.event.depth_km:.0f} km: modelled intensity"
    )
    figure.colorbar(image, ax=axes, ticks=range(1, 11), label="MMI")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
