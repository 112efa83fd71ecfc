"""The alert lifecycle: draft → submit → approve (or reject) → issue → update / cancel / all-clear → expire.

Every function is keyword-only, takes the ``actor`` doing it, checks the actor's role, runs in one
transaction and writes its audit record in that same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hushdor.apps.accounts.roles import APPROVER, EDITOR
from hushdor.apps.alerts.models import Alert, AlertApproval, AlertArea, AlertInfo, AlertState
from hushdor.apps.alerts.models.alert import EDITABLE_STATES
from hushdor.apps.alerts.services.areas import area_fields
from hushdor.apps.alerts.services.audit import audit_record, feed_version_bump
from hushdor.apps.alerts.services.building import cap_sender
from hushdor.apps.alerts.services.drafts import AreaDraft, InfoDraft, alert_fields_checked
from hushdor.apps.alerts.services.errors import AlertRuleError
from hushdor.apps.alerts.services.follow_up import (
    CANCELLED_PREFIX,
    all_clear_info,
    area_drafts_of,
    cancelled_info,
    info_drafts_of,
    replaced,
)
from hushdor.apps.alerts.services.listeners import notify
from hushdor.apps.alerts.services.publish import publish
from hushdor.apps.alerts.services.rules import (
    approvals_counted,
    check_not_own_alert,
    highest_severity,
    needs_two_persons,
    policy_for,
    require_role,
    require_state,
)
from hushdor.cap.model import MsgType, Scope, Status


@transaction.atomic
def alert_create_draft(
    *,
    actor,
    hazard: str,
    infos: list[InfoDraft],
    areas: list[AreaDraft],
    status: str = Status.ACTUAL,
    scope: str = Scope.PUBLIC,
    note: str = "",
) -> Alert:
    require_role(actor, EDITOR, _("draft alerts"))
    hazard, status, scope = alert_fields_checked(hazard=hazard, status=status, scope=scope)
    alert = Alert.objects.create(
        sender=cap_sender(),
        hazard=hazard,
        severity="Unknown",
        author=actor,
        status=status,
        scope=scope,
        note=note,
    )
    alert.lineage_root = alert
    _write_content(alert, infos, areas)
    audit_record(actor=actor, action="draft.create", alert=alert, details={"hazard": hazard})
    return alert


@transaction.atomic
def alert_edit_draft(
    *,
    actor,
    alert: Alert,
    infos: list[InfoDraft],
    areas: list[AreaDraft],
    note: str | None = None,
    hazard: str | None = None,
    status: str | None = None,
    scope: str | None = None,
) -> Alert:
    """Rewrite a draft's text and areas; ``hazard``, ``status`` and ``scope`` change when given."""
    require_role(actor, EDITOR, _("edit alerts"))
    alert = _locked(alert)
    require_state(alert, EDITABLE_STATES, _("edit"))
    alert.hazard, alert.status, alert.scope = alert_fields_checked(
        hazard=hazard or alert.hazard, status=status or alert.status, scope=scope or alert.scope
    )
    if note is not None:
        alert.note = note
    alert.state = AlertState.DRAFT
    _write_content(alert, infos, areas)
    audit_record(actor=actor, action="draft.edit", alert=alert)
    return alert


@transaction.atomic
def alert_delete_draft(*, actor, alert: Alert) -> None:
    require_role(actor, EDITOR, _("delete drafts"))
    alert = _locked(alert)
    require_state(alert, EDITABLE_STATES, _("delete"))
    audit_record(actor=actor, action="draft.delete", alert=None, details={"alert_id": alert.pk})
    alert.infos.all().delete()
    alert.areas.all().delete()
    alert.approvals.all().delete()
    Alert.objects.filter(pk=alert.pk).update(lineage_root=None)
    Alert.objects.filter(pk=alert.pk).delete()


@transaction.atomic
def alert_submit(*, actor, alert: Alert) -> Alert:
    require_role(actor, EDITOR, _("submit alerts"))
    alert = _locked(alert)
    require_state(alert, EDITABLE_STATES, _("submit"))
    alert.state = AlertState.SUBMITTED
    alert.save(update_fields=["state", "changed_at"])
    alert.approvals.all().delete()
    audit_record(actor=actor, action="submit", alert=alert)
    return alert


