"""Issuing: build the CAP message from the rows, validate it, sign it, store it, retire earlier ones.

Runs inside the caller's transaction; a validation error raises :class:`AlertValidationError` and the
caller's transaction rolls back, so a wrong alert can never be published.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hushdor.apps.alerts.models import Alert, AlertState, ExternalAlert
from hushdor.apps.alerts.services.audit import feed_version_bump
from hushdor.apps.alerts.services.building import cap_alert_of
from hushdor.apps.alerts.services.errors import AlertRuleError, AlertValidationError
from hushdor.apps.alerts.services.keys import signing_material
from hushdor.apps.alerts.services.listeners import notify
from hushdor.cap.findings import Finding
from hushdor.cap.identifiers import TAJIKISTAN, new_identifier
from hushdor.cap.model import MsgType
from hushdor.cap.signing import sign
from hushdor.cap.validation import ValidationContext, validate
from hushdor.cap.xml import to_xml


def validation_rules(now: datetime) -> ValidationContext:
    return ValidationContext(
        country=TAJIKISTAN,
        authority=str(settings.CAP_AUTHORITY),
        issued=_identifier_used,
        known=_known_alert,
        now=now,
    )


def findings_for(alert: Alert, *, now: datetime | None = None) -> tuple[bytes, list[Finding]]:
    """The unsigned CAP XML the alert would have if issued now, and the validator's findings."""
    now = now or timezone.now()
    sent = timezone.localtime(now).replace(microsecond=0)
    identifier = new_identifier(settings.CAP_AUTHORITY, sent=sent, sequence=alert.pk or 0)
    model = cap_alert_of(alert, identifier=identifier, sent=sent)
    findings = validate(model, rules=validation_rules(now))
    try:
        xml = to_xml(model)
    except ValueError:
        xml = b""
    return xml, findings


def publish(alert: Alert, *, now: datetime) -> list[Finding]:
    """Validate, sign and store ``alert`` as issued; returns the (non-blocking) warnings."""
    if alert.supersedes_id is not None:
        earlier = Alert.objects.select_for_update().get(pk=alert.supersedes_id)
        if earlier.state != AlertState.ISSUED or earlier.msg_type == MsgType.CANCEL:
            raise AlertRuleError(
                _(
                    "%(alert)s is no longer the current message of its chain (%(state)s); "
                    "update or cancel the current one"
                )
                % {"alert": earlier, "state": earlier.get_state_display()},
                code="not_current",
            )
    sent = timezone.localtime(now).replace(microsecond=0)
    identifier = new_identifier(settings.CAP_AUTHORITY, sent=sent, sequence=alert.pk)
    model = cap_alert_of(alert, identifier=identifier, sent=sent)
    findings = validate(model, rules=validation_rules(now))
    errors = [finding for finding in findings if finding.severity == "error"]
    if errors:
        raise AlertValidationError(
            _("the alert is not valid CAP: %(problems)s") % {"problems": "; ".join(str(f) for f in errors)},
            findings=errors,
        )
    key_pem, cert_pem = signing_material()
    alert.signed_xml = sign(to_xml(model), key_pem, cert_pem)
    alert.identifier = identifier
    alert.sent = sent
    alert.state = AlertState.ISSUED
    alert.issued_at = now
    expiries = [info.expires for info in model.infos if info.expires is not None]
    alert.expires = max(expiries) if expiries else None
    alert.save()
    _retire_earlier(alert)
    feed_version_bump()
    notify("published", alert)
    return findings


def _retire_earlier(alert: Alert) -> None:
    if alert.lineage_root_id is None or alert.supersedes_id is None:
        return
    chain = Alert.objects.filter(lineage_root_id=alert.lineage_root_id).exclude(pk=alert.pk)
    if alert.msg_type == MsgType.CANCEL:
        chain.filter(state__in=[AlertState.ISSUED, AlertState.UPDATED]).update(state=AlertState.CANCELLED)
    else:
        chain.filter(state=AlertState.ISSUED).update(state=AlertState.UPDATED)


def _identifier_used(sender: str, identifier: str) -> bool:
    return Alert.objects.filter(sender=sender, identifier=identifier).exists()


def _known_alert(sender: str, identifier: str) -> bool:
    return (
        Alert.objects.filter(sender=sender, identifier=identifier).exists()
        or ExternalAlert.objects.filter(sender=sender, identifier=identifier).exists()
    )
