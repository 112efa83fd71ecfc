"""Received CAP against a list of trusted certificates (env HUSHDOR_CAP_TRUSTED_CERTS, a folder of PEM
files read at call time): trusted signers are accepted, others quarantined with a clear finding."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.apps.alerts.test_ingest import foreign

from hushdor.apps.alerts.models import ExternalAlert, QuarantinedAlert
from hushdor.apps.alerts.services.ingest import cap_ingest
from hushdor.apps.alerts.services.trust import TrustedCertificatesError, trusted_certificates
from hushdor.cap.signing import generate_self_signed, sign

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def partner():
    return generate_self_signed("meteo.example.kz")


@pytest.fixture(scope="module")
def stranger():
    return generate_self_signed("impostor.example.org")


@pytest.fixture
def trusted_folder(tmp_path, monkeypatch, partner):
    folder = tmp_path / "trusted"
    folder.mkdir()
    (folder / "kazhydromet.pem").write_bytes(partner[1])
    monkeypatch.setenv("HUSHDOR_CAP_TRUSTED_CERTS", str(folder))
    return folder


def test_a_signature_by_a_trusted_partner_is_accepted_as_trusted(trusted_folder, partner):
    result = cap_ingest(sign(foreign("KZ-T1"), *partner), source="test")
    assert result.outcome == "accepted" and result.external.signature == "trusted"


def test_an_intact_signature_by_an_untrusted_signer_is_quarantined_with_a_clear_finding(
    trusted_folder, stranger
):
    result = cap_ingest(sign(foreign("KZ-T2"), *stranger), source="test")
    assert result.outcome == "quarantined" and not ExternalAlert.objects.exists()
    row = QuarantinedAlert.objects.get()
    assert row.reason == "untrusted signer"
    (finding,) = [f for f in row.findings if f["code"] == "signature.untrusted"]
    assert "impostor.example.org" in finding["message"] and "HUSHDOR_CAP_TRUSTED_CERTS" in finding["message"]


def test_a_tampered_alert_is_reported_as_a_bad_signature_not_an_untrusted_one(trusted_folder, partner):
    tampered = sign(foreign("KZ-T3"), *partner).replace(b"Heavy snow in", b"Light snow in")
    result = cap_ingest(tampered, source="test")
    codes = {finding.code for finding in result.findings}
    assert result.outcome == "quarantined" and "signature.invalid" in codes
    assert "signature.untrusted" not in codes


def test_unsigned_alerts_are_still_accepted_with_a_trust_list(trusted_folder):
    assert cap_ingest(foreign("KZ-T4"), source="test").external.signature == "unsigned"


def test_the_folder_is_read_at_call_time(trusted_folder, stranger):
    signed = sign(foreign("KZ-T5"), *stranger)
    (trusted_folder / "stranger.crt").write_bytes(stranger[1])
    assert cap_ingest(signed, source="test").external.signature == "trusted"


def test_without_a_trust_list_signatures_are_checked_for_integrity_only(monkeypatch, stranger):
    monkeypatch.delenv("HUSHDOR_CAP_TRUSTED_CERTS", raising=False)
    assert trusted_certificates() is None
    assert cap_ingest(sign(foreign("KZ-T6"), *stranger), source="test").external.signature == "intact"


def test_a_file_with_several_certificates_counts_each(tmp_path, monkeypatch, partner, stranger):
    (tmp_path / "bundle.pem").write_bytes(partner[1] + stranger[1])
    monkeypatch.setenv("HUSHDOR_CAP_TRUSTED_CERTS", str(tmp_path))
    assert len(trusted_certificates()) == 2


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing", "not a folder"),
        ("empty", "no certificates found"),
        ("garbage", "not a readable PEM certificate"),
    ],
)
def test_a_bad_trust_folder_is_named_in_a_clear_error(tmp_path, monkeypatch, stranger, setup, expected):
    folder = tmp_path / "certs"
    if setup != "missing":
        folder.mkdir()
    if setup == "garbage":
        (folder / "broken.pem").write_text("not a certificate")
    monkeypatch.setenv("HUSHDOR_CAP_TRUSTED_CERTS", str(folder))
    with pytest.raises(TrustedCertificatesError, match=expected) as raised:
        cap_ingest(sign(foreign("KZ-T7"), *stranger), source="test")
    assert str(folder) in str(raised.value)
    assert not QuarantinedAlert.objects.exists() and not ExternalAlert.objects.exists()


def test_the_import_command_reports_a_bad_trust_folder_in_one_line(tmp_path, monkeypatch, stranger):
    monkeypatch.setenv("HUSHDOR_CAP_TRUSTED_CERTS", str(tmp_path / "nowhere"))
    document = tmp_path / "alert.xml"
    document.write_bytes(sign(foreign("KZ-T8"), *stranger))
    with pytest.raises(CommandError, match="not a folder"):
        call_command("cap", "import", str(document))
