"""``hushdor hydromet``: hydromet thresholds on files, the way an analyst tests them (no database).

    hushdor hydromet return-periods FILE.csv [--json]   columns station,year,annual_max
    hushdor hydromet replay FILE.csv [--json] [--now ISO]  columns station,time,variable,value
    hushdor hydromet load-stations                       the bundled stations (13 WMO + Sarez set)
    hushdor hydromet token CODE                          a new push token for a station (shown once)
    hushdor hydromet wis2 --broker mqtt://HOST:PORT --topic T [--topic T …] [--client-id ID]
                                                         subscribe to WIS2 notifications (until Ctrl-C)
    hushdor hydromet demo [--json] [--interval S]        the four exercise scenarios through ingest,
                                                         rules, alarms and warning policy (database)

``return-periods`` fits a Gumbel distribution by L-moments to each station's annual maxima and prints
``{"stations": [{"station", "n_years", "xi", "alpha", "T2", "T5", "T20", "T100"}]}``.
``replay`` runs quality control and the default rules on the file alone and prints
``{"observations", "flagged", "rejected", "triggers": [{"rule", "station", "time", "value", "level"}]}``.
Bad input: one line on stderr naming the row, exit code 2; bad rows of a replay are counted in
``rejected`` and listed on stderr, and the good rows are still processed.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hushdor.science.hydromet.observations import ObservationError, parse_time, read_csv
from hushdor.science.hydromet.qc import GOOD
from hushdor.science.hydromet.return_periods import RETURN_PERIODS, ReturnPeriodError, gumbel_l_moments
from hushdor.science.hydromet.rules import run_rules

MAX_FILE_BYTES = 200 * 1024 * 1024


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _read(path: str) -> str:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise _fail(f"{path}: larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise _fail(f"{path}: no such file") from error
    except UnicodeDecodeError as error:
        raise _fail(f"{path}: not a UTF-8 text file") from error


class Command(BaseCommand):
    help = "Hydromet thresholds on files: flood return periods, replay of QC and rules"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{return-periods,replay,load-stations,token}")
        periods = actions.add_parser("return-periods", help="Gumbel (L-moments) return levels per station")
        periods.add_argument("file")
        periods.add_argument("--json", action="store_true")
        replay = actions.add_parser("replay", help="QC and the default rules on a file of observations")
        replay.add_argument("file")
        replay.add_argument("--json", action="store_true")
        replay.add_argument("--now", help="reference time for the future-time check (default: none)")
        actions.add_parser("load-stations", help="load the bundled stations (database)")
        token = actions.add_parser("token", help="create a push token for a station (database)")
        token.add_argument("code")
        wis2 = actions.add_parser("wis2", help="subscribe to WIS2 notification messages over MQTT")
        wis2.add_argument("--broker", required=True, help="mqtt://host:port or mqtts://user:password@host:port")
        wis2.add_argument("--topic", action="append", required=True)
        wis2.add_argument("--client-id", help="a fixed id keeps the broker's persistent session across restarts")
        demo = actions.add_parser("demo", help="replay the four exercise scenarios (database)")
        demo.add_argument("--json", action="store_true")
        demo.add_argument("--interval", type=float, default=0.0, help="seconds between pushes")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "wis2":
            from hushdor.apps.hydromet.wis2 import subscribe

            self.stdout.write(f"subscribed to {', '.join(options['topic'])} at {options['broker']} (Ctrl-C stops)")
            try:
                subscribe(options["broker"], options["topic"], client_id=options["client_id"] or "hushdor-wis2")
            except OSError as error:
                raise _fail(f"cannot reach the broker {options['broker']}: {error}") from error
            return
        if options["action"] == "demo":
            from hushdor.apps.hydromet.demo import run_scenarios

            quiet = options["json"]
            summaries = run_scenarios(
                interval_s=max(options["interval"], 0.0),
                progress=(lambda text: None) if quiet else (lambda text: self.stdout.write(text)),
            )
            if quiet:
                self.stdout.write(json.dumps({"scenarios": [s.as_json() for s in summaries]}, ensure_ascii=False))
                return
            for summary in summaries:
                alarms = ", ".join(f"{a['rule']} {a['level']} ({a['state']})" for a in summary.alarms) or "none"
                warnings = ", ".join(f"{w['msg_type']} {w['severity']} {w['state']}" for w in summary.warnings) or "none"
                self.stdout.write(f"{summary.title}: alarms {alarms}; warnings {warnings}")
            return
        if options["action"] == "load-stations":
            from hushdor.apps.hydromet.services import stations_load_bundled

            self.stdout.write(f"{stations_load_bundled()} stations loaded")
            return
        if options["action"] == "token":
            from hushdor.apps.hydromet.services import PushError, station_token_create

            try:
                self.stdout.write(station_token_create(code=options["code"]))
            except PushError as error:
                raise _fail(str(error)) from error
            return
        if options["action"] == "return-periods":
            document = return_periods_document(_read(options["file"]))
            if options["json"]:
                self.stdout.write(json.dumps(document))
                return
            for row in document["stations"]:
                levels = ", ".join(f"T{t} {row[f'T{t}']:.1f}" for t in RETURN_PERIODS)
                self.stdout.write(
                    f"{row['station']}: {row['n_years']} years, ξ {row['xi']:.2f}, α {row['alpha']:.2f}; {levels}"
                )
            return
        try:
            now = parse_time(options["now"]) if options.get("now") else None
            observations = read_csv(_read(options["file"]))
        except ObservationError as error:
            raise _fail(f"{options['file']}: {error}") from error
        for rejected in observations.rejected:
            self.stderr.write(f"{options['file']} row {rejected.row}: {rejected.reason}")
        result = run_rules(observations, now=now)
        document = {
            "observations": len(observations),
            "flagged": int((result.flags.flag != GOOD).sum()),
            "rejected": len(observations.rejected),
            "triggers": [trigger.to_json() for trigger in result.triggers],
        }
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self.stdout.write(
            f"{document['observations']} observations, {document['flagged']} flagged, "
            f"{document['rejected']} rejected, {len(document['triggers'])} trigger(s)"
        )
        for trigger in document["triggers"]:
            self.stdout.write(
                f"  {trigger['time']} {trigger['station']} {trigger['rule']} level {trigger['level']} ({trigger['value']})"
            )


def return_periods_document(text: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in ("station", "year", "annual_max") if name not in (reader.fieldnames or [])]
    if missing:
        raise _fail(f"header: missing column(s) {', '.join(missing)}")
    maxima: dict[str, dict[int, float]] = defaultdict(dict)
    for number, row in enumerate(reader, start=2):
        station = (row.get("station") or "").strip()
        try:
            year = int(row["year"])
            value = float(row["annual_max"])
        except (TypeError, ValueError) as error:
            raise _fail(f"row {number}: year and annual_max must be numbers ({error})") from error
        if not station:
            raise _fail(f"row {number}: station is empty")
        if year in maxima[station]:
            raise _fail(f"row {number}: {station} has two annual maxima for {year}")
        maxima[station][year] = value
    if not maxima:
        raise _fail("the file has no annual maxima")
    stations = []
    for station, by_year in maxima.items():
        try:
            fit = gumbel_l_moments(list(by_year.values()))
        except ReturnPeriodError as error:
            raise _fail(f"{station}: {error}") from error
        stations.append(
            {
                "station": station,
                "n_years": fit.n_years,
                "xi": round(fit.xi, 4),
                "alpha": round(fit.alpha, 4),
                **{f"T{t}": round(fit.level(t), 4) for t in RETURN_PERIODS},
            }
        )
    return {"stations": stations}
