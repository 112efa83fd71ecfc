"""XML-DSig: sign, verify, tamper, wrong certificate; signed alerts stay schema-valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from hushdor.cap.errors import SigningError
from hushdor.cap.schema import cap_schema
from hushdor.cap.signing import generate_self_signed, sign, verify
from hushdor.cap.xml import parse

ALERT = (Path(__file__).parent / "corpus" / "valid" / "earthquake_rasht.xml").read_bytes()


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return generate_self_signed("Committee of Emergency Situations (demo)")


@pytest.fixture(scope="module")
def signed(keys: tuple[bytes, bytes]) -> bytes:
    return sign(ALERT, *keys)


def test_a_signed_alert_verifies_with_its_trusted_certificate(
    keys: tuple[bytes, bytes], signed: bytes
) -> None:
    check = verify(signed, trusted_certs=[keys[1]])
    assert check.valid and check.trusted
    assert check.signer == "Committee of Emergency Situations (demo)"


def test_without_a_trust_list_integrity_is_checked_but_the_signer_is_not_trusted(signed: bytes) -> None:
    check = verify(signed)
    assert check.valid and not check.trusted
    assert "not checked" in check.reason


def test_changing_one_character_invalidates_the_signature(keys: tuple[bytes, bytes], signed: bytes) -> None:
    tampered = signed.replace(b"5,8", b"6,8", 1)
    assert tampered != signed
    for trusted in ([keys[1]], None):
        check = verify(tampered, trusted_certs=trusted)
        assert not check.valid
        assert "changed after it was signed" in check.reason


def test_another_certificate_does_not_verify(signed: bytes) -> None:
    _, other_cert = generate_self_signed("Somebody else")
    check = verify(signed, trusted_certs=[other_cert])
    assert not check.valid and check.signer is None
    assert "no trusted certificate" in check.reason


def test_an_unsigned_alert_is_reported_as_unsigned() -> None:
    check = verify(ALERT)
    assert not check.valid and check.reason == "the alert is not signed"


def test_the_signed_alert_is_still_valid_cap_and_parses_to_the_same_alert(signed: bytes) -> None:
    assert b"http://www.w3.org/2001/10/xml-exc-c14n#" in signed
    assert b"rsa-sha256" in signed
    assert cap_schema().validate(etree.fromstring(signed))
    assert parse(signed).alert == parse(ALERT).alert


def test_signing_twice_or_with_a_bad_key_is_a_signing_error(keys: tuple[bytes, bytes], signed: bytes) -> None:
    with pytest.raises(SigningError):
        sign(signed, *keys)
    with pytest.raises(SigningError):
        sign(ALERT, b"not a key", keys[1])
