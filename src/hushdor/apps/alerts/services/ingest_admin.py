"""Operators' writes on what we receive: acknowledge or delete a quarantined alert, and add, edit,
enable or disable a CAP feed source. Each is one transaction with its audit record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hushdor.apps.alerts.models import CapFeedSource, QuarantinedAlert
from hushdor.apps.alerts.services.audit import audit_record
from hushdor.apps.alerts.services.errors import AlertRuleError
from hushdor.apps.alerts.services.rules import require_role

MIN_POLL_INTERVAL_S = 10  # the database constraint feed_source_interval_min


@transaction.atomic
def quarantined_acknowledge(*, actor, quarantined: QuarantinedAlert, comment: str = "") -> QuarantinedAlert:
    """Mark a quarantined alert as seen by a person (it stays for the record)."""
    require_role(actor, "approver", _("acknowledge quarantined alerts"))
    row = QuarantinedAlert.objects.select_for_update().get(pk=quarantined.pk)
    if row.acknowledged_at is not None:
        raise AlertRuleError(_("this quarantined alert was already acknowledged"), code="already_decided")
    row.acknowledged_at = timezone.now()
    row.acknowledged_by = actor
    row.acknowledgement = comment.strip()
    row.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
    audit_record(actor=actor, action="quarantine.acknowledge", details=_quarantine_details(row, comment))
    return row


@transaction.atomic
def quarantined_delete(*, actor, quarantined: QuarantinedAlert, comment: str = "") -> None:
    """Delete a quarantined alert; the audit trail keeps who, when, and what it was."""
    require_role(actor, "approver", _("delete quarantined alerts"))
    details = _quarantine_details(quarantined, comment)
    deleted, _per_model = QuarantinedAlert.objects.filter(pk=quarantined.pk).delete()
    if not deleted:
        raise AlertRuleError(_("this quarantined alert no longer exists"), code="not_found")
    audit_record(actor=actor, action="quarantine.delete", details=details)


def _quarantine_details(row: QuarantinedAlert, comment: str) -> dict:
    return {
        "quarantined_id": row.pk,
        "sender": row.sender,
        "identifier": row.identifier,
        "source": row.source,
        "reason": row.reason,
        "comment": comment.strip(),
    }


@dataclass(frozen=True)
class FeedSourceFields:
    name: str
    url: str
    enabled: bool = True
    poll_interval_s: int = 300


@transaction.atomic
def cap_feed_source_create(*, actor, fields: FeedSourceFields) -> CapFeedSource:
    require_role(actor, "admin", _("add CAP feed sources"))
    _check(fields)
    if CapFeedSource.objects.filter(url=fields.url).exists():
        raise AlertRuleError(_("a feed source with this address already exists"), code="bad_input")
    source = CapFeedSource.objects.create(
        name=fields.name.strip(),
        url=fields.url,
        enabled=fields.enabled,
        poll_interval_s=fields.poll_interval_s,
    )
    audit_record(actor=actor, action="feed_source.create", details=_source_details(source))
    return source


@transaction.atomic
def cap_feed_source_edit(*, actor, source: CapFeedSource, fields: FeedSourceFields) -> CapFeedSource:
    """Change a source; a new address forgets the old conditional-GET state and polls at once."""
    require_role(actor, "admin", _("edit CAP feed sources"))
    _check(fields)
    row = CapFeedSource.objects.select_for_update().get(pk=source.pk)
    if CapFeedSource.objects.filter(url=fields.url).exclude(pk=row.pk).exists():
        raise AlertRuleError(_("another feed source already has this address"), code="bad_input")
    if row.url != fields.url:
        row.etag, row.last_modified, row.next_poll_at = "", "", None
    if fields.enabled and not row.enabled:
        row.next_poll_at = None  # poll as soon as it is switched back on
    row.name, row.url = fields.name.strip(), fields.url
    row.enabled, row.poll_interval_s = fields.enabled, fields.poll_interval_s
    row.save()
    audit_record(actor=actor, action="feed_source.edit", details=_source_details(row))
    return row


def _check(fields: FeedSourceFields) -> None:
    if not fields.name.strip():
        raise AlertRuleError(_("give the feed source a name"), code="bad_input")
    if not fields.url.startswith(("http://", "https://")):
        raise AlertRuleError(_("the feed address must start with http:// or https://"), code="bad_input")
    if fields.poll_interval_s < MIN_POLL_INTERVAL_S:
        raise AlertRuleError(
            _("the poll interval must be at least %(seconds)d seconds") % {"seconds": MIN_POLL_INTERVAL_S},
            code="bad_input",
        )


def _source_details(source: CapFeedSource) -> dict:
    return {
        "source_id": source.pk,
        "name": source.name,
        "url": source.url,
        "enabled": source.enabled,
        "poll_interval_s": source.poll_interval_s,
    }
