"""Ingest CAP from elsewhere: parse (hardened), validate, check the signature, de-duplicate, resolve
update/cancel chains — or quarantine with the findings that explain why.

Following the WMO cap-aggregator design (anchors-alerting §1): first-wins de-duplication on
``(sender, identifier, sent)``; invalid or badly signed alerts go to quarantine; Update/Cancel
messages retire the alerts they reference, also when they arrive out of order. Foreign alerts carry
other countries' identifiers, so the WMO-arc rule is off, and so is the stale check: an alert that
has already expired is stored as expired, not rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils import timezone

from hushdor.apps.alerts.models import ExternalAlert, ExternalState, QuarantinedAlert
from hushdor.apps.alerts.services.trust import TRUSTED_CERTS_ENV, trusted_certificates
from hushdor.cap.findings import Finding, error
from hushdor.cap.model import Alert as CapAlert
from hushdor.cap.model import MsgType
from hushdor.cap.signing import DSIG_NS, verify
from hushdor.cap.validation import ValidationContext, validate
from hushdor.cap.xml import parse

Outcome = Literal["accepted", "duplicate", "quarantined"]


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    external: ExternalAlert | None = None
    quarantined: QuarantinedAlert | None = None
    findings: list[Finding] = field(default_factory=list)


def foreign_rules(now: datetime | None = None) -> ValidationContext:
    return ValidationContext(country=None, require_wmo_arc=False, check_stale=False, now=now)


def cap_ingest(data: bytes, *, source: str, now: datetime | None = None) -> IngestResult:
    """Take one CAP document from ``source`` (a URL, a file name, ``"mqtt:topic"``)."""
    parsed = parse(data)
    findings = list(parsed.findings)
    if parsed.alert is None:
        return _quarantine(data, source, None, findings, "not readable as CAP")
    findings = _merge(findings, validate(data, rules=foreign_rules(now)))
    signature, signature_finding = _signature(data)
    if signature_finding is not None:
        findings.append(signature_finding)
    errors = [finding for finding in findings if finding.severity == "error"]
    if errors:
        reason = _reason(signature, signature_finding, errors)
        return _quarantine(data, source, parsed.alert, findings, reason)
    return _accept(parsed.alert, data, source, findings, signature, now or timezone.now())


def _signature(data: bytes) -> tuple[str, Finding | None]:
    """``(unsigned | invalid | untrusted | intact | trusted, finding)``; the trust list is read now."""
    if DSIG_NS.encode() not in data:
        return "unsigned", None
    check = verify(data)
    if check.reason == "the alert is not signed":
        return "unsigned", None
    if not check.valid:
        return "invalid", error("signature.invalid", check.reason, "Signature")
    trusted = trusted_certificates()
    if trusted is None:
        return "intact", None
    if verify(data, trusted_certs=trusted).valid:
        return "trusted", None
    return "untrusted", error(
        "signature.untrusted",
        f"the signature is intact, but its signer ({check.signer or 'unnamed'}) is not one of the trusted "
        f"certificates in {TRUSTED_CERTS_ENV}",
        "Signature",
    )


def _reason(signature: str, signature_finding: Finding | None, errors: list[Finding]) -> str:
    if signature_finding is not None:
        return "untrusted signer" if signature == "untrusted" else "bad signature"
    return f"{len(errors)} validation error(s)"


@transaction.atomic
def _accept(
    alert: CapAlert, data: bytes, source: str, findings: list[Finding], signature: str, now: datetime
) -> IngestResult:
    if ExternalAlert.objects.filter(
        sender=alert.sender, identifier=alert.identifier, sent=alert.sent
    ).exists():
        return IngestResult("duplicate", findings=findings)
    first = alert.infos[0] if alert.infos else None
    expiries = [info.expires for info in alert.infos if info.expires is not None]
    expires = max(expiries) if expiries else None
    try:
        with transaction.atomic():
            external = ExternalAlert.objects.create(
                sender=alert.sender,
                identifier=alert.identifier,
                sent=alert.sent,
                status=alert.status.value,
                msg_type=alert.msg_type.value,
                headline=(first.headline or "")[:500] if first else "",
                event=first.event[:255] if first else "",
                severity=first.severity.value if first else "",
                expires=expires,
                xml=data,
                findings=[_as_dict(f) for f in findings],
                signature=signature,
                source=source[:500],
                references=[[r.sender, r.identifier, r.sent.isoformat()] for r in alert.references],
                state=ExternalState.EXPIRED
                if expires is not None and expires <= now
                else ExternalState.ACTIVE,
            )
    except IntegrityError:  # the same alert arrived through another path a moment ago
        return IngestResult("duplicate", findings=findings)
    _resolve_chain(external)
    return IngestResult("accepted", external=external, findings=findings)


def _resolve_chain(external: ExternalAlert) -> None:
    """Retire what ``external`` references, and retire ``external`` if a later message already did.

    Only a sender's own messages retire its alerts: an Update or Cancel naming another sender's alert
    in its references (anyone can write one) leaves that alert as it is.
    """
    retired = ExternalState.CANCELLED if external.msg_type == MsgType.CANCEL else ExternalState.UPDATED
    if external.msg_type in (MsgType.UPDATE, MsgType.CANCEL):
        for sender, identifier, _sent in external.references:
            if sender != external.sender:
                continue
            ExternalAlert.objects.filter(sender=sender, identifier=identifier).exclude(
                state=ExternalState.CANCELLED
            ).update(state=retired, superseded_by=external)
    for later in (
        ExternalAlert.objects.filter(msg_type__in=[MsgType.UPDATE, MsgType.CANCEL], sender=external.sender)
        .exclude(pk=external.pk)
        .filter(sent__gte=external.sent)
    ):
        if any(s == external.sender and i == external.identifier for s, i, _ in later.references):
            state = ExternalState.CANCELLED if later.msg_type == MsgType.CANCEL else ExternalState.UPDATED
            ExternalAlert.objects.filter(pk=external.pk).update(state=state, superseded_by=later)
            external.refresh_from_db()
            return


def _quarantine(
    data: bytes, source: str, alert: CapAlert | None, findings: list[Finding], reason: str
) -> IngestResult:
    row = QuarantinedAlert.objects.create(
        sender=alert.sender[:255] if alert else "",
        identifier=alert.identifier[:255] if alert else "",
        sent=alert.sent if alert else None,
        xml=data,
        findings=[_as_dict(f) for f in findings],
        reason=reason[:500],
        source=source[:500],
    )
    return IngestResult("quarantined", quarantined=row, findings=findings)


def _merge(first: list[Finding], second: list[Finding]) -> list[Finding]:
    seen = {(f.code, f.path, f.message) for f in first}
    return first + [f for f in second if (f.code, f.path, f.message) not in seen]


def _as_dict(finding: Finding) -> dict:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "path": finding.path,
    }
