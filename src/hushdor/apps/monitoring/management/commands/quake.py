"""``hushdor quake``: rapid earthquake impact from the command line (pure computation, no database).

    hushdor quake assess --lat 38.211 --lon 72.780 --depth 22 --mag 7.2 [--strike DEG]
                         [--model-set NAME] [--json] [--png FILE]
    hushdor quake models
    hushdor quake model NAME --imt PGA|PGV|MMI --mag M [--depth H] [--repi|--rhypo|--rjb|--rrup KM]
                        [--vs30 V] [--rake DEG] [--json]
    hushdor quake batch FILE.csv [--out OUT.csv]

Bad input: one line on stderr and exit code 2.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from hushdor.science.quake.distances import InvalidEventError
from hushdor.science.quake.impact import Assessment, EarthquakeInput, assess
from hushdor.science.quake.model_sets import MODEL_SETS, UnknownModelSetError
from hushdor.science.quake.models import MODELS, QuakeModelError, get_model

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
PERCEIVED = (
    "Not felt",
    "Weak",
    "Weak",
    "Light",
    "Moderate",
    "Strong",
    "Very strong",
    "Severe",
    "Violent",
    "Extreme",
)
ALERT_STYLE = {
    "green": "bold green",
    "yellow": "bold yellow",
    "orange": "bold dark_orange",
    "red": "bold red",
}
DISTANCE_FLAGS = ("repi", "rhypo", "rjb", "rrup")


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Earthquake rapid impact: assess an event, list or evaluate models, assess a CSV of events."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{assess,models,model,batch}")
        one = actions.add_parser("assess", help="impact of one event")
        one.add_argument("--lat", type=float, required=True, help="epicentre latitude (degrees)")
        one.add_argument("--lon", type=float, required=True, help="epicentre longitude (degrees)")
        one.add_argument("--depth", type=float, required=True, help="hypocentral depth (km)")
        one.add_argument("--mag", type=float, required=True, help="moment magnitude")
        one.add_argument("--strike", type=float, default=None, help="strike (degrees): line source")
        one.add_argument("--model-set", default=None, help=f"one of: {', '.join(MODEL_SETS)}")
        one.add_argument("--json", action="store_true", help="print the assessment as JSON")
        one.add_argument("--contours", action="store_true", help="include MMI contours (GeoJSON) in the JSON")
        one.add_argument("--png", default=None, help="write a PNG shakemap to this file")
        actions.add_parser("models", help="list the ground-motion and intensity models")
        single = actions.add_parser("model", help="evaluate one model at one site")
        single.add_argument("name", help="OpenQuake class name, e.g. BooreEtAl2014HighQ")
        single.add_argument("--imt", required=True, help="PGA, PGV or MMI (or SA(T))")
        single.add_argument("--mag", type=float, required=True)
        single.add_argument("--depth", type=float, default=10.0, help="hypocentral depth (km), default 10")
        for flag in DISTANCE_FLAGS:
            single.add_argument(f"--{flag}", type=float, default=None, help=f"{flag} distance (km)")
        single.add_argument("--vs30", type=float, default=760.0)
        single.add_argument("--rake", type=float, default=0.0)
        single.add_argument("--json", action="store_true")
        many = actions.add_parser("batch", help="assess every event of a CSV (lat, lon, depth_km, mag, ...)")
        many.add_argument("file", help="input CSV")
        many.add_argument("--out", default=None, help="output CSV (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "assess":
            self._assess(options)
        elif action == "models":
            self._models()
        elif action == "model":
            self._model(options)
        else:
            self._batch(options)

    # -- assess ---------------------------------------------------------------------------------
    def _assess(self, options: dict[str, Any]) -> None:
        event = EarthquakeInput(
            lat=options["lat"],
            lon=options["lon"],
            depth_km=options["depth"],
            mag=options["mag"],
            strike=options["strike"],
            model_set=options["model_set"],
        )
        try:
            assessment = assess(event, contours=options["contours"])
        except (InvalidEventError, UnknownModelSetError) as error:
            raise _fail(str(error)) from error
        if options["png"]:
            from hushdor.science.quake.shakemap_png import render_shakemap

            try:
                Path(options["png"]).write_bytes(render_shakemap(assessment))
            except OSError as error:
                raise _fail(f"cannot write {options['png']}: {error.strerror}") from error
        if options["json"]:
            self.stdout.write(json.dumps(assessment.to_json(), ensure_ascii=False))
            return
        _print_assessment(Console(file=self.stdout, width=110), assessment)

    # -- models ---------------------------------------------------------------------------------
    def _models(self) -> None:
        table = Table(title="Ground-motion and intensity models")
        for column in ("name", "IMTs", "distance", "reference"):
            table.add_column(column)
        for name, model in MODELS.items():
            imts = sorted(model.imts)
            shown = ", ".join(
                imts if len(imts) <= 4 else [*[i for i in imts if not i.startswith("SA")], "SA(T)…"]
            )
            module = sys.modules[type(model).__module__]
            reference = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
            table.add_row(name, shown, model.distance, reference)
        Console(file=self.stdout, width=160).print(table)

    # -- model ----------------------------------------------------------------------------------
    def _model(self, options: dict[str, Any]) -> None:
        try:
            model = get_model(options["name"])
        except QuakeModelError as error:
            raise _fail(str(error)) from error
        given = {flag: options[flag] for flag in DISTANCE_FLAGS if options[flag] is not None}
        if len(given) != 1:
            raise _fail(f"give exactly one distance (--{model.distance} for {model.name}); got {len(given)}")
        (metric, value), depth = next(iter(given.items())), options["depth"]
        distance = _point_source_distance(metric, value, model.distance, depth)
        try:
            prediction = model.predict(
                options["imt"],
                mag=options["mag"],
                distance=distance,
                hypo_depth=depth,
                vs30=options["vs30"],
                rake=options["rake"],
            )
        except QuakeModelError as error:
            raise _fail(str(error)) from error
        imt = options["imt"].strip().upper()
        mean = float(prediction.mean)
        natural = mean if imt == "MMI" else math.exp(mean)
        unit = "intensity" if imt == "MMI" else ("cm/s" if imt == "PGV" else "g")
        document = {
            "model": model.name,
            "imt": imt,
            "mag": options["mag"],
            "depth_km": depth,
            "distance_metric": model.distance,
            "distance_km": distance,
            "vs30": options["vs30"],
            "rake": options["rake"],
            "mean": natural,
            "unit": unit,
            "sigma_total": float(prediction.sigma_total),
            "sigma_unit": "intensity" if imt == "MMI" else "ln",
        }
        if options["json"]:
            self.stdout.write(json.dumps(document))
            return
        self.stdout.write(
            f"{model.name} {imt}: mean {natural:.5g} {unit}, sigma_total {document['sigma_total']:.4f} "
            f"({document['sigma_unit']}) at {model.distance} {distance:g} km, M {options['mag']:g}"
        )

    # -- batch ----------------------------------------------------------------------------------
    def _batch(self, options: dict[str, Any]) -> None:
        from hushdor.science.quake.batch import OUTPUT_COLUMNS, BatchInputError, assess_row, read_events
        from hushdor.science.quake.exposure import Exposure

        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8", newline="") as stream:
                rows = list(read_events(stream))
        except OSError as error:
            raise _fail(f"cannot read {path}: {error.strerror}") from error
        except (BatchInputError, UnicodeDecodeError, csv.Error) as error:
            raise _fail(f"{path}: {error}") from error
        exposure = Exposure.bundled()
        results, bad = [], 0
        with Progress(console=Console(file=sys.stderr), transient=True) as progress:
            task = progress.add_task("assessing", total=len(rows))
            for row in rows:
                result = assess_row(row, exposure)
                if result.get("error"):
                    bad += 1
                    self.stderr.write(str(result["error"]))
                results.append(result)
                progress.advance(task)
        if options["out"]:
            try:
                with Path(options["out"]).open("w", encoding="utf-8", newline="") as out:
                    _write_rows(out, results, OUTPUT_COLUMNS)
            except OSError as error:
                raise _fail(f"cannot write {options['out']}: {error.strerror}") from error
        else:
            _write_rows(self.stdout, results, OUTPUT_COLUMNS)
        if bad:
            raise _fail(f"{bad} of {len(rows)} row(s) could not be assessed (listed above); the others were")


def _write_rows(out: Any, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def _point_source_distance(metric: str, value: float, wanted: str, depth: float) -> float:
    """Convert a given distance to the model's metric with point-source relations (rjb = repi)."""
    if not (math.isfinite(value) and value >= 0.0):
        raise _fail(f"--{metric} must be a non-negative distance in km, got {value}")
    horizontal = value if metric in ("repi", "rjb") else math.sqrt(max(value * value - depth * depth, 0.0))
    return horizontal if wanted in ("repi", "rjb") else math.hypot(horizontal, depth)


