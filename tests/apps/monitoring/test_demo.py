"""``hushdor demo``: the headless replay on a fresh database, and the demo operator."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from hushdor.apps.accounts.roles import ROLES, roles_of
from hushdor.apps.alerts.models import Alert
from hushdor.apps.monitoring.models import SeismicEvent
from hushdor.cap.xml import parse


@pytest.fixture(autouse=True)
def embedded_signing_key(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)
    settings.VAR_DIR = tmp_path / "var"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_demo_once_replays_the_catalogue_through_the_chain(tmp_path):
    out = io.StringIO()
    call_command("demo", "--once", "--json", "--out", str(tmp_path / "cap"), stdout=out)
    report = json.loads(out.getvalue())
    events = {event["id"]: event for event in report["events"]}
    assert set(events) == {
        "gissar-1989",
        "kairakkum-1985",
        "rasht-2021",
        "hindukush-2015",
        "chile-2019",
        "sarez-2015",
    }
    for event in report["events"]:
        assert {
            "id",
            "mag",
            "max_mmi",
            "exposed_mmi6plus",
            "alert_level",
            "warning",
            "cap_identifier",
        } <= set(event)

    sarez = events["sarez-2015"]
    assert sarez["warning"] == "issued" and sarez["cap_identifier"]
    assert sarez["mag"] == pytest.approx(7.2) and sarez["exposed_mmi6plus"] > 0
    assert [message["msg_type"] for message in sarez["messages"]] == ["Alert", "Update"]

    chile = events["chile-2019"]
    assert (chile["warning"], chile["cap_identifier"], chile["exposed_mmi6plus"]) == ("none", None, 0)

    hindu_kush = events["hindukush-2015"]
    assert hindu_kush["regime"] == "intermediate-depth"
    event = SeismicEvent.objects.get(pk=hindu_kush["event_id"])
    branches = event.assessments.get().result["branches"]
    assert [branch["model"] for branch in branches] == ["ZhaoEtAl2006SSlab"]  # the deep branch

    # Two agencies, one event: the EMSC origin joined the Sarez event.
    sarez_event = SeismicEvent.objects.get(pk=sarez["event_id"])
    assert sorted(sarez_event.origins.values_list("agency", flat=True)) == ["EMSC", "USGS", "USGS"]
    assert SeismicEvent.objects.count() == 6
    latest = sarez_event.assessments.filter(origin_id=sarez_event.preferred_origin_id).get()
    assert bytes(latest.shakemap_png).startswith(b"\x89PNG")
    assert {feature["properties"]["mmi"] for feature in latest.contours_geojson["features"]} >= {5, 6, 7}

    files = sorted((tmp_path / "cap").glob("*.xml"))
    assert len(files) == len(report["cap_files"]) == Alert.objects.exclude(identifier=None).count()
    call_command("cap", "validate", *map(str, files), stdout=io.StringIO())  # raises CommandError if invalid
    first = parse(files[0].read_bytes()).alert
    assert first.status.value == "Exercise" and first.note == "Replay of a past event"


@pytest.mark.django_db
def test_demo_once_twice_writes_nothing_new(tmp_path):
    call_command("demo", "--once", "--json", stdout=io.StringIO())
    alerts = Alert.objects.count()
    call_command("demo", "--once", "--json", stdout=io.StringIO())
    assert Alert.objects.count() == alerts and SeismicEvent.objects.count() == 6


@pytest.mark.django_db
def test_demo_setup_creates_the_operator_with_every_role_and_prints_the_password(client):
    out = io.StringIO()
    call_command("demo", "--setup", stdout=out)
    line, subscribers = out.getvalue().strip().splitlines()
    assert line.startswith("operator: demo password: ")
    assert subscribers == "demo subscribers: 5 created, 0 already there"
    password = line.rsplit(" ", 1)[1]
    assert client.login(username="demo", password=password)
    from django.contrib.auth import get_user_model

    assert roles_of(get_user_model().objects.get(username="demo")) == set(ROLES)
    call_command("demo", "--setup", stdout=io.StringIO())  # resetting works too
