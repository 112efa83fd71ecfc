"""``hushdor assistance``: requests for assistance as EDXL files.

    hushdor assistance export RFA_ID --out DIR [--exercise]   the approved RFA as an EDXL-DE envelope file
    hushdor assistance import FILE                            an envelope from another node, into quarantine

Bad input: one line on stderr, exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hushdor.apps.assistance.models import AssistanceRequest
from hushdor.apps.assistance.services import AssistanceError, envelope_receive, rfa_export
from hushdor.cap.safety import read_limited
from hushdor.edxl.envelope import DEFAULT_LIMITS


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Requests for assistance as EDXL-DE / EDXL-RM files"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,import}")
        export = actions.add_parser("export", help="write an approved RFA as an EDXL-DE envelope")
        export.add_argument("rfa_id", type=int)
        export.add_argument("--out", type=Path, required=True)
        export.add_argument("--exercise", action="store_true")
        imported = actions.add_parser("import", help="read an envelope from another node into quarantine")
        imported.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            request = AssistanceRequest.objects.filter(pk=options["rfa_id"]).first()
            if request is None:
                raise _fail(f"no request for assistance {options['rfa_id']}")
            try:
                data = rfa_export(request=request, exercise=options["exercise"])
            except AssistanceError as error:
                raise _fail(str(error)) from error
            options["out"].mkdir(parents=True, exist_ok=True)
            path = options["out"] / f"rfa-{request.pk}-request.xml"
            path.write_bytes(data)
            self.stdout.write(str(path))
            return
        data, problem = read_limited(options["file"], DEFAULT_LIMITS.max_bytes)
        if problem is not None:
            raise _fail(problem.message)
        try:
            received = envelope_receive(data=data or b"")
        except AssistanceError as error:
            raise _fail(f"{options['file']}: {error}") from error
        self.stdout.write(
            f"held in quarantine as #{received.pk}: {received.distribution_id} from {received.sender_id}"
        )
