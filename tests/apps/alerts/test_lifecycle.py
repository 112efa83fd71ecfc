"""The lifecycle through the services: roles, the two-person rule, lineage, signed XML, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree
from tests.apps.alerts.conftest import info_drafts, make_draft, polygon_area

from hushdor.apps.alerts.models import Alert, AuditEntry, FeedVersion
from hushdor.apps.alerts.services import (
    AlertPermissionError,
    AlertRuleError,
    AlertValidationError,
    alert_all_clear,
    alert_approve,
    alert_cancel,
    alert_create_draft,
    alert_issue,
    alert_reject,
    alert_submit,
    alert_update,
    alerts_expire_due,
)
from hushdor.apps.alerts.services.audit import feed_version_bump
from hushdor.cap.signing import verify
from hushdor.cap.validation import ValidationContext, validate
from hushdor.cap.xml import parse

pytestmark = pytest.mark.django_db
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def test_a_draft_goes_through_submit_approve_issue(editor, approver):
    alert = make_draft(editor)
    assert alert.state == "draft" and alert.severity == "Severe" and alert.infos.count() == 3
    alert_submit(actor=editor, alert=alert)
    alert = alert_approve(actor=approver, alert=alert, comment="fine")
    assert alert.state == "approved"
    alert = alert_issue(actor=approver, alert=alert)
    assert alert.state == "issued"
    assert alert.identifier.startswith("urn:oid:2.49.0.1.762.1.")
    assert alert.sender == "coes.tj"
    actions = list(AuditEntry.objects.filter(alert=alert).values_list("action", flat=True))
    assert actions == ["draft.create", "submit", "approve", "issue"]


def test_the_issued_xml_is_signed_verifies_and_validates(issued_alert, signing_key):
    xml = bytes(issued_alert.signed_xml)
    check = verify(xml, trusted_certs=[signing_key])
    assert check.valid and check.trusted
    findings = validate(xml, rules=ValidationContext(authority="1"))
    assert [f for f in findings if f.severity == "error"] == []
    parsed = parse(xml)
    assert parsed.alert.identifier == issued_alert.identifier
    assert {info.language for info in parsed.alert.infos} == {"tg", "ru", "en"}


def test_a_tampered_issued_xml_no_longer_verifies(issued_alert, signing_key):
    xml = bytes(issued_alert.signed_xml).replace(b"Varzob valley", b"Vakhsh valley")
    assert not verify(xml, trusted_certs=[signing_key]).valid


def test_author_cannot_approve_own_severe_alert(approver):
    alert = make_draft(approver, severity="Extreme")
    alert_submit(actor=approver, alert=alert)
    with pytest.raises(AlertRuleError) as raised:
        alert_approve(actor=approver, alert=alert)
    assert raised.value.code == "two_person_rule"
    assert Alert.objects.get(pk=alert.pk).state == "submitted"


def test_a_second_approver_can_approve_the_authors_severe_alert(approver, second_approver):
    alert = make_draft(approver, severity="Severe")
    alert_submit(actor=approver, alert=alert)
    alert = alert_approve(actor=second_approver, alert=alert)
    assert alert.state == "approved"
    assert alert_issue(actor=approver, alert=alert).state == "issued"


def test_author_may_approve_own_moderate_alert(approver):
    alert = make_draft(approver, severity="Moderate")
    alert_submit(actor=approver, alert=alert)
    assert alert_approve(actor=approver, alert=alert).state == "approved"


def test_viewer_cannot_draft(viewer):
    with pytest.raises(AlertPermissionError) as raised:
        make_draft(viewer)
    assert raised.value.code == "forbidden"


def test_editor_cannot_approve_or_issue(editor):
    alert = make_draft(editor)
    alert_submit(actor=editor, alert=alert)
    with pytest.raises(AlertPermissionError):
        alert_approve(actor=editor, alert=alert)
    with pytest.raises(AlertPermissionError):
        alert_issue(actor=editor, alert=alert)


def test_an_unapproved_alert_cannot_be_issued(editor, approver):
    alert = make_draft(editor)
    with pytest.raises(AlertRuleError) as raised:
        alert_issue(actor=approver, alert=alert)
    assert raised.value.code == "wrong_state"


def test_rejection_needs_a_reason_and_sends_the_draft_back(editor, approver):
    alert = make_draft(editor)
    alert_submit(actor=editor, alert=alert)
    with pytest.raises(AlertRuleError):
        alert_reject(actor=approver, alert=alert, comment=" ")
    alert = alert_reject(actor=approver, alert=alert, comment="wrong valley")
    assert alert.state == "rejected"
    assert alert_submit(actor=editor, alert=alert).state == "submitted"


def test_an_invalid_alert_cannot_be_issued_and_nothing_is_published(editor, approver):
    alert = alert_create_draft(
        actor=editor, hazard="flood", infos=info_drafts(hours=-1), areas=[polygon_area()]
    )
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=approver, alert=alert)
    version = FeedVersion.objects.get(pk=1).version
    with pytest.raises(AlertValidationError) as raised:
        alert_issue(actor=approver, alert=alert)
    assert "alert.stale" in {finding.code for finding in raised.value.findings}
    alert.refresh_from_db()
    assert alert.state == "approved" and alert.signed_xml is None and alert.identifier is None
    assert FeedVersion.objects.get(pk=1).version == version


def test_update_references_the_original_and_retires_it(issued_alert, editor, approver):
    update = alert_update(actor=editor, alert=issued_alert)
    assert update.msg_type == "Update" and update.state == "draft"
    alert_submit(actor=editor, alert=update)
    alert_approve(actor=approver, alert=update)
    update = alert_issue(actor=approver, alert=update)
    issued_alert.refresh_from_db()
    assert issued_alert.state == "updated"
    root = etree.fromstring(bytes(update.signed_xml))
    assert root.findtext(f"{CAP}msgType") == "Update"
    references = root.findtext(f"{CAP}references")
    assert f"coes.tj,{issued_alert.identifier}," in references


def test_cancel_references_every_earlier_message_and_cancels_the_chain(issued_alert, editor, approver):
    update = alert_update(actor=editor, alert=issued_alert)
    alert_submit(actor=editor, alert=update)
    alert_approve(actor=approver, alert=update)
    update = alert_issue(actor=approver, alert=update, now=timezone.now() + timedelta(seconds=2))
    cancel = alert_cancel(
        actor=approver, alert=update, note="false alarm", now=timezone.now() + timedelta(seconds=4)
    )
    assert cancel.state == "issued" and cancel.msg_type == "Cancel"
    references = etree.fromstring(bytes(cancel.signed_xml)).findtext(f"{CAP}references").split()
    assert [ref.split(",")[1] for ref in references] == [issued_alert.identifier, update.identifier]
    assert set(Alert.objects.filter(pk__in=[issued_alert.pk, update.pk]).values_list("state", flat=True)) == {
        "cancelled"
    }
    with pytest.raises(AlertRuleError) as raised:
        alert_update(actor=editor, alert=update)
    assert raised.value.code == "not_current"


def test_an_update_drafted_before_a_cancel_cannot_be_issued_after_it(issued_alert, editor, approver):
    update = alert_update(actor=editor, alert=issued_alert)
    alert_cancel(actor=approver, alert=issued_alert)
    alert_submit(actor=editor, alert=update)
    alert_approve(actor=approver, alert=update)
    with pytest.raises(AlertRuleError) as raised:
        alert_issue(actor=approver, alert=update)
    assert raised.value.code == "not_current"


def test_all_clear_is_an_update_with_response_all_clear(issued_alert, approver):
    clear = alert_all_clear(actor=approver, alert=issued_alert)
    root = etree.fromstring(bytes(clear.signed_xml))
    assert root.findtext(f"{CAP}msgType") == "Update"
    assert {el.text for el in root.iter(f"{CAP}responseType")} == {"AllClear"}
    issued_alert.refresh_from_db()
    assert issued_alert.state == "updated"


def test_expiry_job_expires_due_alerts_and_bumps_the_feed(issued_alert):
    before = FeedVersion.objects.get(pk=1).version
    assert alerts_expire_due(now=timezone.now()) == 0
    assert alerts_expire_due(now=issued_alert.expires + timedelta(seconds=1)) == 1
    issued_alert.refresh_from_db()
    assert issued_alert.state == "expired"
    assert FeedVersion.objects.get(pk=1).version == before + 1
    assert AuditEntry.objects.filter(alert=issued_alert, action="expire", actor=None).exists()


def test_audit_entries_cannot_be_changed_or_deleted(issued_alert):
    entry = AuditEntry.objects.filter(alert=issued_alert).first()
    entry.action = "forged"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    with pytest.raises(RuntimeError):
        AuditEntry.objects.all().delete()


def test_feed_version_bump_creates_the_row_when_missing():
    FeedVersion.objects.all().delete()
    feed_version_bump()
    assert FeedVersion.objects.get(pk=1).version == 1
