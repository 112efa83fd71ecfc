"""Alert identifiers in the WMO Register of Alerting Authorities convention.

A published alert's identifier is an OID under ``2.49.0.1`` (the register's alert arc; ``2.49.0.0``
names organisations — cap-composer#142), then the country's ISO 3166-1 numeric code (762 =
Tajikistan), the authority's number in the register, and a message-specific tail. WMO cap-composer
and the feeds it serves (e.g. ``urn:oid:2.49.0.1.566.0.2026.8.17.14.50.16``, NiMet via
severeweather.wmo.int; ``urn:oid:2.49.0.1.356.0.2026.9.3.7.21.21``, IMD) use the UTC sending time
``YYYY.M.D.h.m.s``; we append a sequence number so two alerts in the same second stay distinct.
OID arcs are written without leading zeros (ITU-T X.660 §7.5), hence ``2025.7.7`` and not ``2025.07.07``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from hushdor.cap.errors import IdentifierError

ALERT_ARC = "2.49.0.1"
TAJIKISTAN = "762"
_ARC = re.compile(r"^(0|[1-9]\d*)$")
_IDENTIFIER = re.compile(r"^urn:oid:2\.49\.0\.1\.(\d+)\.(\d+)((?:\.\d+)*)$")


@dataclass(frozen=True, slots=True)
class ParsedIdentifier:
    country: str
    authority: str
    sent: datetime | None
    sequence: int | None
    tail: tuple[str, ...]


def new_identifier(
    authority: str | int, *, sent: datetime, sequence: int = 0, country: str | int = TAJIKISTAN
) -> str:
    """``urn:oid:2.49.0.1.<country>.<authority>.<Y>.<M>.<D>.<h>.<m>.<s>.<sequence>`` (time in UTC)."""
    authority, country = str(authority), str(country)
    for name, arc in (("authority", authority), ("country", country)):
        if not _ARC.match(arc):
            raise IdentifierError(f"the {name} must be a number without leading zeros, got {arc!r}")
    if sent.utcoffset() is None:
        raise IdentifierError("sent must be timezone-aware to build an identifier")
    if sequence < 0:
        raise IdentifierError(f"the sequence must be 0 or more, got {sequence}")
    utc = sent.astimezone(UTC)
    stamp = f"{utc.year}.{utc.month}.{utc.day}.{utc.hour}.{utc.minute}.{utc.second}"
    return f"urn:oid:{ALERT_ARC}.{country}.{authority}.{stamp}.{sequence}"


def parse_identifier(identifier: str) -> ParsedIdentifier:
    """Split an identifier under ``2.49.0.1``; ``sent``/``sequence`` are read when the tail has the
    time-stamp form (6 or 7 arcs), else ``None``. Raises :class:`IdentifierError` otherwise."""
    match = _IDENTIFIER.match(identifier.strip())
    if match is None:
        raise IdentifierError(
            f"{identifier!r} is not an alert identifier under urn:oid:{ALERT_ARC}.<country>.<authority>"
        )
    country, authority, rest = match.group(1), match.group(2), match.group(3)
    tail = tuple(rest.split(".")[1:]) if rest else ()
    sent, sequence = None, None
    if len(tail) in (6, 7):
        try:
            sent = datetime(*(int(arc) for arc in tail[:6]), tzinfo=UTC)  # type: ignore[misc]
        except ValueError:
            sent = None
        if sent is not None and len(tail) == 7:
            sequence = int(tail[6])
    return ParsedIdentifier(country=country, authority=authority, sent=sent, sequence=sequence, tail=tail)
