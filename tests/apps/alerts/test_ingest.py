"""Ingestion: valid, invalid → quarantine, badly signed → quarantine, duplicates, update/cancel chains.
The feed poller's tests are in test_feed_polling.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from hushdor.apps.alerts.models import ExternalAlert, QuarantinedAlert
from hushdor.apps.alerts.services.ingest import cap_ingest
from hushdor.cap import model as cap
from hushdor.cap.signing import generate_self_signed, sign
from hushdor.cap.xml import to_xml

pytestmark = pytest.mark.django_db
SENDER = "meteo.example.kz"


def foreign(
    identifier: str,
    *,
    minutes: int = 0,
    msg_type: str = "Alert",
    references=(),
    hours: float = 6,
    urgency: str = "Expected",
) -> bytes:
    sent = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1) + timedelta(minutes=minutes)
    info = cap.Info(
        categories=(cap.Category.MET,),
        event="Heavy snow",
        urgency=cap.Urgency(urgency),
        severity=cap.Severity.SEVERE,
        certainty=cap.Certainty.LIKELY,
        language="en",
        headline="Heavy snow in the Almaty region",
        expires=sent + timedelta(hours=hours),
        areas=(cap.Area(area_desc="Almaty region", geocodes=(cap.ValuePair("ISO3166-2", "KZ-19"),)),),
    )
    alert = cap.Alert(
        identifier=identifier,
        sender=SENDER,
        sent=sent,
        status=cap.Status.ACTUAL,
        msg_type=cap.MsgType(msg_type),
        scope=cap.Scope.PUBLIC,
        references=tuple(references),
        infos=(info,),
    )
    return to_xml(alert)


def reference_to(xml: bytes) -> cap.Reference:
    from hushdor.cap.xml import parse

    alert = parse(xml).alert
    return cap.Reference(sender=alert.sender, identifier=alert.identifier, sent=alert.sent)


def test_a_valid_foreign_alert_is_accepted():
    result = cap_ingest(foreign("KZ-1"), source="test")
    assert result.outcome == "accepted"
    assert result.external.state == "active" and result.external.signature == "unsigned"
    assert result.external.headline == "Heavy snow in the Almaty region"


def test_an_invalid_alert_is_quarantined_with_findings():
    result = cap_ingest(foreign("KZ-2", urgency="Unknown"), source="test")
    assert result.outcome == "quarantined" and ExternalAlert.objects.count() == 0
    row = QuarantinedAlert.objects.get()
    assert "urgency.unknown" in {finding["code"] for finding in row.findings}
    assert row.identifier == "KZ-2"


def test_garbage_is_quarantined_not_raised():
    result = cap_ingest(b"<html>not cap</html>", source="test")
    assert result.outcome == "quarantined" and result.quarantined.findings


def test_a_tampered_signed_alert_is_quarantined_and_an_intact_one_accepted():
    key_pem, cert_pem = generate_self_signed("meteo.example.kz")
    signed = sign(foreign("KZ-3"), key_pem, cert_pem)
    assert cap_ingest(signed, source="test").external.signature == "intact"
    tampered = sign(foreign("KZ-4"), key_pem, cert_pem).replace(b"Heavy snow in", b"Light snow in")
    result = cap_ingest(tampered, source="test")
    assert result.outcome == "quarantined"
    assert "signature.invalid" in {finding.code for finding in result.findings}


def test_a_duplicate_is_ignored():
    xml = foreign("KZ-5")
    assert cap_ingest(xml, source="a").outcome == "accepted"
    assert cap_ingest(xml, source="b").outcome == "duplicate"
    assert ExternalAlert.objects.count() == 1


def test_update_then_cancel_resolve_to_one_current_state():
    original = foreign("KZ-6")
    update = foreign("KZ-7", minutes=5, msg_type="Update", references=[reference_to(original)])
    cancel = foreign(
        "KZ-8", minutes=10, msg_type="Cancel", references=[reference_to(original), reference_to(update)]
    )
    for xml in (original, update, cancel):
        assert cap_ingest(xml, source="test").outcome == "accepted"
    states = dict(ExternalAlert.objects.values_list("identifier", "state"))
    assert states == {"KZ-6": "cancelled", "KZ-7": "cancelled", "KZ-8": "active"}


def test_an_update_arriving_before_its_original_still_retires_it():
    original = foreign("KZ-9")
    update = foreign("KZ-10", minutes=5, msg_type="Update", references=[reference_to(original)])
    cap_ingest(update, source="test")
    cap_ingest(original, source="test")
    assert ExternalAlert.objects.get(identifier="KZ-9").state == "updated"


def test_the_import_command_reads_a_file(tmp_path, capsys):
    path = tmp_path / "alert.xml"
    path.write_bytes(foreign("KZ-13"))
    call_command("cap", "import", str(path))
    assert ExternalAlert.objects.filter(identifier="KZ-13").exists()
    assert "accepted" in capsys.readouterr().out


def from_another_sender(xml: bytes) -> bytes:
    replaced = xml.replace(f"<sender>{SENDER}</sender>".encode(), b"<sender>prankster.example.org</sender>")
    assert replaced != xml
    return replaced


def test_a_cancel_from_another_sender_does_not_retire_the_alert():
    original = foreign("KZ-20")
    spoofed = from_another_sender(
        foreign("KZ-21", minutes=5, msg_type="Cancel", references=[reference_to(original)])
    )
    assert cap_ingest(original, source="test").outcome == "accepted"
    assert cap_ingest(spoofed, source="test").outcome == "accepted"
    assert ExternalAlert.objects.get(identifier="KZ-20").state == "active"


def test_an_earlier_cancel_from_another_sender_does_not_retire_the_alert_arriving_later():
    original = foreign("KZ-22")
    spoofed = from_another_sender(
        foreign("KZ-23", minutes=5, msg_type="Cancel", references=[reference_to(original)])
    )
    assert cap_ingest(spoofed, source="test").outcome == "accepted"
    assert cap_ingest(original, source="test").outcome == "accepted"
    assert ExternalAlert.objects.get(identifier="KZ-22").state == "active"
