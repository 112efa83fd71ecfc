"""A PNG shakemap of an assessment (matplotlib, Agg backend): MMI colours, borders, places, summary box.

Colours: the USGS MMI palette used by ShakeMap 4 and PAGER maps (usgs/earthquake-impact-utils
``impactutils/colors/cpalette.py``, ``MMI``): white below II, then pale blue, light blue, cyan (IV),
green (V), yellow (VI), orange-yellow (VII), orange (VIII), red (IX), dark red (X), interpolated
linearly between integer intensities. Cells outside the computed extent (MMI 0) are left blank.

Alert colours are PAGER's (green/yellow/orange/red). Region borders come from the bundled dataset
(``hushdor.geo.dataset.load_regions``) unless given.

Speed: the figure with everything that does not depend on the event (axes, borders, the largest
settlements' dots, the colour bar) is built once per process and kept; each shakemap sets the MMI raster,
adds the event's own artists, draws once (no second "tight" layout pass: the crop box is measured on the
first drawing) and encodes at zlib level 1.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.image import AxesImage
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
#: margin kept around the drawn content: matplotlib's ``savefig.pad_inches`` default.
PAD_INCHES = 0.1


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


def _rings(geometries: Iterable[BaseGeometry]) -> list[np.ndarray]:
    """The exterior ring of every polygon part, as (x, y) vertex arrays for one LineCollection."""
    rings = []
    for geometry in geometries:
        for part in getattr(geometry, "geoms", [geometry]):
            exterior = getattr(part, "exterior", None)
            if exterior is not None:
                rings.append(np.asarray(exterior.coords)[:, :2])
    return rings


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
    """PNG bytes of the assessment's full-grid MMI with borders, the largest places and a summary box.

    With the bundled borders the event-independent figure is kept per process (see the module
    docstring); explicit ``borders`` get a figure of their own, not kept.
    """
    from hushdor.science.quake.exposure import Exposure as ExposureClass

    exposure = exposure or ExposureClass.bundled()
    if borders is None:
        background = _kept_background(exposure, label_settlements, dpi)
    else:
        background = _Background.build(exposure, list(borders), label_settlements, dpi)
    grid = exposure.grid
    with background.lock:
        background.image.set_data(np.ma.masked_less_equal(assessment.grid_mmi.reshape(grid.shape), 0.0))
        drawn = _draw_event(background.axes, assessment, exposure, label_settlements)
        try:
            return background.png()
        finally:
            for artist in drawn:
                artist.remove()


@dataclass
class _Background:
    """A figure with everything that does not depend on the event, and the raster each event fills."""

    figure: Figure
    axes: Axes
    image: AxesImage
    lock: threading.Lock = field(default_factory=threading.Lock)
    crop: tuple[slice, slice] | None = None

    @classmethod
    def build(
        cls, exposure: Exposure, borders: list[BaseGeometry], label_settlements: int, dpi: int
    ) -> _Background:
        grid = exposure.grid
        figure = Figure(figsize=(10.0, 6.6), dpi=dpi)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        image = axes.imshow(
            np.ma.masked_all(grid.shape),
            cmap=mmi_colormap(),
            vmin=0.0,
            vmax=10.0,
            interpolation="nearest",
            extent=(grid.west, grid.east, grid.south, grid.north),
            origin="upper",
        )
        axes.add_collection(LineCollection(_rings(borders), colors="#404040", linewidths=0.6))
        places = exposure.settlements
        if places.size and label_settlements > 0:
            largest = np.argsort(-places.population)[:label_settlements]
            axes.plot(places.lon[largest], places.lat[largest], "o", markersize=3, color="black")
        axes.set_xlim(grid.west, grid.east)
        axes.set_ylim(grid.south, grid.north)
        axes.set_aspect(1.0 / np.cos(np.radians(0.5 * (grid.south + grid.north))))
        colorbar = figure.colorbar(image, ax=axes, fraction=0.03, pad=0.01, ticks=range(1, 11))
        colorbar.ax.set_yticklabels(ROMAN)
        colorbar.set_label("Intensity (MMI ≈ MSK-64)")
        return cls(figure=figure, axes=axes, image=image)

    def png(self) -> bytes:
        """Draw once, crop to the content (measured on the first drawing, plus a margin), encode."""
        canvas = self.figure.canvas
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())[..., :3]
        if self.crop is None:
            self.crop = _crop_box(self.figure, canvas.get_renderer(), pixels.shape[:2])
        buffer = io.BytesIO()
        # zlib level 1: about 3× faster to encode than the default 6, for a file about 10 % larger.
        PIL.Image.fromarray(np.ascontiguousarray(pixels[self.crop])).save(buffer, "PNG", compress_level=1)
        return buffer.getvalue()


#: kept figures by (exposure id, labelled settlements, dpi); each holds its exposure, so the id stays
#: unique. At most ``KEPT_FIGURES``: a process normally draws with one bundled exposure.
_KEPT: dict[tuple[int, int, int], tuple[Exposure, _Background]] = {}
_KEPT_LOCK = threading.Lock()
KEPT_FIGURES = 2


def _kept_background(exposure: Exposure, label_settlements: int, dpi: int) -> _Background:
    key = (id(exposure), label_settlements, dpi)
    with _KEPT_LOCK:
        kept = _KEPT.get(key)
        if kept is None or kept[0] is not exposure:
            while len(_KEPT) >= KEPT_FIGURES:
                _KEPT.pop(next(iter(_KEPT)))
            kept = _KEPT[key] = (exposure, _Background.build(exposure, _borders(), label_settlements, dpi))
        return kept[1]


def _crop_box(figure: Figure, renderer: RendererBase, shape: tuple[int, int]) -> tuple[slice, slice]:
    """Pixel rows and columns of the drawn content plus ``PAD_INCHES``, as ``savefig(bbox_inches="tight")``."""
    box = figure.get_tightbbox(renderer).padded(PAD_INCHES)
    height, width = shape
    dpi = figure.dpi
    left, right = max(0, int(box.x0 * dpi)), min(width, int(np.ceil(box.x1 * dpi)))
    top, bottom = max(0, int(height - box.y1 * dpi)), min(height, int(np.ceil(height - box.y0 * dpi)))
    return slice(top, bottom), slice(left, right)


def _draw_event(axes: Axes, assessment: Assessment, exposure: Exposure, count: int) -> list[Artist]:
    """The event's own artists on the kept axes (labels, epicentre, summary box, legend), to remove after."""
    drawn: list[Artist] = _label_settlements(axes, assessment, exposure, count)
    event = assessment.event
    drawn += axes.plot(
        event.lon,
        event.lat,
        marker="*",
        markersize=18,
        color="black",
        markeredgecolor="white",
        linestyle="none",
    )
    axes.set_title(  # the axes' own title text, replaced by the next event
        f"M {event.mag:g}, {event.lat:.3f}° N {event.lon:.3f}° E, depth {event.depth_km:g} km — "
        f"model set {assessment.model_set.name} (estimate, not recorded shaking)",
        fontsize=9,
    )
    alert = max((assessment.fatalities.alert, assessment.economic.alert), key=list(ALERT_RGB).index)
    drawn.append(
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
    )
    drawn.append(
        axes.legend(
            handles=[Patch(facecolor=ALERT_RGB[alert], label=f"PAGER-style alert: {alert}")],
            loc="lower left",
            fontsize=8,
        )
    )
    return drawn


def _label_settlements(axes: Axes, assessment: Assessment, exposure: Exposure, count: int) -> list[Artist]:
    places = exposure.settlements
    if places.size == 0 or count <= 0:
        return []
    mmi_by_name = {row["name"]: row["mmi"] for row in assessment.settlements}
    labels: list[Artist] = []
    for k in np.argsort(-places.population)[:count]:
        intensity = mmi_by_name.get(places.name[k])
        label = places.name[k] if intensity is None else f"{places.name[k]} {intensity:.1f}"
        labels.append(
            axes.annotate(
                label, (places.lon[k], places.lat[k]), xytext=(3, 3), textcoords="offset points", fontsize=7
            )
        )
    return labels
