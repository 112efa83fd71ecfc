"""Who may do what, the two-person rule and the issuing policy — checked by every service."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from hushdor.apps.accounts.roles import has_role, role_label
from hushdor.apps.alerts.models import Alert, AlertApproval, AlertState, AuditEntry, Policy, PolicyMode
from hushdor.apps.alerts.models.cap_labels import cap_label
from hushdor.apps.alerts.services.errors import AlertPermissionError, AlertRuleError
from hushdor.cap.model import Scope, Severity

# Audit actions that write an alert's text: whoever did one of them is one of its authors.
WRITING_ACTIONS = ("draft.create", "draft.edit", "update.draft")
TWO_PERSON_SEVERITIES = (Severity.SEVERE.value, Severity.EXTREME.value)
_SEVERITY_RANK = {
    s.value: rank
    for rank, s in enumerate(
        (Severity.UNKNOWN, Severity.MINOR, Severity.MODERATE, Severity.SEVERE, Severity.EXTREME)
    )
}


def require_role(actor, role: str, doing: str) -> None:
    if not has_role(actor, role):
        name = getattr(actor, "username", None) or _("anonymous")
        raise AlertPermissionError(
            _("%(name)s may not %(doing)s: the %(role)s role is needed")
            % {"name": name, "doing": doing, "role": role_label(role)}
        )


def require_state(alert: Alert, states, doing: str) -> None:
    allowed = [str(state) for state in states]
    if alert.state not in allowed:
        labels = dict(AlertState.choices)
        raise AlertRuleError(
            _("cannot %(doing)s an alert that is %(state)s (it must be %(allowed)s)")
            % {
                "doing": doing,
                "state": labels.get(alert.state, alert.state),
                "allowed": _(" or ").join(str(labels.get(state, state)) for state in allowed),
            },
            code="wrong_state",
        )


def needs_two_persons(alert: Alert) -> bool:
    """A Severe or Extreme public alert needs an approver other than its author."""
    return alert.scope == Scope.PUBLIC.value and alert.severity in TWO_PERSON_SEVERITIES


def content_writers(alert: Alert) -> set[int]:
    """Everyone who wrote the alert's text: its author and every person who edited the draft — and
    anyone tied to one of them by an API token one created for the other (whoever holds the token can
    act as its user, so the two count as one person here; a later revocation does not undo that)."""
    writers = set(
        AuditEntry.objects.filter(alert_id=alert.pk, action__in=WRITING_ACTIONS, actor__isnull=False)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    if alert.author_id is not None:
        writers.add(alert.author_id)
    for creator_id, holder_id in _token_delegations():
        if holder_id in writers:
            writers.add(creator_id)
        elif creator_id in writers:
            writers.add(holder_id)
    return writers


def _token_delegations() -> list[tuple[int, int]]:
    """``(creator, user)`` of every API token one person created for another (from the audit trail)."""
    created = AuditEntry.objects.filter(action="token.create", actor__isnull=False).values_list(
        "actor_id", "details"
    )
    pairs = [(creator_id, details.get("user")) for creator_id, details in created if details.get("user")]
    if not pairs:
        return []
    ids = dict(
        get_user_model()
        .objects.filter(username__in={name for _id, name in pairs})
        .values_list("username", "pk")
    )
    return [(creator_id, ids[name]) for creator_id, name in pairs if name in ids and ids[name] != creator_id]


def check_not_own_alert(actor, alert: Alert) -> None:
    if needs_two_persons(alert) and actor.pk in content_writers(alert):
        raise AlertRuleError(
            _("a %(severity)s public alert must be approved by someone other than its author")
            % {"severity": cap_label(Severity, alert.severity)},
            code="two_person_rule",
        )


def policy_for(hazard: str, severity: str) -> Policy:
    """The stored policy, or the default: reviewed, one approver."""
    return Policy.objects.filter(hazard=hazard, severity=severity).first() or Policy(
        hazard=hazard, severity=severity, mode=PolicyMode.REVIEWED, approvers_required=1
    )


def approvals_counted(alert: Alert) -> int:
    """Distinct approvers who count towards the policy (under the two-person rule, no one who wrote the
    alert's text counts)."""
    approvals = AlertApproval.objects.filter(alert=alert, decision=AlertApproval.Decision.APPROVE)
    if needs_two_persons(alert):
        approvals = approvals.exclude(approver_id__in=content_writers(alert))
    return approvals.values("approver_id").distinct().count()


def highest_severity(severities) -> str:
    return max(severities, key=lambda s: _SEVERITY_RANK.get(str(s), 0), default=Severity.UNKNOWN.value)
