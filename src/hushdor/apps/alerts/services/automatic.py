"""The fast path: what a trigger (the earthquake chain, the Sarez lake monitor) calls.

``alert_issue_automatic`` writes the alert and lets the stored :class:`Policy` for
``(hazard, severity)`` decide: under an *automatic* policy it is validated, signed and issued at once
and flagged ``needs_review`` so a person looks at it afterwards; under a *reviewed* policy it waits as
a submitted alert for an approver. If an automatic alert fails CAP validation it is not published:
it is left submitted, with the findings in its audit record, for a person to fix.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hushdor.apps.alerts.models import Alert, AlertState, PolicyMode
from hushdor.apps.alerts.services.audit import audit_record
from hushdor.apps.alerts.services.building import cap_sender
from hushdor.apps.alerts.services.drafts import AreaDraft, InfoDraft
from hushdor.apps.alerts.services.errors import AlertValidationError
from hushdor.apps.alerts.services.lifecycle import _write_content
from hushdor.apps.alerts.services.publish import publish
from hushdor.apps.alerts.services.rules import policy_for
from hushdor.cap.model import Scope, Status


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
