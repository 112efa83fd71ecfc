"""Automatic follow-ups of an earthquake warning: an Update or a Cancel issued without a person.

The alerts app's ``alert_update`` / ``alert_cancel`` need an operator (``actor``) and put updates through
review; the chain has no operator. These two do what ``alerts.services.automatic.alert_issue_automatic``
does for a first message: write the follow-up with no author, let the stored Policy for (hazard,
severity) decide whether it is issued at once (flagged ``needs_review``) or waits as submitted, and
audit it. They use the alerts app's own building blocks and belong there: when the alerts app gains
``alert_update_automatic`` / ``alert_cancel_automatic``, this module becomes two imports.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hushdor.apps.alerts.models import Alert, AlertState, PolicyMode
from hushdor.apps.alerts.services import AreaDraft, InfoDraft
from hushdor.apps.alerts.services.audit import audit_record
from hushdor.apps.alerts.services.follow_up import (
    CANCELLED_PREFIX,
    area_drafts_of,
    cancelled_info,
    info_drafts_of,
)
from hushdor.apps.alerts.services.lifecycle import _current, _follow_up, _write_content
from hushdor.apps.alerts.services.publish import publish
from hushdor.apps.alerts.services.rules import policy_for
from hushdor.cap.model import MsgType


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
    publish(follow_up, now=now)
    audit_record(
        actor=None,
        action="automatic.cancel",
        alert=follow_up,
        details={"trigger": trigger, "cancels": current.identifier, "identifier": follow_up.identifier},
    )
    return follow_up
