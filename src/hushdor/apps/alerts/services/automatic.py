"""The fast path: what a trigger (the earthquake chain, the Sarez lake monitor) calls.

``alert_issue_automatic`` writes the alert and lets the stored :class:`Policy` for
``(hazard, severity)`` decide: under an *automatic* policy it is validated, signed and issued at once
and flagged ``needs_review`` so a person looks at it afterwards; under a *reviewed* policy it waits as
a submitted alert for an approver. If an automatic alert fails CAP validation it is not published:
it is left submitted, with the findings in its audit record, for a person to fix.

``alert_update_automatic`` and ``alert_cancel_automatic`` are the same for follow-ups (a revised or a
withdrawn earthquake): no author, the Policy decides for updates, a cancel is issued at once.

A person's words are never overwritten silently. When the current message of the chain was written by
a person (a manual Update, say, that corrected the automatic text), an automatic Update or Cancel is
not issued: it is held as a submitted alert for an approver, with the reason in its audit record
(``automatic.update.held`` / ``automatic.cancel.held``, read by ``selectors.automatic_hold_reason``) and the
differences shown on its page. A Cancel is held too: the person who took the chain over may know what
the feed does not (felt reports of a quake an agency has since deleted); the operator is told at once.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hushdor.apps.alerts.models import Alert, AlertState, PolicyMode
from hushdor.apps.alerts.services.audit import audit_record
from hushdor.apps.alerts.services.building import cap_sender
from hushdor.apps.alerts.services.drafts import AreaDraft, InfoDraft
from hushdor.apps.alerts.services.errors import AlertValidationError
from hushdor.apps.alerts.services.follow_up import (
    CANCELLED_PREFIX,
    area_drafts_of,
    cancelled_info,
    info_drafts_of,
)
from hushdor.apps.alerts.services.lifecycle import _current, _follow_up, _write_content
from hushdor.apps.alerts.services.publish import publish
from hushdor.apps.alerts.services.rules import content_writers, policy_for
from hushdor.cap.model import MsgType, Scope, Status


@transaction.atomic
def alert_issue_automatic(
    *,
    hazard: str,
    severity: str,
    infos: list[InfoDraft],
    areas: list[AreaDraft],
    status: str = Status.ACTUAL,
    scope: str = Scope.PUBLIC,
    note: str = "",
    trigger: str = "",
    now: datetime | None = None,
) -> Alert:
    """Create an alert from a trigger; issue it at once if the policy for (hazard, severity) says so.

    ``trigger`` names what fired (e.g. ``"quake:usgs:us7000abcd"``) for the audit trail. Returns the
    Alert: ``state == "issued"`` and ``needs_review`` when issued automatically, else ``"submitted"``.
    Raises :class:`AlertRuleError` (code ``bad_input``) for malformed drafts.
    """
    now = now or timezone.now()
    policy = policy_for(hazard, severity)
    alert = Alert.objects.create(
        sender=cap_sender(),
        hazard=hazard,
        severity=severity,
        author=None,
        automatic=True,
        status=Status(status),
        scope=Scope(scope),
        note=note,
        state=AlertState.SUBMITTED,
    )
    alert.lineage_root = alert
    _write_content(alert, infos, areas)
    alert.severity = severity
    alert.save(update_fields=["severity"])
    details = {"trigger": trigger, "policy": policy.mode}
    if policy.mode != PolicyMode.AUTOMATIC:
        audit_record(actor=None, action="automatic.submit", alert=alert, details=details)
        return alert
    try:
        with transaction.atomic():
            alert.needs_review = True
            warnings = publish(alert, now=now)
    except AlertValidationError as blocked:
        alert.refresh_from_db()
        audit_record(
            actor=None,
            action="automatic.blocked",
            alert=alert,
            details={**details, "findings": [str(f) for f in blocked.findings]},
        )
        return alert
    audit_record(
        actor=None,
        action="automatic.issue",
        alert=alert,
        details={**details, "identifier": alert.identifier, "warnings": [str(w) for w in warnings]},
    )
    return alert


@transaction.atomic
def alert_update_automatic(
    *,
    alert: Alert,
    infos: list[InfoDraft],
    areas: list[AreaDraft],
    note: str = "",
    trigger: str = "",
    now: datetime | None = None,
) -> Alert:
    """An Update of the current message ``alert``; issued at once when the policy is automatic."""
    now = now or timezone.now()
    current = _current(alert, "update")
    follow_up = _follow_up(None, current, MsgType.UPDATE, note)
    follow_up.automatic = True
    _write_content(follow_up, infos, areas)
    details = {"trigger": trigger, "updates": current.identifier}
    writers = _people_who_wrote(current)
    if writers:
        return _held(follow_up, current, writers, "automatic.update.held", details)
    if policy_for(follow_up.hazard, follow_up.severity).mode != PolicyMode.AUTOMATIC:
        follow_up.state = AlertState.SUBMITTED
        follow_up.save(update_fields=["state", "automatic", "changed_at"])
        audit_record(actor=None, action="automatic.update.submit", alert=follow_up, details=details)
        return follow_up
    follow_up.needs_review = True
    warnings = publish(follow_up, now=now)
    audit_record(
        actor=None,
        action="automatic.update",
        alert=follow_up,
        details={**details, "identifier": follow_up.identifier, "warnings": [str(w) for w in warnings]},
    )
    return follow_up


@transaction.atomic
def alert_cancel_automatic(
    *, alert: Alert, note: str, reasons: dict[str, str], trigger: str = "", now: datetime | None = None
) -> Alert:
    """Cancel the chain of the current message ``alert`` at once (a withdrawn event is never held).

    ``reasons`` is the description of the Cancel per language (``tg``, ``ru``, ``en``): CAP validation
    checks that each info's text is in its language, so one English note cannot serve all three.
    """
    now = now or timezone.now()
    current = _current(alert, "cancel")
    follow_up = _follow_up(None, current, MsgType.CANCEL, note)
    follow_up.automatic = True
    follow_up.needs_review = True
    infos = [
        cancelled_info(draft, CANCELLED_PREFIX, now, reasons.get(draft.language, note))
        for draft in info_drafts_of(current)
    ]
    _write_content(follow_up, infos, area_drafts_of(current))
    writers = _people_who_wrote(current)
    if writers:
        follow_up.needs_review = False
        details = {"trigger": trigger, "cancels": current.identifier}
        return _held(follow_up, current, writers, "automatic.cancel.held", details)
    publish(follow_up, now=now)
    audit_record(
        actor=None,
        action="automatic.cancel",
        alert=follow_up,
        details={"trigger": trigger, "cancels": current.identifier, "identifier": follow_up.identifier},
    )
    return follow_up


@transaction.atomic
def alert_all_clear_automatic(*, alert: Alert, note: str, trigger: str = "", now: datetime | None = None) -> Alert:
    """The condition that raised the chain has ended (e.g. the rain stopped, the river fell below its
    2-year level): an all-clear Update, issued at once — or held for an approver when a person wrote
    the current message, as for automatic Updates and Cancels."""
    from hushdor.apps.alerts.services.follow_up import all_clear_info

    now = now or timezone.now()
    current = _current(alert, "declare all clear for")
    follow_up = _follow_up(None, current, MsgType.UPDATE, note)
    follow_up.automatic = True
    follow_up.needs_review = True
    # The public text is the shipped all-clear wording in each language; ``note`` (why, in English) is the
    # operators' note on the message, not its CAP text (CAP validation checks each info's language).
    infos = [all_clear_info(draft, now, "") for draft in info_drafts_of(current)]
    _write_content(follow_up, infos, area_drafts_of(current))
    writers = _people_who_wrote(current)
    if writers:
        follow_up.needs_review = False
        return _held(follow_up, current, writers, "automatic.update.held", {"trigger": trigger, "all_clear": True})
    publish(follow_up, now=now)
    audit_record(
        actor=None,
        action="automatic.all_clear",
        alert=follow_up,
        details={"trigger": trigger, "clears": current.identifier, "identifier": follow_up.identifier},
    )
    return follow_up


def _people_who_wrote(alert: Alert) -> list[str]:
    """User names of everyone who wrote ``alert``'s text (empty for a purely automatic message)."""
    writers = content_writers(alert)
    if not writers:
        return []
    return sorted(get_user_model().objects.filter(pk__in=writers).values_list("username", flat=True))


def _held(follow_up: Alert, current: Alert, writers: list[str], action: str, details: dict) -> Alert:
    follow_up.state = AlertState.SUBMITTED
    follow_up.save(update_fields=["state", "automatic", "needs_review", "changed_at"])
    reason = (
        f"not issued automatically: the current message {current.identifier} was written by "
        f"{', '.join(writers)}; review the proposed {follow_up.msg_type.lower()}"
    )
    audit_record(
        actor=None, action=action, alert=follow_up, details={**details, "reason": reason, "written_by": writers}
    )
    return follow_up

