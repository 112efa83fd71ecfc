"""The logger push endpoint end to end: token, CSV and JSON, idempotence, QC flags, technical alarms."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from hushdor.apps.hydromet.models import AlarmState, Observation, Station, TechnicalAlarm
from hushdor.apps.hydromet.services import (
    PushError,
    alarm_set_state,
    station_token_create,
    stations_load_bundled,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sarez(db):
    stations_load_bundled()
    return Station.objects.get(code="SAREZ-LAKE"), station_token_create(code="SAREZ-LAKE")


def push(client, token, body, content_type="text/csv"):
    return client.post("/hydromet/push", data=body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}")


def lake_csv(start_hour=0, hours=25, rise_per_hour=0.0125):
    lines = ["time,variable,value"]
    for k in range(start_hour, start_hour + hours):
        lines.append(f"2015-07-13T{k % 24:02d}:00:00Z,lake_level_m,{3263.0 + rise_per_hour * k:.4f}".replace(
            "2015-07-13T", "2015-07-13T" if k < 24 else "2015-07-14T"))
    return "\n".join(lines) + "\n"


def test_the_bundled_stations_are_the_wmo_list_and_the_sarez_set():
    assert stations_load_bundled() == 21
    assert stations_load_bundled() == 21  # idempotent
    assert Station.objects.get(code="0-20000-0-38836").name == "Dushanbe"
    assert Station.objects.get(code="SAREZ-LAKE").indicative


def test_a_lake_rising_30_cm_in_a_day_raises_one_technical_alarm_and_pushes_are_idempotent(client, sarez):
    station, token = sarez
    response = push(client, token, lake_csv())
    assert response.status_code == 200
    result = response.json()
    assert (result["accepted"], result["duplicates"], result["rejected"], result["flagged"]) == (25, 0, [], 0)
    assert [(a["rule"], a["level"]) for a in result["alarms"]] == [("sarez.lake_level", 1)]
    again = push(client, token, lake_csv()).json()
    assert (again["accepted"], again["duplicates"], again["alarms"]) == (0, 25, [])
    assert Observation.objects.filter(station=station).count() == 25
    assert TechnicalAlarm.objects.get().state == AlarmState.OPEN


def test_json_pushes_bad_rows_and_flags(client, sarez):
    station, token = sarez
    body = {
        "observations": [
            {"time": "2015-07-13T00:00:00Z", "variable": "lake_level_m", "value": 3263.0},
            {"time": "2015-07-13T01:00:00Z", "variable": "lake_level_m", "value": 326301.0},  # cm, not m
            {"time": "2015-07-13T02:00:00Z", "variable": "lake_depth", "value": 3},
            {"time": "yesterday", "variable": "lake_level_m", "value": 3263.0},
        ]
    }
    result = push(client, token, json.dumps(body), "application/json").json()
    assert result["accepted"] == 2 and result["flagged"] == 1 and len(result["rejected"]) == 2
    assert "unknown variable 'lake_depth'" in result["rejected"][0]
    bad = Observation.objects.get(station=station, value=326301.0)
    assert bad.qc_flag == 2


def test_the_endpoint_refuses_without_a_token_and_names_a_bad_batch(client, sarez):
    _, token = sarez
    assert push(client, "hmp_wrong", lake_csv()).status_code == 401
    assert client.post("/hydromet/push", data=lake_csv(), content_type="text/csv").status_code == 401
    assert "header" in push(client, token, "when,what\n1,2\n").json()["error"]
    assert push(client, token, "{not json", "application/json").status_code == 400
    assert client.get("/hydromet/push").status_code == 405


def test_alarm_states_follow_the_procedure_and_a_verified_sarez_alarm_needs_a_second_person(sarez, client):
    from hushdor.apps.accounts.services import operator_create
    from hushdor.apps.alerts.models import Alert
    from hushdor.apps.alerts.services import alert_approve, alert_issue
    from hushdor.apps.alerts.services.errors import AlertRuleError
    from hushdor.apps.operations.models import Incident
    from hushdor.apps.places.services import places_load_bundled

    places_load_bundled()
    officer, _ = operator_create(username="rustam", password="correct-horse-battery", roles=["editor", "approver"])
    second, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    _, token = sarez
    push(client, token, lake_csv())
    alarm = TechnicalAlarm.objects.get()
    assert alarm.alert is None  # a sensor alone never warns the public
    assert not Alert.objects.exists()
    with pytest.raises(PushError, match="cannot become verified"):
        alarm_set_state(alarm=alarm, state="verified", actor=officer)
    alarm_set_state(alarm=alarm, state="acknowledged")
    assert not Incident.objects.exists()
    with pytest.raises(PushError, match="takes a person"):
        alarm_set_state(alarm=alarm, state="verified")
    alarm_set_state(alarm=alarm, state="verified", actor=officer)
    alarm = TechnicalAlarm.objects.get()
    assert alarm.state == "verified" and alarm.decided_by == officer
    incident = Incident.objects.get()  # a verified alarm opens an incident (operations listens)
    assert incident.hazard == "lake_outburst" and "sarez.lake_level" in incident.log.first().text

    warning = alarm.alert  # written by the verification, waiting for a second person
    assert warning.state == "submitted" and warning.hazard == "lake_outburst" and warning.author == officer
    russian = warning.infos.get(language="ru").description
    places = [line.split(" — ")[0] for line in russian.splitlines() if " — " in line]
    assert places[:3] == ["Барчадив", "Рушан", "Калаихумб"]  # in order of arrival
    assert "Рушан — 130 km, 7 ч 13 мин" in russian  # 130 km at 5 m/s
    assert {a.place_code for a in warning.areas.all()} >= {"TJ-GB-RUSHON", "TJ-GB-DARVOZ"}
    with pytest.raises(AlertRuleError):
        alert_approve(actor=officer, alert=warning)  # the verifier wrote it: two-person rule
    alert_approve(actor=second, alert=warning)
    issued = alert_issue(actor=second, alert=warning)
    assert issued.state == "issued" and issued.signed_xml


def test_the_command_creates_a_token_once_and_names_an_unknown_station(capsys, db):
    stations_load_bundled()
    call_command("hydromet", "token", "BARCHADIV")
    token = capsys.readouterr().out.strip()
    assert token.startswith("hmp_") and Station.objects.get(code="BARCHADIV").push_token_sha256 not in ("", token)
    with pytest.raises(Exception, match="no station"):
        call_command("hydromet", "token", "NOWHERE")
