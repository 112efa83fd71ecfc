"""``hushdor demo``: replay real past earthquakes through the whole warning chain (no network).

    hushdor demo --setup                       create or reset the demo operator (every role); prints
                                               its password once
    hushdor demo --once [--json] [--out DIR]   replay headless, write each issued CAP XML into DIR,
                                               print the summary and exit
    hushdor demo [--interval S] [--url URL]    replay in accelerated time (one feed document every S
                                               seconds) while ``hushdor run`` serves the dashboard

Replayed alerts carry CAP ``status=Exercise`` and the note "Replay of a past event".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from hushdor.apps.accounts.roles import ROLES
from hushdor.apps.accounts.services import AccountError, operator_create
from hushdor.apps.alerts.models import Alert
from hushdor.apps.monitoring.replay import replay_steps
from hushdor.apps.monitoring.services.replay_run import EventSummary, replay_run

DEMO_OPERATOR = "demo"
DEFAULT_URL = "http://127.0.0.1:8000/dashboard/"


class Command(BaseCommand):
    help = "Replay real past earthquakes through the warning chain (demo and exercise)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--setup", action="store_true", help="create or reset the demo operator")
        parser.add_argument("--once", action="store_true", help="replay headless and exit")
        parser.add_argument("--json", action="store_true", help="with --once: print JSON")
        parser.add_argument("--out", type=Path, help="with --once: write each issued CAP XML here")
        parser.add_argument("--interval", type=float, default=3.0, help="seconds between feed documents")
        parser.add_argument("--url", default=DEFAULT_URL, help="the dashboard URL to print")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["setup"]:
            self._setup()
            return
        if options["interval"] < 0:
            raise CommandError("--interval must be 0 or more seconds")
        if options["once"]:
            summaries = replay_run(interval_s=0.0)
            written = _write_cap_files(summaries, options["out"]) if options["out"] else []
            if options["json"]:
                events = [summary.as_json() for summary in summaries]
                self.stdout.write(json.dumps({"events": events, "cap_files": written}, ensure_ascii=False))
            else:
                _print_table(summaries, Console(file=self.stdout, width=140))
            return
        console = Console(file=self.stdout, width=140)
        console.print(
            f"Replaying {len(replay_steps())} feed documents, one every {options['interval']:g} s …"
        )
        summaries = replay_run(
            interval_s=options["interval"],
            on_step=lambda step, outcomes: console.print(
                f"  {step.label} ({step.event_key}): "
                + (", ".join(f"{o.state} {o.identifier or ''}".strip() for o in outcomes) or "no change")
            ),
        )
        _print_table(summaries, console)
        self._hydromet(console, options["interval"])
        self._operations(console)
        console.print(f"Dashboard: {options['url']}")
        console.print(f"Operator: {DEMO_OPERATOR} (password printed by `hushdor demo --setup`)")

    def _hydromet(self, console: Console, interval: float) -> None:
        """The hydromet exercise scenarios (mudflow, flood, avalanche, Sarez), by name as well."""
        from django.core.management import call_command, get_commands

        if "hydromet" not in get_commands():
            return
        console.print("Hydromet exercise: mudflow, flood, avalanche and Sarez scenarios through the rules …")
        try:
            call_command("hydromet", "demo", "--interval", str(min(interval, 1.0)), stdout=self.stdout)
        except CommandError as error:
            console.print(f"[red]The hydromet exercise did not run: {error}[/red]")

    def _operations(self, console: Console) -> None:
        """The operations exercise on the Sarez incident (RFA, partner offer, sitrep No. 1), when the
        assistance app that provides ``hushdor operations`` is installed; called by name, so that
        monitoring does not import the apps downstream of it."""
        from django.conf import settings
        from django.core.management import call_command, get_commands

        if "operations" not in get_commands():
            return
        out = Path(settings.VAR_DIR) / "demo" / "operations"
        console.print("Operations exercise on the Sarez incident: figures, RFA, partner offer, sitrep No. 1 …")
        try:
            call_command("operations", "demo", "--out", str(out), stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            console.print(f"[red]The operations exercise did not run: {error}[/red]")

    def _setup(self) -> None:
        try:
            _, password = operator_create(username=DEMO_OPERATOR, roles=list(ROLES), replace=True)
        except AccountError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"operator: {DEMO_OPERATOR} password: {password}")
        from django.core.management import call_command, get_commands

        if "dissemination" in get_commands():  # by name: monitoring does not import dissemination
            call_command("dissemination", "demo-subscribers", stdout=self.stdout)


def _print_table(summaries: list[EventSummary], console: Console) -> None:
    table = Table(title="Hushdor replay of past earthquakes (CAP status Exercise)")
    for heading in (
        "event",
        "M",
        "max MMI",
        "people at MMI ≥ VI",
        "alert level",
        "warning",
        "CAP identifier",
    ):
        table.add_column(heading)
    for summary in summaries:
        table.add_row(
            summary.name,
            f"{summary.mag:.1f}" if summary.mag is not None else "—",
            summary.max_mmi_populated or "—",
            f"{summary.exposed_mmi6plus:,}" if summary.exposed_mmi6plus is not None else "—",
            summary.alert_level or "—",
            summary.warning
            + (f" (+{len(summary.messages) - 1} update)" if len(summary.messages) > 1 else ""),
            summary.cap_identifier or "—",
        )
    console.print(table)


def _write_cap_files(summaries: list[EventSummary], folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for summary in summaries:
        for message in summary.messages:
            if not message["identifier"]:
                continue
            alert = Alert.objects.get(identifier=message["identifier"])
            path = folder / (re.sub(r"[^A-Za-z0-9._-]", "_", message["identifier"]) + ".xml")
            path.write_bytes(bytes(alert.signed_xml))
            written.append(str(path))
    return written
