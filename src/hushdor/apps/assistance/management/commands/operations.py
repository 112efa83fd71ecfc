"""``hushdor operations``: the operations centre from the command line.

    hushdor operations demo [--json] [--out DIR]   the Sarez exercise headless: the replay's incident,
                                                   district figures, an RFA, a partner's offer (built-in
                                                   simulator over the same EDXL exchange), acceptance of
                                                   part, sitrep No. 1; writes envelopes and the PDF to DIR

(The command lives in the assistance app because the scenario spans operations and assistance, and
operations must not depend on assistance.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "The operations centre: incidents, assistance and situation reports"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{demo}")
        demo = actions.add_parser("demo", help="run the Sarez operations exercise headless")
        demo.add_argument("--json", action="store_true")
        demo.add_argument("--out", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        from hushdor.apps.assistance.demo import run_scenario

        quiet = options["json"]
        try:
            result = run_scenario(
                out=options["out"], progress=(lambda text: None) if quiet else (lambda text: self.stderr.write(text))
            )
        except RuntimeError as error:
            raise CommandError(str(error), returncode=2) from None
        if quiet:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self.stdout.write(
            f"incident {result.incident}: RFA {result.rfa}, {result.offers} offer(s), {result.accepted} accepted, "
            f"{result.sitreps} sitrep(s) published"
        )
        for path in result.files:
            self.stdout.write(f"  {path}")
