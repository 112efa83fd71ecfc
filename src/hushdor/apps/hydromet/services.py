"""Every write of hydromet: bundled stations, push tokens, observations in, rules run, alarms raised.

``observations_push`` is what the logger endpoint calls: it reads the rows with the pure parser (bad
rows are rejected with their row and reason, never dropped silently), stores the new ones (a row
already stored for the same station, variable and hour is a duplicate and changes nothing: pushes are
idempotent), runs QC and every rule over the station's last 72 hours, stores the flags and raises a
technical alarm for each trigger whose rule and station have no open alarm at that level or above.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources

import numpy as np
from django.db import transaction

from hushdor.apps.hydromet.listeners import notify_verified
from hushdor.apps.hydromet.models import AlarmState, Observation, Station, TechnicalAlarm
from hushdor.science.hydromet.observations import ObservationSet, read_csv
from hushdor.science.hydromet.rules import RuleSettings, run_rules

MAX_ROWS = 10_000
WINDOW = timedelta(hours=72)


class PushError(ValueError):
    """A push the endpoint refuses as a whole; the message says why."""


def _bundled_rows(name: str) -> list[dict]:
    """The rows of a bundled station list (``data/tj/<name>``; lines starting with # are its notes)."""
    text = resources.files("hushdor").joinpath("data", "tj", name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def _indicative_station(row: dict, source: str, **extra) -> None:
    """A station of the Sarez set or the exercise's posts: names in three languages, indicative position."""
    Station.objects.update_or_create(
        code=row["code"],
        defaults={
            "name": row["name"],
            "name_ru": row["name_ru"],
            "name_tg": row["name_tg"],
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "elevation_m": float(row["elevation_m"]),
            "variables": [v for v in row["variables"].split(";") if v],
            "indicative": True,
            "source": source,
            **extra,
        },
    )


def stations_load_bundled() -> int:
    """The 13 WMO stations, the Sarez/Usoi sensor set and the exercise's hydrological posts (indicative
    positions); idempotent."""
    count = 0
    for row in _bundled_rows("stations_wmo.csv"):
        if not row["wigos_id"]:
            continue  # the historic glacier station has no WIGOS id and no data
        Station.objects.update_or_create(
            code=row["wigos_id"],
            defaults={
                "wmo_index": row["wmo_index"],
                "name": row["name"].split(" (")[0],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "elevation_m": float(row["elevation_m"]),
                "variables": ["precipitation_mm", "air_temperature_c", "snow_depth_cm"],
                "source": "data/tj/stations_wmo.csv (seed list; verify against OSCAR/Surface)",
            },
        )
        count += 1
    for row in _bundled_rows("stations_sarez.csv"):
        _indicative_station(row, "data/tj/stations_sarez.csv (indicative positions)")
        count += 1
    for row in _bundled_rows("stations_hydro.csv"):
        levels = [float(row[key]) for key in ("q2", "q5", "q20") if row[key]]
        _indicative_station(
            row,
            "data/tj/stations_hydro.csv (indicative positions; exercise return levels)",
            thresholds={"return_levels": levels} if len(levels) == 3 else {},
        )
        count += 1
    return count


def station_token_create(*, code: str) -> str:
    """A new push token for a station (shown once; only its SHA-256 is kept)."""
    token = "hmp_" + secrets.token_urlsafe(32)
    updated = Station.objects.filter(code=code).update(
        push_token_sha256=hashlib.sha256(token.encode()).hexdigest()
    )
    if not updated:
        raise PushError(f"no station with the code {code!r}")
    return token


def station_for_token(token: str) -> Station | None:
    if not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return Station.objects.filter(push_token_sha256=digest).first()


@dataclass
class PushResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)
    flagged: int = 0
    alarms: list[dict] = field(default_factory=list)
    all_clear: list[int] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "flagged": self.flagged,
            "alarms": self.alarms,
            "all_clear": self.all_clear,
        }


def _rows_from_json(body: bytes, station: Station) -> str:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PushError(f"not valid JSON: {error}") from error
    rows = document.get("observations") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise PushError('a JSON push is {"observations": [{"time", "variable", "value"}, …]}')
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["station", "time", "variable", "value"])
    for row in rows:
        if not isinstance(row, dict):
            row = {}
        writer.writerow([station.code, row.get("time", ""), row.get("variable", ""), row.get("value", "")])
    return out.getvalue()


def observations_push(
    *, station: Station, body: bytes, content_type: str, now: datetime | None = None, exercise: bool = False
) -> PushResult:
    """Store a logger's batch for ``station`` (CSV ``time,variable,value`` or JSON), run QC and rules."""
    now = now or datetime.now(tz=UTC)
    if content_type.startswith("application/json"):
        text = _rows_from_json(body, station)
    else:
        try:
            lines = body.decode("utf-8-sig").splitlines()
        except UnicodeDecodeError as error:
            raise PushError("the CSV is not UTF-8 text") from error
        if not lines or [c.strip() for c in lines[0].split(",")] != ["time", "variable", "value"]:
            raise PushError("a CSV push starts with the header time,variable,value")
        text = "station,time,variable,value\n" + "\n".join(
            f"{station.code},{line}" for line in lines[1:] if line.strip()
        )
    observations = read_csv(text)
    if len(observations) + len(observations.rejected) > MAX_ROWS:
        raise PushError(f"a push holds at most {MAX_ROWS:,} rows")
    result = PushResult(rejected=[f"row {r.row - 1}: {r.reason}" for r in observations.rejected])
    with transaction.atomic():
        station = Station.objects.select_for_update().get(pk=station.pk)
        rows = [
            Observation(
                station=station,
                variable=int(observations.variable[k]),
                time=datetime.fromtimestamp(int(observations.time[k]), tz=UTC),
                value=float(observations.value[k]) if math.isfinite(observations.value[k]) else None,
            )
            for k in range(len(observations))
        ]
        # Count only within the batch's time span, not the station's whole history, on every push.
        span = Observation.objects.filter(
            station=station, time__range=(min((r.time for r in rows), default=now), max((r.time for r in rows), default=now))
        )
        before = span.count()
        Observation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        result.accepted = span.count() - before
        result.duplicates = len(rows) - result.accepted
        result.flagged, result.alarms = _run_rules(station, now, exercise=exercise)
        from hushdor.apps.hydromet.warnings import all_clear_if_ended

        result.all_clear = [alert.pk for alert in all_clear_if_ended(station, now=now)]
    return result


