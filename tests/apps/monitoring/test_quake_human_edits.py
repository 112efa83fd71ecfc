"""A person's words are never overwritten silently: automatic follow-ups of a human-written message wait.

The chain issues the first warning automatically; a duty officer then issues a manual Update (her own
wording). A revised solution must not replace it: its Update is held for an approver, with the reason
on the event page and the differences on the alert page, and the dashboard gets a notification.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.apps.monitoring.test_quake_warning import received, report, result

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.alerts.models import Alert, AlertState
from hushdor.apps.alerts.selectors import automatic_hold_reason, follow_up_changes
from hushdor.apps.alerts.services import alert_approve, alert_issue, alert_submit, alert_update
from hushdor.apps.alerts.services.follow_up import info_drafts_of
from hushdor.apps.monitoring.models import OperatorNotification
from hushdor.apps.monitoring.services.association import origin_receive
from hushdor.apps.monitoring.services.quake_warning import quake_warning_for_event
from hushdor.cap.model import MsgType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def signing_key_folder(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)
    settings.VAR_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    editor, _ = operator_create(username="dilnoza", password="correct-horse-battery", roles=["editor", "viewer"])
    approver, _ = operator_create(username="farrukh", password="correct-horse-battery", roles=["approver"])
    second, _ = operator_create(username="gulnora", password="correct-horse-battery", roles=["approver"])
    return editor, approver, second


def _human_update(editor, approver, second, current: Alert) -> Alert:
    infos = info_drafts_of(current)
    infos = [
        type(info)(**{**vars(info), "instruction": info.instruction + " Школа № 5 открыта как пункт сбора."})
        if info.language == "ru"
        else info
        for info in infos
    ]
    draft = alert_update(actor=editor, alert=current, infos=infos)
    alert_submit(actor=editor, alert=draft)
    alert_approve(actor=second, alert=draft)
    return alert_issue(actor=approver, alert=draft)


def test_an_automatic_update_of_a_human_written_message_is_held_with_the_reason(people):
    editor, approver, second = people
    event = received(report(), result(6))
    first = quake_warning_for_event(event.pk)
    human = _human_update(editor, approver, second, Alert.objects.get(pk=first.alert_id))
    assert human.state == AlertState.ISSUED

    received(report(magnitude=6.4, updated_min=30), result(7, alert="yellow"))
    outcome = quake_warning_for_event(event.pk)

    assert outcome.state == "draft" and outcome.identifier is None
    assert "written by dilnoza" in outcome.reason
    held = Alert.objects.get(pk=outcome.alert_id)
    assert (held.state, held.msg_type, held.supersedes_id) == (AlertState.SUBMITTED, MsgType.UPDATE, human.pk)
    assert Alert.objects.get(pk=human.pk).state == AlertState.ISSUED  # her message is still the one out
    assert "dilnoza" in automatic_hold_reason(held)
    changed = {(change["language"], change["field"]) for change in follow_up_changes(held)}
    # her added sentence would disappear, and the magnitude changes: both are shown to the reviewer
    assert {("ru", "instruction"), ("ru", "description"), ("tg", "description")} <= changed
    assert OperatorNotification.objects.filter(subject=f"alert #{held.pk} held for review").exists()

    # An approver reads it and issues it: the chain goes on from her message.
    alert_approve(actor=second, alert=held)
    issued = alert_issue(actor=approver, alert=held)
    assert issued.state == AlertState.ISSUED and Alert.objects.get(pk=human.pk).state == AlertState.UPDATED


def test_an_automatic_update_of_an_automatic_message_is_still_issued_at_once(people):
    event = received(report(), result(6))
    quake_warning_for_event(event.pk)
    received(report(magnitude=6.4, updated_min=30), result(7, alert="yellow"))
    assert quake_warning_for_event(event.pk).state == "updated"


def test_a_later_revision_updates_the_human_message_again_not_a_new_chain(people):
    editor, approver, second = people
    event = received(report(), result(6))
    first = quake_warning_for_event(event.pk)
    human = _human_update(editor, approver, second, Alert.objects.get(pk=first.alert_id))
    received(report(magnitude=6.4, updated_min=30), result(7, alert="yellow"))
    quake_warning_for_event(event.pk)
    received(report(magnitude=6.6, updated_min=45), result(8, alert="orange"))
    again = quake_warning_for_event(event.pk)
    assert again.state == "draft"
    assert Alert.objects.get(pk=again.alert_id).supersedes_id == human.pk
    assert Alert.objects.filter(msg_type=MsgType.ALERT).count() == 1  # no second chain was opened


def test_a_deleted_event_proposes_a_cancel_of_a_human_written_message_for_review(people):
    editor, approver, second = people
    event = received(report(), result(6))
    first = quake_warning_for_event(event.pk)
    human = _human_update(editor, approver, second, Alert.objects.get(pk=first.alert_id))
    origin_receive(report(deleted=True, updated_min=60))
    outcome = quake_warning_for_event(event.pk)
    assert outcome.state == "draft" and "held" in outcome.reason
    cancel = Alert.objects.get(pk=outcome.alert_id)
    assert (cancel.msg_type, cancel.state) == (MsgType.CANCEL, AlertState.SUBMITTED)
    assert Alert.objects.get(pk=human.pk).state == AlertState.ISSUED


def test_the_pages_say_why_and_show_the_differences(people, client):
    editor, approver, second = people
    event = received(report(), result(6))
    first = quake_warning_for_event(event.pk)
    _human_update(editor, approver, second, Alert.objects.get(pk=first.alert_id))
    received(report(magnitude=6.4, updated_min=30), result(7, alert="yellow"))
    held = quake_warning_for_event(event.pk)
    client.login(username="farrukh", password="correct-horse-battery")
    page = client.get(reverse("alerts:detail", args=[held.alert_id])).content.decode()
    assert 'id="hold-reason"' in page and "written by dilnoza" in page
    assert 'id="changes"' in page and "<del>" in page and "Школа № 5" in page
    client.login(username="dilnoza", password="correct-horse-battery")
    event_page = client.get(reverse("monitoring:event", args=[event.pk])).content.decode()
    assert "Held for review: the current message was written by a person." in event_page
