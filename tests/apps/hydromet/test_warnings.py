"""Technical alarms become warnings through the policy engine; the four exercise scenarios run end to
end through ingest, rules, alarms, policy and the people of the procedure."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from hushdor.apps.alerts.models import Alert
from hushdor.apps.hydromet.models import Station, TechnicalAlarm
from hushdor.apps.hydromet.services import observations_push, stations_load_bundled
from hushdor.apps.hydromet.warnings import sarez_arrivals, severity_of
from hushdor.apps.places.services import places_load_bundled

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    places_load_bundled()
    stations_load_bundled()


def rain(hours: list[float]) -> bytes:
    from datetime import UTC, datetime, timedelta

    start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=len(hours) - 1)
    rows = [f"{(start + timedelta(hours=k)).strftime('%Y-%m-%dT%H:%M:%SZ')},precipitation_mm,{v}" for k, v in enumerate(hours)]
    return ("time,variable,value\n" + "\n".join(rows) + "\n").encode()


def test_an_extreme_rainfall_exceedance_issues_a_mudflow_warning_for_the_stations_district(places):
    station = Station.objects.get(code="VARZOB-RAIN")
    result = observations_push(station=station, body=rain([0, 0, 6, 14, 18, 9]), content_type="text/csv")
    alarm = TechnicalAlarm.objects.filter(rule="mudflow").order_by("-level").first()
    assert alarm is not None and alarm.level == 3 and result.alarms
    warning = alarm.alert
    assert warning.state == "issued" and warning.severity == "Extreme" and warning.hazard == "mudflow"
    assert warning.status == "Actual"  # live data; the exercise marks its own
    area = warning.areas.get()
    assert area.place_code == "TJ-RA-VARZOB" and ["TJ-district", "TJ-RA-VARZOB"] in [list(g) for g in area.geocodes]
    infos = {info.language: info for info in warning.infos.all()}
    assert "Варзоб" in infos["ru"].headline and infos["tg"].headline.startswith("Хатари сел")
    assert all(info.severity == "Extreme" for info in infos.values())


def test_levels_map_to_cap_severities():
    assert severity_of("mudflow", 1) == "Moderate" and severity_of("mudflow", 3) == "Extreme"
    assert severity_of("avalanche", 2) is None and severity_of("avalanche", 5) == "Extreme"
    assert severity_of("lake_outburst", 1) == "Severe"


def test_the_sarez_places_are_in_order_of_arrival_with_planning_lead_times():
    arrivals = sarez_arrivals(celerity_m_s=5.0)
    names = [place["name"] for place, _ in arrivals]
    assert names[:3] == ["Barchadiv", "Rŭshon", "Qalaikhumb"]
    minutes = [arrival.minutes for _, arrival in arrivals]
    assert minutes == sorted(minutes)
    rushon = dict((place["name"], arrival) for place, arrival in arrivals)["Rŭshon"]
    assert rushon.minutes == pytest.approx(130.0 * 1000 / 5.0 / 60, abs=0.01)


def test_the_four_exercise_scenarios_raise_alarms_and_warnings(places):
    out = io.StringIO()
    call_command("hydromet", "demo", "--json", stdout=out)
    scenarios = {s["scenario"]: s for s in json.loads(out.getvalue())["scenarios"]}
    assert set(scenarios) == {"mudflow", "flood", "avalanche", "sarez"}
    for key, scenario in scenarios.items():
        assert scenario["alarms"], key
        issued = [w for w in scenario["warnings"] if w["state"] == "issued"]
        assert issued, (key, scenario["warnings"])
        assert not any("problem" in alarm for alarm in scenario["alarms"]), scenario["alarms"]
    assert {w["hazard"] for s in scenarios.values() for w in s["warnings"]} == {"mudflow", "flood", "avalanche", "lake_outburst"}
    mudflow = [(w["msg_type"], w["severity"], w["state"]) for w in scenarios["mudflow"]["warnings"]]
    assert mudflow[-1] == ("Update", "Minor", "issued")  # the rain stopped for 6 hours: all clear
    cleared = Alert.objects.get(pk=scenarios["mudflow"]["warnings"][-1]["id"])
    assert cleared.infos.get(language="en").response_type == "AllClear"
    flood = next(w for w in scenarios["flood"]["warnings"] if w["state"] == "issued")
    assert flood["msg_type"] == "Update" and flood["severity"] == "Severe"  # Moderate at Q2, then Q5
    avalanche_issued = next(w for w in scenarios["avalanche"]["warnings"] if w["state"] == "issued")
    assert avalanche_issued["severity"] == "Extreme"
    sarez = scenarios["sarez"]
    assert [a["state"] for a in sarez["alarms"]] == ["verified"]
    warning = Alert.objects.get(pk=sarez["warnings"][0]["id"])
    assert warning.status == "Exercise" and warning.author.username == "demo-duty"
    english = warning.infos.get(language="en").description
    assert "Barchadiv — 26 km, 1 h 28 min" in english and "Rŭshon — 130 km, 7 h 13 min" in english
    assert all(Alert.objects.get(pk=w["id"]).status == "Exercise" for s in scenarios.values() for w in s["warnings"])


def test_the_operator_pages_show_stations_plots_alarms_and_the_sarez_panel(places, client):
    from hushdor.apps.accounts.services import operator_create

    call_command("hydromet", "demo", "--json", stdout=io.StringIO())
    operator_create(username="olim", password="correct-horse-battery", roles=["editor"])
    client.login(username="olim", password="correct-horse-battery")
    page = client.get("/hydromet/").content.decode()
    assert "Varzob valley rain gauge" in page and "Obikhingou at Tavildara" in page
    sarez = client.get("/hydromet/sarez/").content.decode()
    assert "Barchadiv" in sarez and "Rŭshon" in sarez and "sarez.lake_level" in sarez
    assert "0.30 m" in sarez  # the 24-hour rise of the scenario
    station = client.get("/hydromet/stations/OBIKHINGOU-TAVILDARA/").content.decode()
    assert "discharge_m3s.png" in station
    png = client.get("/hydromet/stations/OBIKHINGOU-TAVILDARA/discharge_m3s.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    assert client.get("/hydromet/stations/OBIKHINGOU-TAVILDARA/zombies.png").status_code == 404
    alarm = TechnicalAlarm.objects.filter(rule="mudflow").first()
    response = client.post(f"/hydromet/alarms/{alarm.pk}/decide", {"state": "verified"})
    assert response.status_code == 302
    alarm.refresh_from_db()
    assert alarm.state == "verified" and alarm.decided_by.username == "olim"
    assert "mudflow" in client.get("/hydromet/alarms/").content.decode()


def test_the_forecasters_avalanche_level_wins_over_the_indicators(places, client):
    from datetime import UTC, datetime, timedelta

    from hushdor.apps.accounts.services import operator_create
    from hushdor.apps.alerts.services import alert_approve, alert_issue

    forecaster, _ = operator_create(username="firuza", password="correct-horse-battery", roles=["editor"])
    second, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    client.login(username="firuza", password="correct-horse-battery")
    response = client.post("/hydromet/avalanche-level", {"district": "TJ-SU-AYNI", "level": "2", "hours": "24"})
    assert response.status_code == 302
    # Indicators at the Anzob pass would say level 5; the forecaster's 2 wins: no warning.
    start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=48)
    rows = [f"{(start + timedelta(hours=k)).strftime('%Y-%m-%dT%H:%M:%SZ')},snow_depth_cm,{80 + k * 1.5}" for k in range(49)]
    station = Station.objects.get(code="ANZOB-PASS")
    from hushdor.apps.hydromet.warnings import _district_of

    assert _district_of(station.lat, station.lon).code == "TJ-SU-AYNI"
    observations_push(station=station, body=("time,variable,value\n" + "\n".join(rows) + "\n").encode(), content_type="text/csv")
    assert TechnicalAlarm.objects.filter(rule="avalanche").exists()
    assert not TechnicalAlarm.objects.filter(rule="avalanche", alert__isnull=False).exists()
    # The forecaster raises it to 4: the district's warning is written, by her, for someone else to approve.
    from hushdor.apps.hydromet.warnings import avalanche_level_set

    warning = avalanche_level_set(actor=forecaster, district_code="TJ-SU-AYNI", level=4)
    assert warning.state == "submitted" and warning.severity == "Severe" and warning.author == forecaster
    alert_approve(actor=second, alert=warning)
    alert_issue(actor=second, alert=warning)
    cleared = avalanche_level_set(actor=forecaster, district_code="TJ-SU-AYNI", level=1)
    assert cleared.infos.get(language="en").response_type == "AllClear"
    with pytest.raises(ValueError, match="1 to 5"):
        avalanche_level_set(actor=forecaster, district_code="TJ-SU-AYNI", level=7)


def test_a_felt_earthquake_at_the_dam_is_a_sarez_alarm_and_a_distant_one_is_not(places):
    from hushdor.apps.hydromet.felt import mmi_at

    dam = Station.objects.get(code="SAREZ-LAKE")
    near = mmi_at(dam.lat, dam.lon, event_lat=38.211, event_lon=72.780, depth_km=22.0, mag=7.2)  # Sarez 2015
    far = mmi_at(dam.lat, dam.lon, event_lat=40.3, event_lon=69.6, depth_km=10.0, mag=5.0)  # Khujand area
    assert near >= 7.0 and far < 4.0
    call_command("demo", "--once", stdout=io.StringIO())  # the replay issues the Sarez earthquake warning
    alarm = TechnicalAlarm.objects.get(rule="sarez.felt_earthquake")
    assert alarm.level == 2 and alarm.value >= 7.0 and alarm.exercise and alarm.state == "open"
    assert alarm.alert is None  # for the duty officers; public only after verification
    from hushdor.apps.accounts.services import operator_create
    from hushdor.apps.hydromet.services import alarm_set_state

    officer, _ = operator_create(username="rustam", password="correct-horse-battery", roles=["editor"])
    alarm_set_state(alarm=alarm, state="acknowledged")
    alarm_set_state(alarm=alarm, state="verified", actor=officer)
    english = TechnicalAlarm.objects.get(pk=alarm.pk).alert.infos.get(language="en").description
    assert "an earthquake shook the dam at intensity VI" in english and "Barchadiv — 26 km" in english
