"""The four hydromet exercise scenarios, replayed through the real ingest, rules, alarms and policy.

Each scenario file (``data/tj/scenarios/``, SYNTHETIC series; scripts/tjdata/hydromet_scenarios.py) is
shifted so that its last observation is now, then pushed station by station in chunks of
``step_hours`` through ``observations_push`` (the logger endpoint's own service) marked *exercise*:
QC, rules, technical alarms and — by the warning policy — warnings happen exactly as for live data.
The demo's duty officers then do what the procedure asks of people: the forecaster (``demo-commander``,
approver) approves the warnings the policy held for review, and the Sarez alarm is acknowledged and
verified by the duty officer (``demo-duty``), whose verification writes the public warning, which the
commander approves — the two-person rule.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources

from django.utils import timezone

from hushdor.apps.accounts.roles import APPROVER, EDITOR, VIEWER
from hushdor.apps.hydromet.models import AlarmState, Station, TechnicalAlarm
from hushdor.apps.hydromet.services import alarm_set_state, observations_push, stations_load_bundled
from hushdor.science.hydromet.observations import VARIABLES, iso_time, read_csv

SCENARIOS = (
    ("mudflow", "mudflow_varzob.csv", "Cloudburst over the Varzob valley"),
    ("flood", "flood_obikhingou.csv", "Spring flood on the Obikhingou (Vakhsh basin) through Q5"),
    ("avalanche", "avalanche_anzob.csv", "March storm at the Anzob pass: 60 cm new snow, then warming"),
    ("sarez", "sarez.csv", "Lake Sarez up 30 cm in 24 hours"),
)
DUTY, COMMANDER = "demo-duty", "demo-commander"


@dataclass
class ScenarioSummary:
    key: str
    title: str
    observations: int = 0
    alarms: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "scenario": self.key,
            "title": self.title,
            "observations": self.observations,
            "alarms": self.alarms,
            "warnings": self.warnings,
        }


def _person(username: str, roles: list[str]):
    from django.contrib.auth import get_user_model

    from hushdor.apps.accounts.services import operator_create

    return get_user_model().objects.filter(username=username).first() or operator_create(
        username=username, roles=roles
    )[0]


def _chunks(text: str, step_hours: int, shift_s: int) -> list[tuple[int, dict[str, str]]]:
    """(chunk end time, {station: CSV body}) in time order."""
    observations = read_csv(text)
    by_chunk: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    start = int(observations.time.min())
    for k in range(len(observations)):
        moment = int(observations.time[k]) + shift_s
        chunk = (int(observations.time[k]) - start) // (step_hours * 3600)
        station = observations.stations[int(observations.station[k])]
        variable = VARIABLES[int(observations.variable[k])]
        by_chunk[chunk][station].append(f"{iso_time(moment)},{variable},{float(observations.value[k])!r}")
    return [
        (chunk, {station: "time,variable,value\n" + "\n".join(rows) + "\n" for station, rows in stations.items()})
        for chunk, stations in sorted(by_chunk.items())
    ]


def _approve_and_issue(alert, commander) -> str:
    """The forecaster approves and issues what the policy held; returns "" or why it could not."""
    from hushdor.apps.alerts.models import AlertState
    from hushdor.apps.alerts.services import alert_approve, alert_issue
    from hushdor.apps.alerts.services.errors import AlertRuleError, AlertValidationError

    try:
        if alert.state == AlertState.SUBMITTED:
            alert_approve(actor=commander, alert=alert, comment="Exercise: the forecaster confirms the alarm")
            alert.refresh_from_db()
        if alert.state == AlertState.APPROVED:
            alert_issue(actor=commander, alert=alert)
    except (AlertRuleError, AlertValidationError) as error:
        return str(error)
    return ""


def run_scenarios(*, step_hours: int = 6, interval_s: float = 0.0, progress=lambda text: None) -> list[ScenarioSummary]:
    from hushdor.apps.alerts.models import Alert

    stations_load_bundled()
    duty = _person(DUTY, [VIEWER, EDITOR])
    commander = _person(COMMANDER, [VIEWER, EDITOR, APPROVER])
    folder = resources.files("hushdor").joinpath("data", "tj", "scenarios")
    summaries = []
    for key, filename, title in SCENARIOS:
        progress(f"{title} …")
        text = folder.joinpath(filename).read_text(encoding="utf-8")
        observations = read_csv(text)
        shift = (int(timezone.now().timestamp()) - int(observations.time.max())) // 3600 * 3600  # whole hours
        summary = ScenarioSummary(key=key, title=title, observations=len(observations))
        first_alarm = TechnicalAlarm.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        problems: dict[int, str] = {}
        for _chunk, bodies in _chunks(text, step_hours, shift):
            for code, body in bodies.items():
                station = Station.objects.get(code=code)
                observations_push(station=station, body=body.encode(), content_type="text/csv", exercise=True)
            # The people of the procedure act on what this step raised, as they would in the hour.
            for alarm in TechnicalAlarm.objects.filter(pk__gt=first_alarm, state=AlarmState.OPEN).order_by("pk"):
                if alarm.rule.startswith("sarez."):
                    alarm_set_state(alarm=alarm, state=AlarmState.ACKNOWLEDGED)
                    alarm_set_state(alarm=alarm, state=AlarmState.VERIFIED, actor=duty)  # the field team confirms
                alarm.refresh_from_db()
                if alarm.alert_id and alarm.pk not in problems:
                    problems[alarm.pk] = _approve_and_issue(alarm.alert, commander)
                if alarm.state == AlarmState.OPEN:
                    alarm_set_state(alarm=alarm, state=AlarmState.ACKNOWLEDGED)
            if interval_s:
                time.sleep(interval_s)
        for alarm in TechnicalAlarm.objects.filter(pk__gt=first_alarm).select_related("station").order_by("pk"):
            summary.alarms.append(
                {"id": alarm.pk, "rule": alarm.rule, "station": alarm.station.code, "level": alarm.level,
                 "state": alarm.state, **({"problem": problems[alarm.pk]} if problems.get(alarm.pk) else {})}
            )
        warning_ids = TechnicalAlarm.objects.filter(pk__gt=first_alarm, alert__isnull=False).values_list("alert_id", flat=True)
        roots = set(Alert.objects.filter(pk__in=warning_ids).values_list("lineage_root_id", flat=True))
        for alert in Alert.objects.filter(lineage_root_id__in=roots).order_by("pk"):
            summary.warnings.append(
                {
                    "id": alert.pk,
                    "hazard": alert.hazard,
                    "severity": alert.severity,
                    "msg_type": alert.msg_type,
                    "state": alert.state,
                    "identifier": alert.identifier,
                }
            )
        summaries.append(summary)
    return summaries
