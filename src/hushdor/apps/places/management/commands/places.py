"""hushdor places load | info [--json] | import-areas FILE | import-settlements FILE | import-population FILE.tif"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hushdor.apps.places import selectors, services
from hushdor.apps.places.errors import PlacesError
from hushdor.geo.errors import GeoError


class Command(BaseCommand):
    help = (
        "Regions, districts, settlements and the population grid: load the bundled data, import, summarise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        actions.add_parser("load", help="load the bundled regions, districts and settlements (idempotent)")
        info = actions.add_parser("info", help="counts and population per region")
        info.add_argument("--json", action="store_true", help="print JSON")
        areas = actions.add_parser(
            "import-areas", help="import regions or districts from GeoJSON or GeoPackage"
        )
        areas.add_argument("file", type=Path)
        areas.add_argument("--level", choices=("region", "district"), default="district")
        areas.add_argument("--code-field", default="code")
        areas.add_argument("--name-field", default="name")
        areas.add_argument("--parent-field", default=None, help="district property holding its region code")
        areas.add_argument("--population-field", default=None)
        areas.add_argument("--name-ru-field", default=None)
        areas.add_argument("--name-tg-field", default=None)
        settlements = actions.add_parser("import-settlements", help="import settlements from CSV or GeoJSON")
        settlements.add_argument("file", type=Path)
        population = actions.add_parser("import-population", help="import a population-count GeoTIFF")
        population.add_argument("file", type=Path)
        population.add_argument("--name", default=None)

    def handle(self, *args, **options) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except (PlacesError, GeoError) as error:
            raise CommandError(str(error), returncode=2) from error

    def _load(self, options: dict) -> None:
        summary = services.places_load_bundled()
        self.stdout.write(
            f"loaded {summary.regions} regions, {summary.districts} districts, {summary.settlements} settlements"
        )

    def _info(self, options: dict) -> None:
        info = selectors.places_info()
        if options["json"]:
            self.stdout.write(json.dumps(info, ensure_ascii=False))
            return
        for region in info["regions"]:
            self.stdout.write(f"{region['code']:<8} {region['name']:<40} {region['population']:>12,}")
        self.stdout.write(
            f"districts {info['districts']}, settlements {info['settlements']}, "
            f"population {info['population_total']:,} on {info['grid']['cells']:,} cells "
            f"of {info['grid']['resolution_arcsec']}″"
        )

    def _import_areas(self, options: dict) -> None:
        count = services.areas_import(
            options["file"],
            level=options["level"],
            code_field=options["code_field"],
            name_field=options["name_field"],
            parent_field=options["parent_field"],
            population_field=options["population_field"],
            name_ru_field=options["name_ru_field"],
            name_tg_field=options["name_tg_field"],
        )
        self.stdout.write(f"imported {count} {options['level']}s from {options['file']}")

    def _import_settlements(self, options: dict) -> None:
        count = services.settlements_import(options["file"])
        self.stdout.write(f"imported {count} settlements from {options['file']}")

    def _import_population(self, options: dict) -> None:
        summary = services.population_import(options["file"], name=options["name"])
        self.stdout.write(
            f"imported {options['file']}: {summary.total_read:,.0f} people read in the grid's box, "
            f"{summary.total_on_grid:,.0f} on the working grid in {summary.cells:,} cells "
            f"({summary.skipped_pixels:,} nodata pixels skipped); now the active grid"
        )
