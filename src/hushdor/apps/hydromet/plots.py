"""Time-series plots of a station's variable as PNG (matplotlib, Agg; no browser charting library).

Thresholds are drawn: a river's return levels (Q2, Q5, Q20) on discharge; for a lake level, the level
24 hours before the last value plus the 0.25 m and 0.5 m alarm rises (the Sarez rule). Observations
that QC flagged are drawn as red crosses: they are shown, never hidden, and they do not trigger rules.
"""

from __future__ import annotations

import io


def series_png(points: list[tuple], *, title: str, unit: str, thresholds: list[tuple[float, str]] = ()) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 2.6), dpi=100)
    axes = figure.add_subplot(1, 1, 1)
    good = [(t, v) for t, v, flag in points if flag == 0 and v is not None]
    flagged = [(t, v) for t, v, flag in points if flag != 0 and v is not None]
    if good:
        axes.plot([t for t, _ in good], [v for _, v in good], color="#1f4e79", linewidth=1.4)
    if flagged:
        axes.plot([t for t, _ in flagged], [v for _, v in flagged], "x", color="#b2182b", label="QC flagged")
    for value, label in thresholds:
        axes.axhline(value, color="#d6604d", linestyle="--", linewidth=0.9)
        axes.annotate(label, (1.0, value), xycoords=("axes fraction", "data"), fontsize=7, ha="right", va="bottom")
    axes.set_title(title, fontsize=9, loc="left")
    axes.set_ylabel(unit, fontsize=8)
    axes.tick_params(labelsize=7)
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
