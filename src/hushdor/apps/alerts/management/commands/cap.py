"""``hushdor cap <action>``: CAP tools on the command line (thin; the work is in ``hushdor.cap``).

Each action is one ``_add_<action>`` function that registers its sub-parser and handler; adding an
action (``import`` next) means writing one more such function and listing it in ``ACTIONS``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hushdor.cap.findings import Finding
from hushdor.cap.safety import DEFAULT_MAX_BYTES, read_limited
from hushdor.cap.timefmt import parse_cap_datetime
from hushdor.cap.validation import ValidationContext, validate

Handler = Callable[[BaseCommand, argparse.Namespace], None]


def _add_validate(actions: Any) -> None:
    parser = actions.add_parser("validate", help="validate CAP 1.2 files (XSD and semantic rules)")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON result per file")
    parser.add_argument(
        "--at",
        type=_moment,
        default=None,
        metavar="TIME",
        help="judge staleness as of this time, e.g. 2025-07-07T12:00:00+05:00 (default: now)",
    )
    parser.add_argument(
        "--country",
        default="762",
        help="ISO 3166-1 numeric arc identifiers must use; 'any' for other agencies' alerts",
    )
    parser.add_argument("--authority", default=None, help="authority arc identifiers must use")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    _accept_django_options(parser)
    parser.set_defaults(handler=_validate)


def _accept_django_options(parser: argparse.ArgumentParser) -> None:
    """Let ``--settings`` & co. follow the action (``cap validate f.xml --settings=…``), as Django
    already read them from the command line; SUPPRESS keeps the main parser's values otherwise."""
    for flag in ("--settings", "--pythonpath"):
        parser.add_argument(flag, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.add_argument(
        "-v", "--verbosity", type=int, choices=range(4), default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    for flag in ("--traceback", "--no-color", "--force-color", "--skip-checks"):
        parser.add_argument(flag, action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _add_import(actions: Any) -> None:
    parser = actions.add_parser("import", help="ingest CAP alerts from files or URLs (quarantine if invalid)")
    parser.add_argument("sources", nargs="+", metavar="FILE|URL")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    _accept_django_options(parser)
    parser.set_defaults(handler=_import)


def _import(command: BaseCommand, options: argparse.Namespace) -> None:
    import httpx

    from hushdor.apps.alerts.services.ingest import cap_ingest
    from hushdor.apps.alerts.services.trust import TrustedCertificatesError

    rejected = 0
    for source in options.sources:
        if source.startswith(("http://", "https://")):
            try:
                response = httpx.get(source, timeout=15.0, follow_redirects=True)
                response.raise_for_status()
            except httpx.HTTPError as exc:
                raise CommandError(f"{source}: {exc}") from exc
            data, problem = response.content[: options.max_bytes + 1], None
        else:
            data, problem = read_limited(Path(source), options.max_bytes)
        if problem is not None or data is None:
            raise CommandError(f"{source}: {problem.message if problem else 'cannot be read'}")
        try:
            result = cap_ingest(data, source=source)
        except TrustedCertificatesError as exc:
            raise CommandError(str(exc)) from exc
        rejected += result.outcome == "quarantined"
        command.stdout.write(f"{result.outcome:<11} {source}")
        for finding in result.findings:
            if finding.severity == "error":
                command.stdout.write(f"  error: {_line(finding)}")
    if rejected:
        raise CommandError(f"{rejected} of {len(options.sources)} document(s) were quarantined", returncode=1)


ACTIONS = (_add_validate, _add_import)


class Command(BaseCommand):
    help = "CAP 1.2 tools: validate, import"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for add in ACTIONS:
            add(actions)

    def handle(self, *args: object, **options: Any) -> None:
        options["handler"](self, argparse.Namespace(**options))


def _validate(command: BaseCommand, options: argparse.Namespace) -> None:
    country = None if options.country == "any" else options.country
    rules = ValidationContext(now=options.at, country=country, authority=options.authority)
    results = [_validate_file(path, rules, options.max_bytes) for path in options.files]
    if options.json:
        command.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for result in results:
            command.stdout.write(f"{'valid  ' if result['valid'] else 'INVALID'} {result['file']}")
            for line in result["errors"]:
                command.stdout.write(f"  error: {line}")
            for line in result["warnings"]:
                command.stdout.write(f"  warning: {line}")
    invalid = sum(not result["valid"] for result in results)
    if invalid:
        raise CommandError(f"{invalid} of {len(results)} file(s) are not valid CAP", returncode=1)


def _validate_file(path: Path, rules: ValidationContext, max_bytes: int) -> dict[str, Any]:
    data, problem = read_limited(path, max_bytes)
    findings: list[Finding] = [problem] if problem else validate(data or b"", rules=rules)
    return {
        "file": str(path),
        "valid": not any(f.severity == "error" for f in findings),
        "errors": [_line(f) for f in findings if f.severity == "error"],
        "warnings": [_line(f) for f in findings if f.severity == "warning"],
    }


def _line(finding: Finding) -> str:
    where = f" (at {finding.path})" if finding.path else ""
    return f"{finding.code}: {finding.message}{where}"


def _moment(text: str) -> datetime:
    moment, problem = parse_cap_datetime(text)
    if moment is None:
        raise argparse.ArgumentTypeError(problem or f"cannot read {text!r}")
    return moment
