"""WMO-register identifiers: built, parsed, refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from hushdor.cap.errors import IdentifierError
from hushdor.cap.identifiers import new_identifier, parse_identifier


def test_identifier_uses_utc_time_without_leading_zeros() -> None:
    sent = datetime(2025, 7, 7, 14, 5, 9, tzinfo=timezone(timedelta(hours=5)))
    assert new_identifier(3, sent=sent, sequence=12) == "urn:oid:2.49.0.1.762.3.2025.7.7.9.5.9.12"


def test_parse_reads_back_what_new_identifier_wrote() -> None:
    sent = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
    parsed = parse_identifier(new_identifier("1", sent=sent, sequence=4, country=566))
    assert (parsed.country, parsed.authority, parsed.sent, parsed.sequence) == ("566", "1", sent, 4)


def test_foreign_shapes_parse_without_a_time() -> None:
    parsed = parse_identifier("urn:oid:2.49.0.1.840.0.123456")
    assert (parsed.country, parsed.sent, parsed.tail) == ("840", None, ("123456",))


@pytest.mark.parametrize("bad", ["urn:oid:2.49.0.0.762.1.2025", "2.49.0.1.762.1", "urn:oid:2.49.0.1.762"])
def test_identifiers_outside_the_alert_arc_are_refused(bad: str) -> None:
    with pytest.raises(IdentifierError):
        parse_identifier(bad)


def test_bad_arguments_are_refused() -> None:
    sent = datetime(2025, 1, 1, tzinfo=UTC)
    with pytest.raises(IdentifierError):
        new_identifier("01", sent=sent)
    with pytest.raises(IdentifierError):
        new_identifier(1, sent=datetime(2025, 1, 1))
    with pytest.raises(IdentifierError):
        new_identifier(1, sent=sent, sequence=-1)