@transaction.atomic
def alert_approve(*, actor, alert: Alert, comment: str = "") -> Alert:
    require_role(actor, APPROVER, _("approve alerts"))
    alert = _locked(alert)
    require_state(alert, [AlertState.SUBMITTED], _("approve"))
    check_not_own_alert(actor, alert)
    if alert.approvals.filter(approver=actor, decision=AlertApproval.Decision.APPROVE).exists():
        raise AlertRuleError(_("you have already approved this alert"), code="already_decided")
    AlertApproval.objects.create(
        alert=alert, approver=actor, decision=AlertApproval.Decision.APPROVE, comment=comment
    )
    required = policy_for(alert.hazard, alert.severity).approvers_required
    counted = approvals_counted(alert)
    if counted >= required:
        alert.state = AlertState.APPROVED
        alert.save(update_fields=["state", "changed_at"])
    audit_record(
        actor=actor,
        action="approve",
        alert=alert,
        details={"comment": comment, "approvals": counted, "required": required},
    )
    return alert


@transaction.atomic
def alert_reject(*, actor, alert: Alert, comment: str) -> Alert:
    require_role(actor, APPROVER, _("reject alerts"))
    if not comment.strip():
        raise AlertRuleError(_("say why the alert is rejected"), code="bad_input")
    alert = _locked(alert)
    require_state(alert, [AlertState.SUBMITTED, AlertState.APPROVED], _("reject"))
    AlertApproval.objects.create(
        alert=alert, approver=actor, decision=AlertApproval.Decision.REJECT, comment=comment
    )
    alert.state = AlertState.REJECTED
    alert.save(update_fields=["state", "changed_at"])
    audit_record(actor=actor, action="reject", alert=alert, details={"comment": comment})
    return alert


@transaction.atomic
def alert_issue(*, actor, alert: Alert, now: datetime | None = None) -> Alert:
    """Sign and publish an approved alert. Raises AlertValidationError if the CAP would be invalid."""
    require_role(actor, APPROVER, _("issue alerts"))
    alert = _locked(alert)
    require_state(alert, [AlertState.APPROVED], _("issue"))
    if needs_two_persons(alert) and approvals_counted(alert) < 1:
        raise AlertRuleError(
            _(
                "a Severe or Extreme public alert needs an approval by someone other than its "
                "author before it is issued"
            ),
            code="two_person_rule",
        )
    warnings = publish(alert, now=now or timezone.now())
    audit_record(
        actor=actor,
        action="issue",
        alert=alert,
        details={"identifier": alert.identifier, "warnings": [str(w) for w in warnings]},
    )
    return alert


@transaction.atomic
def alert_update(
    *,
    actor,
    alert: Alert,
    infos: list[InfoDraft] | None = None,
    areas: list[AreaDraft] | None = None,
    note: str = "",
) -> Alert:
    """A new draft (msgType Update) of the current message ``alert``; it goes through review as usual."""
    require_role(actor, EDITOR, _("draft updates"))
    current = _current(alert, _("update"))
    follow_up = _follow_up(actor, current, MsgType.UPDATE, note)
    copied = [replaced(draft, effective=None) for draft in info_drafts_of(current)]
    _write_content(
        follow_up,
        infos if infos is not None else copied,
        areas if areas is not None else area_drafts_of(current),
    )
    audit_record(actor=actor, action="update.draft", alert=follow_up, details={"updates": current.identifier})
    return follow_up


@transaction.atomic
def alert_cancel(*, actor, alert: Alert, note: str = "", now: datetime | None = None) -> Alert:
    """Cancel the chain at once (one click): a Cancel message referencing every earlier one, issued.

    An approver may cancel alone, also a Severe/Extreme alert: withdrawing a false alarm must not wait
    for a second person (the 2018 Hawaii false alarm stayed uncorrected for 38 minutes).
    """
    require_role(actor, APPROVER, _("cancel alerts"))
    now = now or timezone.now()
    current = _current(alert, _("cancel"))
    follow_up = _follow_up(actor, current, MsgType.CANCEL, note)
    infos = [cancelled_info(draft, CANCELLED_PREFIX, now, note) for draft in info_drafts_of(current)]
    _write_content(follow_up, infos, area_drafts_of(current))
    publish(follow_up, now=now)
    audit_record(
        actor=actor,
        action="cancel",
        alert=follow_up,
        details={"cancels": current.identifier, "identifier": follow_up.identifier, "note": note},
    )
    return follow_up


