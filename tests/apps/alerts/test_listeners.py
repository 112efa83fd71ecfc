"""Downstream apps hear of issues, follow-ups and expiries inside the alert's own transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.apps.alerts.conftest import make_draft

from hushdor.apps.alerts.models import Alert, AlertState
from hushdor.apps.alerts.services import (
    alert_approve,
    alert_cancel,
    alert_issue,
    alert_submit,
    alerts_expire_due,
)
from hushdor.apps.alerts.services.listeners import listen, unlisten

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events: list[tuple[str, int, str, str]] = []

    def on_published(alert):
        events.append(("published", alert.pk, alert.state, alert.msg_type))

    def on_expired(alert):
        events.append(("expired", alert.pk, alert.state, alert.msg_type))

    listen("published", on_published)
    listen("expired", on_expired)
    yield events
    unlisten("published", on_published)
    unlisten("expired", on_expired)


def _issue(editor, approver):
    alert = make_draft(editor)
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=approver, alert=alert)
    return alert_issue(actor=approver, alert=alert)


def test_an_issue_and_its_cancel_are_heard_as_published(heard, editor, approver):
    alert = _issue(editor, approver)
    cancel = alert_cancel(actor=approver, alert=alert, note="false alarm")
    assert heard == [
        ("published", alert.pk, AlertState.ISSUED, "Alert"),
        ("published", cancel.pk, AlertState.ISSUED, "Cancel"),
    ]


def test_an_expiry_is_heard(heard, editor, approver):
    alert = _issue(editor, approver)
    alerts_expire_due(now=timezone.now() + timedelta(days=2))
    assert heard[-1] == ("expired", alert.pk, AlertState.EXPIRED, "Alert")


def test_a_failing_listener_rolls_the_issue_back(editor, approver):
    alert = make_draft(editor)
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=approver, alert=alert)

    def broken(_alert):
        raise RuntimeError("outbox table unavailable")

    listen("published", broken)
    try:
        with pytest.raises(RuntimeError):
            alert_issue(actor=approver, alert=alert)
    finally:
        unlisten("published", broken)
    assert Alert.objects.get(pk=alert.pk).state == AlertState.APPROVED


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError, match="unknown alert event"):
        listen("issued", print)
