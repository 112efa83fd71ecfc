"""Every write of the alerts app. Views, API, commands and worker jobs call these and nothing deeper.

lifecycle.py  draft, submit, approve, reject, issue, update, cancel, all clear, expire, review
automatic.py  alert_issue/update/cancel_automatic — the trigger-driven fast path (policy decides issue vs review)
publish.py    build → validate → sign → store (inside the caller's transaction)
templates.py  fill a Template's placeholders into InfoDrafts
ingest.py     cap_ingest and the CAP feed poller
tokens.py     API tokens
"""

from hushdor.apps.alerts.services.automatic import (
    alert_cancel_automatic,
    alert_issue_automatic,
    alert_update_automatic,
)
from hushdor.apps.alerts.services.drafts import AreaDraft, InfoDraft
from hushdor.apps.alerts.services.errors import AlertPermissionError, AlertRuleError, AlertValidationError
from hushdor.apps.alerts.services.lifecycle import (
    alert_all_clear,
    alert_approve,
    alert_cancel,
    alert_create_draft,
    alert_delete_draft,
    alert_edit_draft,
    alert_issue,
    alert_mark_reviewed,
    alert_reject,
    alert_submit,
    alert_update,
    alerts_expire_due,
)
from hushdor.apps.alerts.services.templates import template_info_drafts

__all__ = [
    "AlertPermissionError",
    "AlertRuleError",
    "AlertValidationError",
    "AreaDraft",
    "InfoDraft",
    "alert_all_clear",
    "alert_approve",
    "alert_cancel",
    "alert_cancel_automatic",
    "alert_create_draft",
    "alert_delete_draft",
    "alert_edit_draft",
    "alert_issue",
    "alert_issue_automatic",
    "alert_mark_reviewed",
    "alert_reject",
    "alert_submit",
    "alert_update",
    "alert_update_automatic",
    "alerts_expire_due",
    "template_info_drafts",
]
