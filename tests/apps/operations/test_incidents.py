"""Warnings open incidents; the logbook is append-only in code and in the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from tests.apps.alerts.conftest import make_draft

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.alerts.services import alert_approve, alert_cancel, alert_issue, alert_submit
from hushdor.apps.operations.models import Incident, LogEntry
from hushdor.apps.operations.services import (
    OperationsError,
    incident_open,
    incident_open_for_alarm,
    incident_set_status,
    logbook_write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def environment(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    editor, _ = operator_create(username="edith", password="correct-horse-battery", roles=["editor"])
    approver, _ = operator_create(username="anna", password="correct-horse-battery", roles=["approver"])
    second, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    return editor, approver, second


def issued(people):
    editor, approver, second = people
    alert = make_draft(editor)
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=second, alert=alert)
    return alert_issue(actor=approver, alert=alert)


def test_an_issued_warning_opens_an_incident_and_its_follow_ups_are_logged_in_it(people):
    alert = issued(people)
    incident = Incident.objects.get(alert_chain=alert)
    assert incident.hazard == "mudflow" and incident.title.startswith("Mudflow danger")
    cancel = alert_cancel(actor=people[1], alert=alert, note="rain stopped")
    texts = list(incident.log.values_list("text", flat=True))
    assert texts == [f"Incident opened by warning {alert.identifier}", f"Warning Cancel: {cancel.identifier}"]
    assert Incident.objects.count() == 1


def test_a_draft_opens_nothing(people):
    make_draft(people[0])
    assert Incident.objects.count() == 0


def test_a_correction_is_a_new_entry_pointing_at_the_corrected_one(people):
    incident = incident_open(title="Mudflow in Varzob", hazard="mudflow", author=people[0])
    wrong = logbook_write(incident=incident, text="12 houses destroyed in Ziddi", author=people[0], source="jamoat")
    fixed = logbook_write(incident=incident, text="Correction: 12 houses damaged, 2 destroyed", author=people[0], corrects=wrong)
    assert fixed.corrects_id == wrong.pk and list(wrong.corrections.all()) == [fixed]
    with pytest.raises(ValueError, match="append-only"):
        wrong.text = "rewritten"
        wrong.save()
    with pytest.raises(ValueError, match="append-only"):
        wrong.delete()


def test_the_database_refuses_to_rewrite_or_delete_an_entry(people):
    incident = incident_open(title="Flood on the Vakhsh", hazard="flood")
    entry = logbook_write(incident=incident, text="Gauge at Komsomolabad +80 cm in 3 h")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE operations_logentry SET text = %s WHERE id = %s", ["nothing happened", entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM operations_logentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(text="bulk rewrite")
    assert LogEntry.objects.get(pk=entry.pk).text == "Gauge at Komsomolabad +80 cm in 3 h"


def test_a_closed_incident_takes_no_more_entries_and_bad_entries_are_refused(people):
    incident = incident_open_for_alarm(title="Sarez: lake +0.30 m in 24 h", hazard="lake", place_codes=["TJ-GB-RUSHON"], alarm="sarez.lake_level#1")
    other = incident_open(title="Avalanche, Anzob", hazard="avalanche")
    entry = logbook_write(incident=other, text="Road closed")
    with pytest.raises(OperationsError, match="same incident"):
        logbook_write(incident=incident, text="x", corrects=entry)
    with pytest.raises(OperationsError, match="needs text"):
        logbook_write(incident=incident, text="  ")
    incident = incident_set_status(incident=incident, status="closed")
    with pytest.raises(OperationsError, match="closed"):
        logbook_write(incident=incident, text="one more")
    assert incident.log.last().text == "Status open → closed"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_still_flush_a_database_holding_log_entries():
    """The flush after this test empties the logbook through the maintenance unlock (tests/conftest.py);
    the next test finds the lock back (test_the_database_refuses_to_rewrite_or_delete_an_entry)."""
    incident = incident_open(title="Earthquake drill", hazard="earthquake")
    logbook_write(incident=incident, text="Drill started")
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM operations_logentry")


def test_the_incident_pages_list_show_and_take_entries_by_role(people, client):
    alert = issued(people)
    incident = Incident.objects.get(alert_chain=alert)
    operator_create(username="victor", password="correct-horse-battery", roles=["viewer"])
    client.login(username="victor", password="correct-horse-battery")
    listing = client.get("/operations/").content.decode()
    assert incident.title in listing and f"/operations/{incident.pk}/" in listing
    board = client.get(f"/operations/{incident.pk}/").content.decode()
    assert 'id="logbook"' in board and alert.identifier in board and 'id="log-entry"' not in board
    assert client.post(f"/operations/{incident.pk}/log", {"text": "viewer note"}).status_code == 403
    client.login(username="edith", password="correct-horse-battery")
    first = LogEntry.objects.filter(incident=incident).first()
    response = client.post(f"/operations/{incident.pk}/log", {"text": "Ziddi: 12 houses damaged", "source": "jamoat"})
    assert response.status_code == 302
    client.post(f"/operations/{incident.pk}/log", {"text": "8 houses, not 12", "corrects": first.pk + 1})
    correction = LogEntry.objects.filter(incident=incident).order_by("-pk").first()
    assert correction.corrects.text == "Ziddi: 12 houses damaged" and correction.author.username == "edith"
    board = client.get(f"/operations/{incident.pk}/").content.decode()
    assert "Correction of entry" in board
    client.login(username="anna", password="correct-horse-battery")
    client.post(f"/operations/{incident.pk}/status", {"status": "response"})
    incident.refresh_from_db()
    assert incident.status == "response"
