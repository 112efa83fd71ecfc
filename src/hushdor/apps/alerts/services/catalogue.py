"""Admins' writes on the catalogue: message templates (texts per language) and issuing policies (per
hazard and severity: automatic or reviewed, how many approvers). One transaction each, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from hushdor.apps.alerts.models import Hazard, Policy, PolicyMode, Template
from hushdor.apps.alerts.services.audit import audit_record
from hushdor.apps.alerts.services.errors import AlertRuleError
from hushdor.apps.alerts.services.rules import require_role
from hushdor.cap.model import Severity

MAX_APPROVERS = 5
TEMPLATE_FIELDS = (
    "hazard",
    "name",
    "category",
    "response_type",
    "urgency",
    "severity",
    "certainty",
    *(
        f"{part}_{lang}"
        for part in ("event", "headline", "description", "instruction")
        for lang in ("tg", "ru", "en")
    ),
)


@transaction.atomic
def template_save(*, actor, template: Template | None, values: dict[str, str]) -> Template:
    """Create (``template=None``) or change a message template. ``values`` holds every TEMPLATE_FIELDS."""
    require_role(actor, "admin", _("edit message templates"))
    missing = [name for name in TEMPLATE_FIELDS if name not in values]
    if missing:
        raise AlertRuleError(
            _("missing template fields: %(fields)s") % {"fields": ", ".join(missing)}, code="bad_input"
        )
    if not values["name"].strip():
        raise AlertRuleError(_("give the template a name"), code="bad_input")
    row = Template() if template is None else Template.objects.select_for_update().get(pk=template.pk)
    clash = Template.objects.filter(hazard=values["hazard"], name=values["name"].strip()).exclude(pk=row.pk)
    if clash.exists():
        raise AlertRuleError(_("another template of this hazard already has this name"), code="bad_input")
    for name in TEMPLATE_FIELDS:
        setattr(row, name, values[name].strip())
    row.save()
    audit_record(
        actor=actor,
        action="template.create" if template is None else "template.edit",
        details={"template_id": row.pk, "hazard": row.hazard, "name": row.name},
    )
    return row


@transaction.atomic
def policy_set(*, actor, hazard: str, severity: str, mode: str, approvers_required: int) -> Policy:
    """Set the issuing policy of one hazard and severity (created when missing)."""
    require_role(actor, "admin", _("change issuing policies"))
    if hazard not in Hazard.values:
        raise AlertRuleError(_("unknown hazard %(hazard)s") % {"hazard": hazard}, code="bad_input")
    if severity not in [s.value for s in Severity]:
        raise AlertRuleError(_("unknown severity %(severity)s") % {"severity": severity}, code="bad_input")
    if mode not in PolicyMode.values:
        raise AlertRuleError(_("choose automatic or reviewed"), code="bad_input")
    if not 1 <= approvers_required <= MAX_APPROVERS:
        raise AlertRuleError(
            _("the number of approvers must be between 1 and %(most)d") % {"most": MAX_APPROVERS},
            code="bad_input",
        )
    before = Policy.objects.filter(hazard=hazard, severity=severity).first()
    policy, _created = Policy.objects.update_or_create(
        hazard=hazard, severity=severity, defaults={"mode": mode, "approvers_required": approvers_required}
    )
    audit_record(
        actor=actor,
        action="policy.set",
        details={
            "hazard": hazard,
            "severity": severity,
            "mode": mode,
            "approvers_required": approvers_required,
            "before": {"mode": before.mode, "approvers_required": before.approvers_required}
            if before
            else None,
        },
    )
    return policy