def _print_assessment(console: Console, assessment: Assessment) -> None:
    document = assessment.to_json()
    event = document["event"]
    console.print(
        f"[bold]M {event['mag']:g}[/], {event['lat']:.3f} N {event['lon']:.3f} E, depth {event['depth_km']:g} km "
        f"— model set [bold]{document['model_set']}[/] ({document['regime']})"
    )
    fatal, econ = document["fatalities"], document["economic"]
    console.print(
        f"Fatalities: [{ALERT_STYLE[fatal['alert']]}]{fatal['alert'].upper()}[/] (expected {fatal['expected']:.1f})   "
        f"Economic: [{ALERT_STYLE[econ['alert']]}]{econ['alert'].upper()}[/] (expected US$ {econ['expected'] / 1e6:,.1f} M)"
        f"   Max MMI (populated): {document['max_mmi'] if document['max_mmi'] is not None else '—'}"
    )
    exposure = Table(title="Population exposed per intensity (PAGER bins; Tajikistan only)")
    exposure.add_column("MMI")
    exposure.add_column("perceived shaking")
    exposure.add_column("population", justify="right")
    for k in range(10, 0, -1):
        exposure.add_row(ROMAN[k - 1], PERCEIVED[k - 1], f"{document['exposure_by_mmi'][str(k)]:,}")
    console.print(exposure)
    regions = Table(title="Regions")
    for column in ("region", "population", "MMI ≥ V", "MMI ≥ VI", "max MMI"):
        regions.add_column(column, justify="left" if column == "region" else "right")
    for row in document["regions"]:
        regions.add_row(
            row["name"],
            f"{row['population']:,}",
            f"{row['exposed_mmi5_plus']:,}",
            f"{row['exposed_mmi6_plus']:,}",
            "—" if row["max_mmi"] is None else f"{row['max_mmi']:.1f}",
        )
    console.print(regions)
    places = Table(title="Most shaken settlements")
    for column in ("settlement", "region", "MMI", "± σ", "population", "km"):
        places.add_column(column, justify="left" if column in ("settlement", "region") else "right")
    for row in document["settlements"][:10]:
        places.add_row(
            row["name"],
            row["region"] or "",
            f"{row['mmi']:.1f}",
            f"{row['sigma'] or 0:.2f}",
            f"{row['population']:,}",
            f"{row['distance_km']:.0f}",
        )
    console.print(places)
    for note in document["notes"]:
        console.print(f"• {note}")
    timings = document["timings_ms"]
    console.print(
        f"computed in {timings['total']:.1f} ms ({', '.join(f'{k} {v:.1f}' for k, v in timings.items() if k != 'total')})"
    )
