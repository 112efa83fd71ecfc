"""A situation report as PDF (ReportLab): header, map, situation, figures per district, needs,
assistance, actions and the next report time.

Cyrillic needs a font that has it: DejaVu Sans, taken from matplotlib's own data folder (matplotlib
is a dependency and ships DejaVu under its licence; no system font or download is needed). The map is
drawn by :func:`district_map_png` with matplotlib (Agg) from plain polygons. Every label comes from
the caller (``labels``) already translated, so this module stays free of Django.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from hushdor.edxl.sitrep import SitrepDocument

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"

# Default English labels; the caller passes its translation of each.
LABELS = {
    "title": "Situation report No. {number}",
    "exercise": "EXERCISE — EXERCISE — EXERCISE",
    "incident": "Incident",
    "period": "Period",
    "prepared": "Prepared by",
    "authorized": "Authorised by",
    "situation": "Situation",
    "figures": "Figures per district (change since the previous report)",
    "district": "District",
    "source": "Source",
    "needs": "Needs outstanding",
    "need": "Need",
    "requested": "Requested",
    "accepted": "Accepted",
    "outstanding": "Outstanding",
    "assistance": "International assistance",
    "partner": "Partner",
    "item": "Item",
    "quantity": "Quantity",
    "state": "State",
    "actions": "Actions taken",
    "next": "Next report",
    "none": "none",
    "total": "Total",
    "map": "Affected districts",
    "model": "Model",
}


@cache
def _fonts() -> None:
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))


def district_map_png(
    outlines: Sequence[tuple[Sequence[Sequence[tuple[float, float]]], int]],
    points: Sequence[tuple[float, float, str]] = (),
    *,
    width_px: int = 900,
) -> bytes:
    """A small map: each outline is (rings of (lon, lat), shade) with shade 0 (not affected), 1 (in
    the warning area) or 2 (reporting figures); points are (lon, lat, label)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    figure = Figure(figsize=(width_px / 150, width_px / 150 * 0.55), dpi=150)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    xs, ys = [], []
    for rings, highlighted in outlines:
        for ring in rings:
            axes.add_patch(
                Polygon(
                    ring,
                    closed=True,
                    facecolor=("#f2f2f2", "#fddbc7", "#d6604d")[highlighted],
                    edgecolor="#555555",
                    linewidth=0.5,
                )
            )
            xs += [x for x, _y in ring]
            ys += [y for _x, y in ring]
    for lon, lat, label in points:
        axes.plot([lon], [lat], marker="*", color="#b2182b", markersize=12)
        axes.annotate(label, (lon, lat), xytext=(6, 4), textcoords="offset points", fontsize=7)
        xs.append(lon)
        ys.append(lat)
    if xs:
        axes.set_xlim(min(xs) - 0.1, max(xs) + 0.1)
        axes.set_ylim(min(ys) - 0.1, max(ys) + 0.1)
    axes.set_aspect(1.25)  # about 1/cos(38°): Tajikistan's latitude
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def render(
    document: SitrepDocument,
    *,
    labels: Mapping[str, str] | None = None,
    figure_labels: Mapping[str, str] | None = None,
    map_png: bytes | None = None,
) -> bytes:
    """The report as PDF bytes."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts()
    text = {**LABELS, **(labels or {})}
    names = dict(figure_labels or {})
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    heading = ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20)
    banner = ParagraphStyle("banner", parent=body, fontName=FONT_BOLD, textColor=colors.HexColor("#b2182b"))

    def para(value: str, style=body) -> Paragraph:
        return Paragraph(escape(value).replace("\n", "<br/>"), style)

    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, 8),
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story = []
    if document.exercise:
        story.append(para(text["exercise"], banner))
    story.append(para(text["title"].format(number=document.number), title))
    story.append(para(document.title, heading))
    story.append(
        para(
            f"{text['incident']}: {document.incident_id}\n"
            f"{text['period']}: {document.period_from:%Y-%m-%d %H:%M %Z} – {document.period_to:%Y-%m-%d %H:%M %Z}\n"
            f"{text['prepared']}: {document.prepared_by} · {text['authorized']}: {document.authorized_by or '—'}",
            small,
        )
    )
    if map_png:
        story.append(Spacer(1, 4 * mm))
        image = Image(io.BytesIO(map_png))
        scale = (170 * mm) / image.imageWidth
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        story.append(image)
        story.append(para(text["map"], small))
    story += [para(text["situation"], heading), para(document.situation or text["none"])]

    story.append(para(text["figures"], heading))
    kinds = [k for k in names if any(k in d.values for d in document.figures)] or sorted(
        {k for d in document.figures for k in d.values}
    )
    if document.figures:
        with_model = any(d.model for d in document.figures)
        rows = [[text["district"], *[names.get(k, k) for k in kinds], text["source"], *([text["model"]] if with_model else [])]]
        totals = dict.fromkeys(kinds, 0)
        for district in document.figures:
            cells = []
            for kind in kinds:
                value = district.values.get(kind)
                change = district.changes.get(kind)
                totals[kind] += value or 0
                cell = "" if value is None else f"{value:,}"
                if change:
                    cell += f" ({change:+,})"
                cells.append(cell)
            rows.append([district.name or district.code, *cells, district.source, *([district.model] if with_model else [])])
        rows.append([text["total"], *[f"{totals[k]:,}" for k in kinds], "", *([""] if with_model else [])])
        tiny = ParagraphStyle("tiny", parent=small, fontSize=7, leading=8.5)
        model_width = 24 if with_model else 0
        share = (174 - 26 - 28 - model_width) * mm / max(len(kinds), 1)
        table = Table(
            [[para(str(c), tiny) for c in row] for row in rows],
            repeatRows=1,
            colWidths=(26 * mm, *([share] * len(kinds)), 28 * mm, *([model_width * mm] if with_model else [])),
        )
        table.setStyle(grid)
        story.append(table)
    if document.model_note:
        story.append(para(document.model_note, small))
    else:
        story.append(para(text["none"]))

    story.append(para(text["needs"], heading))
    if document.needs:
        rows = [[text["need"], text["requested"], text["accepted"], text["outstanding"]]]
        rows += [[n.name, f"{n.requested} {n.unit}", n.accepted, n.outstanding] for n in document.needs]
        table = Table(rows, repeatRows=1, colWidths=(80 * mm, 30 * mm, 30 * mm, 30 * mm))
        table.setStyle(grid)
        story.append(table)
    else:
        story.append(para(text["none"]))

    story.append(para(text["assistance"], heading))
    if document.assistance:
        rows = [[text["partner"], text["item"], text["quantity"], text["state"]]]
        rows += [[a.partner, a.item, a.quantity, a.state] for a in document.assistance]
        table = Table([[para(str(c), small) for c in row] for row in rows], repeatRows=1)
        table.setStyle(grid)
        story.append(table)
    else:
        story.append(para(text["none"]))

    story += [para(text["actions"], heading), para(document.actions or text["none"])]
    if document.next_report_at is not None:
        story.append(para(f"{text['next']}: {document.next_report_at:%Y-%m-%d %H:%M %Z}", heading))

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=text["title"].format(number=document.number),
        author=document.prepared_by,
        subject=document.title,
        invariant=1,
    ).build(story)
    return out.getvalue()
