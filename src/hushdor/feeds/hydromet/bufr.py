"""BUFR surface observations (SYNOP, BUFR edition 3 and 4) → observation rows, with ecCodes.

ecCodes comes from PyPI (``eccodes`` + ``eccodeslib``: the library and its tables in the wheel, no
system package); it is an optional dependency (``pip install hushdor[bufr]``). Read per subset: the
station (WIGOS identifier from 001125–001128, else block and station number → ``0-20000-0-BBSSS``), the
time (year … minute), and the variables Hushdor stores, converted from BUFR's SI units: air
temperature (K → °C), total precipitation (kg m⁻² = mm), total snow depth (m → cm). Anything else in
the message is ignored; a message that ecCodes cannot decode is refused with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

MISSING = 1e10  # ecCodes' CODES_MISSING_DOUBLE is -1e100; values this large are "missing" too


class BufrError(ValueError):
    """A message that is not readable BUFR, or has no station or time."""


@dataclass(frozen=True)
class Row:
    station: str  # WIGOS station identifier
    time: datetime
    variable: str
    value: float


def _get(eccodes, handle, key: str):
    try:
        if not eccodes.codes_is_defined(handle, key):
            return None
        value = eccodes.codes_get(handle, key)
    except eccodes.CodesInternalError:
        return None
    if isinstance(value, float | int) and (abs(value) >= MISSING or value == eccodes.CODES_MISSING_LONG):
        return None
    return value


def decode(message: bytes) -> list[Row]:
    try:
        import eccodes
    except ImportError as problem:  # pragma: no cover - the extra is installed for the tests
        raise BufrError("BUFR needs the optional ecCodes wheels: pip install 'hushdor[bufr]'") from problem
    if not message.startswith(b"BUFR") or not message.rstrip(b"\x00\n").endswith(b"7777"):
        raise BufrError("not a complete BUFR message (it must start with BUFR and end with 7777)")
    try:
        handle = eccodes.codes_new_from_message(message)
    except Exception as problem:  # ecCodes raises its own error classes for broken input
        raise BufrError(f"ecCodes cannot read the message: {problem}") from problem
    try:
        try:
            eccodes.codes_set(handle, "unpack", 1)
        except Exception as problem:
            raise BufrError(f"ecCodes cannot unpack the message: {problem}") from problem
        series = _get(eccodes, handle, "wigosIdentifierSeries")
        if series is not None:
            issuer = _get(eccodes, handle, "wigosIssuerOfIdentifier")
            number = _get(eccodes, handle, "wigosIssueNumber")
            local = _get(eccodes, handle, "wigosLocalIdentifierCharacter")
            station = f"{series}-{issuer}-{number}-{str(local).strip()}"
        else:
            block, number = _get(eccodes, handle, "blockNumber"), _get(eccodes, handle, "stationNumber")
            if block is None or number is None:
                raise BufrError("the message names no station (no WIGOS identifier, no block and station number)")
            station = f"0-20000-0-{int(block):02d}{int(number):03d}"
        parts = [_get(eccodes, handle, key) for key in ("year", "month", "day", "hour", "minute")]
        if any(part is None for part in parts[:4]):
            raise BufrError("the message has no observation time")
        try:
            moment = datetime(*(int(p or 0) for p in parts), tzinfo=UTC)
        except ValueError as problem:
            raise BufrError(f"the observation time is impossible: {problem}") from problem
        rows = []
        for key, variable, convert in (
            ("airTemperature", "air_temperature_c", lambda k: k - 273.15),
            ("totalPrecipitationOrTotalWaterEquivalent", "precipitation_mm", lambda v: v),
            ("totalSnowDepth", "snow_depth_cm", lambda m: m * 100.0),
        ):
            value = _get(eccodes, handle, key)
            if value is not None:
                rows.append(Row(station, moment, variable, round(float(convert(value)), 3)))
        return rows
    finally:
        eccodes.codes_release(handle)
