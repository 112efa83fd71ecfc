"""The two-person rule counts everyone who wrote a Severe/Extreme public alert's text, not only the
person who created the draft: an approver who rewrites a colleague's draft cannot approve it."""

from __future__ import annotations

import pytest
from tests.apps.alerts.conftest import info_drafts, make_draft, polygon_area

from hushdor.apps.alerts.models import Alert
from hushdor.apps.alerts.services import (
    AlertRuleError,
    alert_approve,
    alert_edit_draft,
    alert_issue,
    alert_submit,
)

pytestmark = pytest.mark.django_db


def test_an_approver_who_edited_a_severe_draft_cannot_approve_it(editor, approver):
    alert = make_draft(editor, severity="Minor")
    alert = alert_edit_draft(
        actor=approver, alert=alert, infos=info_drafts("Extreme"), areas=[polygon_area()]
    )
    assert alert.severity == "Extreme"
    alert_submit(actor=approver, alert=alert)
    with pytest.raises(AlertRuleError) as raised:
        alert_approve(actor=approver, alert=alert)
    assert raised.value.code == "two_person_rule"
    assert Alert.objects.get(pk=alert.pk).state == "submitted"


def test_the_editors_approval_does_not_count_towards_issuing(editor, approver, second_approver):
    alert = make_draft(approver, severity="Severe")
    alert_edit_draft(actor=second_approver, alert=alert, infos=info_drafts("Severe"), areas=[polygon_area()])
    alert_submit(actor=approver, alert=alert)
    for person in (approver, second_approver):
        with pytest.raises(AlertRuleError) as raised:
            alert_approve(actor=person, alert=alert)
        assert raised.value.code == "two_person_rule"
    with pytest.raises(AlertRuleError):
        alert_issue(actor=approver, alert=alert)
    assert Alert.objects.get(pk=alert.pk).state == "submitted"


def test_a_third_person_may_approve_a_draft_two_people_wrote(editor, approver, second_approver):
    alert = make_draft(editor, severity="Severe")
    alert_edit_draft(actor=approver, alert=alert, infos=info_drafts("Severe"), areas=[polygon_area()])
    alert_submit(actor=editor, alert=alert)
    alert = alert_approve(actor=second_approver, alert=alert)
    assert alert.state == "approved"
    assert alert_issue(actor=approver, alert=alert).state == "issued"


@pytest.fixture
def admin(db):
    from hushdor.apps.accounts.services import operator_create

    user, _password = operator_create(username="adil", password="correct-horse-battery", roles=["admin"])
    return user


def test_an_admin_cannot_approve_their_own_alert_through_a_token_made_for_an_approver(
    admin, approver, second_approver
):
    from hushdor.apps.alerts.services.tokens import api_token_create, api_token_user

    alert = make_draft(admin, severity="Extreme")
    alert_submit(actor=admin, alert=alert)
    _row, token = api_token_create(user=approver, name="approver's script", actor=admin)
    acting_as = api_token_user(token)
    assert acting_as == approver
    with pytest.raises(AlertRuleError) as raised:
        alert_approve(actor=acting_as, alert=alert)
    assert raised.value.code == "two_person_rule"
    assert alert_approve(actor=second_approver, alert=alert).state == "approved"


def test_an_admin_cannot_write_an_alert_as_someone_else_and_approve_it(admin, editor, second_approver):
    from hushdor.apps.alerts.services.tokens import api_token_create, api_token_revoke, api_token_user

    row, token = api_token_create(user=editor, name="editor's script", actor=admin)
    alert = make_draft(api_token_user(token), severity="Severe")
    alert_submit(actor=editor, alert=alert)
    with pytest.raises(AlertRuleError) as raised:
        alert_approve(actor=admin, alert=alert)
    assert raised.value.code == "two_person_rule"
    api_token_revoke(actor=admin, token=row)  # it was usable while the alert was written: still tied
    with pytest.raises(AlertRuleError):
        alert_approve(actor=admin, alert=alert)
    assert alert_approve(actor=second_approver, alert=alert).state == "approved"
