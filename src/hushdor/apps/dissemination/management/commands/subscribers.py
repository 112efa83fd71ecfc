"""``hushdor subscribers import FILE.csv [--dry-run]``: institutional subscriber lists, all or nothing.

Columns (a header row; empty cells allowed where the field is optional):
``name,channel,address,language,districts,lat,lon,radius_km,hazards,min_severity,secret`` —
``districts`` and ``hazards`` are lists separated by ``;`` (district or region codes such as
``TJ-GB-RUSHON``; hazards such as ``mudflow;flood``; empty = every hazard); a row needs districts or a
point with a radius. An operator imports lists the institutions vouch for (schools, hospitals, jamoat
heads), so imported subscriptions are confirmed.

Every row is checked; if any row is wrong, nothing is imported and each wrong row is named with its
line number and the field (exit code 2). ``--dry-run`` checks without importing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hushdor.apps.dissemination.services import SubscriptionError, subscription_create
from hushdor.cap.safety import read_limited

COLUMNS = ("name", "channel", "address", "language", "districts", "lat", "lon", "radius_km", "hazards", "min_severity", "secret")
MAX_BYTES = 20 * 1024 * 1024


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Import subscriber lists (CSV), all or nothing"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        imported = actions.add_parser("import", help="import a CSV of subscribers, all or nothing")
        imported.add_argument("file", type=Path)
        imported.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        data, problem = read_limited(options["file"], MAX_BYTES)
        if problem is not None:
            raise CommandError(problem.message, returncode=2)
        try:
            text = (data or b"").decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(f"{options['file']}: not UTF-8 text", returncode=2) from None
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in ("name", "channel", "address") if c not in (reader.fieldnames or [])]
        unknown = [c for c in (reader.fieldnames or []) if c not in COLUMNS]
        if missing or unknown:
            raise CommandError(
                f"{options['file']}: header: "
                + "; ".join(filter(None, [missing and f"missing {', '.join(missing)}", unknown and f"unknown {', '.join(unknown)}"])),
                returncode=2,
            )
        errors: list[str] = []
        count = 0
        try:
            with transaction.atomic():
                for line, row in enumerate(reader, start=2):
                    try:
                        subscription_create(**_fields(row), confirmed=True)
                        count += 1
                    except (SubscriptionError, ValueError) as error:
                        errors.append(f"line {line}: {error}")
                if errors or options["dry_run"]:
                    raise _Rollback
        except _Rollback:
            pass
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} row(s) are wrong: nothing was imported", returncode=2)
        verb = "would be imported (dry run)" if options["dry_run"] else "imported"
        self.stdout.write(f"{count} subscriber(s) {verb}")


def _fields(row: dict) -> dict:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    point = None
    if cell("lat") or cell("lon"):
        try:
            point = (float(cell("lat")), float(cell("lon")))
        except ValueError:
            raise ValueError(f"lat/lon: {cell('lat')!r}, {cell('lon')!r} are not numbers") from None
    try:
        radius = float(cell("radius_km") or 0)
    except ValueError:
        raise ValueError(f"radius_km: {cell('radius_km')!r} is not a number") from None
    return {
        "name": cell("name"),
        "channel": cell("channel"),
        "address": cell("address"),
        "language": cell("language") or "tg",
        "place_codes": [c for c in cell("districts").split(";") if c.strip()],
        "point": point,
        "radius_km": radius,
        "hazards": [h.strip() for h in cell("hazards").split(";") if h.strip()],
        "min_severity": cell("min_severity") or "Minor",
        "secret": cell("secret"),
    }