def _run_rules(station: Station, now: datetime, *, exercise: bool = False) -> tuple[int, list[dict]]:
    if not Observation.objects.filter(station=station).exists():
        return 0, []
    latest = Observation.objects.filter(station=station).latest("time").time
    recent = list(
        Observation.objects.filter(station=station, time__gte=latest - WINDOW).values_list(
            "pk", "variable", "time", "value", "qc_flag", "qc_reasons"
        )
    )
    stored = {row[0]: (row[4], row[5]) for row in recent}
    pks = np.array([row[0] for row in recent])
    variables = np.array([row[1] for row in recent], dtype=np.int8)
    times = np.array([int(row[2].timestamp()) for row in recent], dtype=np.int64)
    values = np.array([np.nan if row[3] is None else row[3] for row in recent], dtype=np.float64)
    observations = ObservationSet.from_columns(
        np.zeros(len(recent), dtype=np.int32), variables, times, values, (station.code,)
    )
    sorted_pks = pks[np.lexsort((times, variables))]  # the order ObservationSet keeps (one station)
    levels = (station.thresholds or {}).get("return_levels")
    settings = RuleSettings(return_levels={station.code: tuple(levels)} if levels and len(levels) == 3 else {})
    result = run_rules(observations, settings, now=int(now.timestamp()))
    flagged = 0
    changed: dict[tuple[int, int], list[int]] = {}
    for position, pk in enumerate(sorted_pks):
        flag, reasons = int(result.flags.flag[position]), int(result.flags.reasons[position])
        flagged += flag != 0
        if stored[int(pk)] != (flag, reasons):  # write only what changed, one UPDATE per new flag value
            changed.setdefault((flag, reasons), []).append(int(pk))
    for (flag, reasons), pks_changed in changed.items():
        Observation.objects.filter(pk__in=pks_changed).update(qc_flag=flag, qc_reasons=reasons)
    alarms = []
    for trigger in result.triggers:
        moment = datetime.fromtimestamp(trigger.time, tz=UTC)
        same = TechnicalAlarm.objects.filter(station=station, rule=trigger.rule)
        already = (
            same.filter(time=moment).exists()  # the same trigger, seen again by a later push's window
            or same.filter(state__in=[AlarmState.OPEN, AlarmState.ACKNOWLEDGED], level__gte=trigger.level).exists()
            # a verified situation at this level or higher within the day is the same situation
            or same.filter(state=AlarmState.VERIFIED, level__gte=trigger.level, time__gte=moment - timedelta(hours=24)).exists()
        )
        if already:
            continue
        alarm = TechnicalAlarm.objects.create(
            station=station,
            rule=trigger.rule,
            level=trigger.level,
            time=datetime.fromtimestamp(trigger.time, tz=UTC),
            value=trigger.value,
            exercise=exercise,
        )
        from hushdor.apps.hydromet.warnings import warning_for_alarm

        alert = warning_for_alarm(alarm, now=now)  # the policy decides: issue, hold for review, nothing
        alarms.append(
            {
                "id": alarm.pk,
                "rule": alarm.rule,
                "level": alarm.level,
                "value": round(alarm.value, 3),
                "warning": None if alert is None else {"id": alert.pk, "state": alert.state, "msg_type": alert.msg_type},
            }
        )
    return flagged, alarms


@transaction.atomic
def alarm_set_state(*, alarm: TechnicalAlarm, state: str, actor=None) -> TechnicalAlarm:
    """open → acknowledged → verified / false → closed; any other move is refused. Verifying takes a
    person (``actor``); a verified Sarez alarm becomes a public warning draft that another person
    approves (``hydromet.warnings``)."""
    allowed = {
        AlarmState.OPEN: {AlarmState.ACKNOWLEDGED, AlarmState.FALSE},
        AlarmState.ACKNOWLEDGED: {AlarmState.VERIFIED, AlarmState.FALSE},
        AlarmState.VERIFIED: {AlarmState.CLOSED},
        AlarmState.FALSE: {AlarmState.CLOSED},
    }
    if state not in allowed.get(alarm.state, set()):
        raise PushError(f"a {alarm.state} alarm cannot become {state}")
    if state == AlarmState.VERIFIED and actor is None:
        raise PushError("verifying an alarm takes a person: the field team's report is checked by an officer")
    TechnicalAlarm.objects.filter(pk=alarm.pk).update(state=state, decided_by=actor)
    alarm.state, alarm.decided_by = state, actor
    if state == AlarmState.VERIFIED:
        from hushdor.apps.hydromet.warnings import sarez_warning_for_verified_alarm

        sarez_warning_for_verified_alarm(alarm, verifier=actor)
        notify_verified(alarm)  # e.g. operations opens an incident, in this transaction
    return alarm