@transaction.atomic
def alert_all_clear(*, actor, alert: Alert, note: str = "", now: datetime | None = None) -> Alert:
    """Declare the danger over (one click): an Update with responseType AllClear, urgency Past, issued."""
    require_role(actor, APPROVER, _("declare all clear"))
    now = now or timezone.now()
    current = _current(alert, _("declare all clear for"))
    follow_up = _follow_up(actor, current, MsgType.UPDATE, note)
    infos = [all_clear_info(draft, now, note) for draft in info_drafts_of(current)]
    _write_content(follow_up, infos, area_drafts_of(current))
    publish(follow_up, now=now)
    audit_record(
        actor=actor,
        action="all_clear",
        alert=follow_up,
        details={"clears": current.identifier, "identifier": follow_up.identifier},
    )
    return follow_up


@transaction.atomic
def alerts_expire_due(*, now: datetime | None = None) -> int:
    """Mark issued alerts whose ``expires`` has passed as expired; returns how many."""
    now = now or timezone.now()
    due = list(Alert.objects.select_for_update().filter(state=AlertState.ISSUED, expires__lte=now))
    for alert in due:
        alert.state = AlertState.EXPIRED
        alert.save(update_fields=["state", "changed_at"])
        audit_record(actor=None, action="expire", alert=alert, details={"expires": alert.expires.isoformat()})
        notify("expired", alert)
    if due:
        feed_version_bump()
    return len(due)


# --- helpers ------------------------------------------------------------------------------------


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _current(alert: Alert, doing: str) -> Alert:
    current = _locked(alert)
    if current.state != AlertState.ISSUED or current.msg_type == MsgType.CANCEL:
        raise AlertRuleError(
            _(
                "only the current issued message of a chain can be followed up; cannot %(doing)s "
                "%(alert)s (%(state)s)"
            )
            % {"doing": doing, "alert": current, "state": current.get_state_display()},
            code="not_current",
        )
    return current


def _follow_up(actor, current: Alert, msg_type: MsgType, note: str) -> Alert:
    return Alert.objects.create(
        sender=current.sender,
        status=current.status,
        scope=current.scope,
        hazard=current.hazard,
        severity=current.severity,
        note=note,
        author=actor,
        msg_type=msg_type,
        supersedes=current,
        lineage_root_id=current.lineage_root_id or current.pk,
    )


def _write_content(alert: Alert, infos: list[InfoDraft], areas: list[AreaDraft]) -> None:
    infos = [draft.checked() for draft in infos]
    if not infos:
        raise AlertRuleError(_("an alert needs its text in at least one language"), code="bad_input")
    languages = [draft.language for draft in infos]
    if len(set(languages)) != len(languages):
        raise AlertRuleError(_("one text per language"), code="bad_input")
    rows = [area_fields(draft.checked()) for draft in areas]
    alert.infos.all().delete()
    alert.areas.all().delete()
    for draft in infos:
        AlertInfo.objects.create(
            alert=alert,
            language=draft.language,
            category=str(draft.category),
            event=draft.event.strip(),
            response_type=str(draft.response_type or ""),
            urgency=str(draft.urgency),
            severity=str(draft.severity),
            certainty=str(draft.certainty),
            headline=draft.headline.strip(),
            description=draft.description.strip(),
            instruction=draft.instruction.strip(),
            effective=draft.effective,
            onset=draft.onset,
            expires=draft.expires,
            web=draft.web,
            contact=draft.contact,
            parameters=dict(draft.parameters),
        )
    for row in rows:
        AlertArea.objects.create(alert=alert, **row)
    alert.severity = highest_severity(draft.severity for draft in infos)
    expiries = [draft.expires for draft in infos if draft.expires is not None]
    alert.expires = max(expiries) if expiries else None
    alert.save()


@transaction.atomic
def alert_mark_reviewed(*, actor, alert: Alert, comment: str = "") -> Alert:
    """A person has looked at an automatically issued alert."""
    require_role(actor, APPROVER, _("review automatic alerts"))
    alert = _locked(alert)
    if not alert.needs_review:
        raise AlertRuleError(_("this alert does not wait for a review"), code="wrong_state")
    alert.needs_review = False
    alert.save(update_fields=["needs_review", "changed_at"])
    audit_record(actor=actor, action="review", alert=alert, details={"comment": comment})
    return alert
