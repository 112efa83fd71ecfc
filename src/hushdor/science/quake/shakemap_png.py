"""A PNG shakemap of an assessment (matplotlib, Agg backend): MMI colours, borders, places, summary box.

Colours: the USGS MMI palette used by ShakeMap 4 and PAGER maps (usgs/earthquake-impact-utils
``impactutils/colors/cpalette.py``, ``MMI``): white below II, then pale blue, light blue, cyan (IV),
green (V), yellow (VI), orange-yellow (VII), orange (VIII), red (IX), dark red (X), interpolated
linearly between integer intensities. Cells outside the computed extent (MMI 0) are left blank.

Alert colours are PAGER's (green/yellow/orange/red). Region borders come from the bundled dataset
(``hushdor.geo.dataset.load_regions``) unless given. Rendering the 540 × 948 grid takes well under a
second.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Patch

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from hushdor.science.quake.exposure import Exposure
    from hushdor.science.quake.impact import Assessment

#: usgs/earthquake-impact-utils impactutils/colors/cpalette.py, MMI: colour at MMI 1, 2, ..., 10.
USGS_MMI_RGB = (
    (255, 255, 255),
    (191, 204, 255),
    (160, 230, 255),
    (128, 255, 255),
    (122, 255, 147),
    (255, 255, 0),
    (255, 200, 0),
    (255, 145, 0),
    (255, 0, 0),
    (200, 0, 0),
)
ALERT_RGB = {"green": "#00b050", "yellow": "#ffd700", "orange": "#ff8c00", "red": "#e00000"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def mmi_colormap() -> LinearSegmentedColormap:
    """MMI 0..10 → colour; 0..1 white, then the USGS table between integer intensities."""
    stops = [(0.0, (1.0, 1.0, 1.0))] + [
        (mmi / 10.0, tuple(channel / 255.0 for channel in rgb))
        for mmi, rgb in enumerate(USGS_MMI_RGB, start=1)
    ]
    return LinearSegmentedColormap.from_list("usgs_mmi", stops, N=1001)  # 0.01 MMI steps


def _borders() -> list[BaseGeometry]:
    from hushdor.geo.dataset import load_regions

    return [region.geometry for region in load_regions()]


def _draw_geometry(axes: Any, geometry: BaseGeometry) -> None:
    parts = getattr(geometry, "geoms", [geometry])
    for part in parts:
        exterior = getattr(part, "exterior", None)
        if exterior is None:
            continue
        x, y = exterior.xy
        axes.plot(x, y, color="#404040", linewidth=0.6)


def _summary(assessment: Assessment) -> str:
    exposure = assessment.exposure_by_mmi
    lines = [
        f"Fatalities: {assessment.fatalities.alert.upper()} (expected {assessment.fatalities.expected:.1f})",
        f"Economic: {assessment.economic.alert.upper()} (US$ {assessment.economic.expected / 1e6:,.1f} M)",
        "Population per MMI (Tajikistan only):",
    ]
    lines += [f"  {ROMAN[k - 1]:>4}: {exposure[str(k)]:>10,}" for k in range(10, 3, -1) if exposure[str(k)]]
    if assessment.steep_slope.flagged:
        lines.append(f"Steep slopes at ≥ VI: {assessment.steep_slope.population:,.0f} people (landslides)")
    return "\n".join(lines)


def render_shakemap(
    assessment: Assessment,
    exposure: Exposure | None = None,
    *,
    borders: Iterable[BaseGeometry] | None = None,
    label_settlements: int = 12,
    dpi: int = 110,
) -> bytes:
    """PNG bytes of the assessment's full-grid MMI with borders, the largest places and a summary box."""
    from hushdor.science.quake.exposure import Exposure as ExposureClass

    exposure = exposure or ExposureClass.bundled()
    grid = exposure.grid
    field = np.ma.masked_less_equal(assessment.grid_mmi.reshape(grid.shape), 0.0)
    figure, axes = plt.subplots(figsize=(10.0, 6.6), dpi=dpi)
    try:
        image = axes.imshow(
            field,
            cmap=mmi_colormap(),
            vmin=0.0,
            vmax=10.0,
            interpolation="nearest",
            extent=(grid.west, grid.east, grid.south, grid.north),
            origin="upper",
        )
        for geometry in borders if borders is not None else _borders():
            _draw_geometry(axes, geometry)
        _draw_settlements(axes, assessment, exposure, label_settlements)
        event = assessment.event
        axes.plot(
            event.lon,
            event.lat,
            marker="*",
            markersize=18,
            color="black",
            markeredgecolor="white",
            linestyle="none",
        )
        axes.set_xlim(grid.west, grid.east)
        axes.set_ylim(grid.south, grid.north)
        axes.set_aspect(1.0 / np.cos(np.radians(0.5 * (grid.south + grid.north))))
        axes.set_title(
            f"M {event.mag:g}, {event.lat:.3f}° N {event.lon:.3f}° E, depth {event.depth_km:g} km — "
            f"model set {assessment.model_set.name} (estimate, not recorded shaking)",
            fontsize=9,
        )
        alert = max((assessment.fatalities.alert, assessment.economic.alert), key=list(ALERT_RGB).index)
        axes.text(
            0.99,
            0.99,
            _summary(assessment),
            transform=axes.transAxes,
            ha="right",
            va="top",
            fontsize=7.5,
            family="monospace",
            bbox={
                "boxstyle": "round",
                "facecolor": "white",
                "edgecolor": ALERT_RGB[alert],
                "linewidth": 3,
                "alpha": 0.9,
            },
        )
        colorbar = figure.colorbar(image, ax=axes, fraction=0.03, pad=0.01, ticks=range(1, 11))
        colorbar.ax.set_yticklabels(ROMAN)
        colorbar.set_label("Intensity (MMI ≈ MSK-64)")
        axes.legend(
            handles=[Patch(facecolor=ALERT_RGB[alert], label=f"PAGER-style alert: {alert}")],
            loc="lower left",
            fontsize=8,
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _draw_settlements(axes: Any, assessment: Assessment, exposure: Exposure, count: int) -> None:
    places = exposure.settlements
    if places.size == 0 or count <= 0:
        return
    mmi_by_name = {row["name"]: row["mmi"] for row in assessment.settlements}
    for k in np.argsort(-places.population)[:count]:
        axes.plot(places.lon[k], places.lat[k], marker="o", markersize=3, color="black", linestyle="none")
        intensity = mmi_by_name.get(places.name[k])
        label = places.name[k] if intensity is None else f"{places.name[k]} {intensity:.1f}"
        axes.annotate(
            label, (places.lon[k], places.lat[k]), xytext=(3, 3), textcoords="offset points", fontsize=7
        )
