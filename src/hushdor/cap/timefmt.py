"""CAP date-times.

CAP 1.2 §3.3.2 and the XSD pattern ``\\d\\d\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[-,+]\\d\\d:\\d\\d``
require an explicit numeric offset: ``2025-07-07T14:05:00+05:00``. The letter ``Z`` is not allowed
(UTC is written ``+00:00``; ``-00:00`` is also forbidden by §3.3.2), nor are fractions of a second.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from hushdor.cap.errors import CapModelError

_STRICT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
_CAP_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def format_cap_datetime(moment: datetime) -> str:
    """``YYYY-MM-DDThh:mm:ss+hh:mm``; refuses naive datetimes and sub-minute offsets."""
    offset = moment.utcoffset()
    if offset is None:
        raise CapModelError(f"CAP date-times need a time zone offset; got naive {moment.isoformat()}")
    if offset.seconds % 60 or offset.microseconds:
        raise CapModelError(f"CAP offsets are whole minutes; got {offset}")
    total_minutes = int(offset.total_seconds()) // 60
    sign = "-" if total_minutes < 0 else "+"
    hours, minutes = divmod(abs(total_minutes), 60)
    return f"{moment.strftime('%Y-%m-%dT%H:%M:%S')}{sign}{hours:02d}:{minutes:02d}"


def parse_cap_datetime(text: str) -> tuple[datetime | None, str | None]:
    """Read a CAP date-time; return ``(moment, problem)``.

    ``moment`` is aware whenever the text is readable: a ``Z`` suffix or a missing offset is read as
    UTC so later checks can still compare times, and ``problem`` says what was wrong. Unreadable text
    gives ``(None, problem)``.
    """
    text = text.strip()
    if _STRICT.match(text) and not text.endswith("-00:00"):
        try:
            return datetime.fromisoformat(text), None
        except ValueError:
            pass
    match = _CAP_DATETIME.match(text)
    if match is None:
        return None, f"'{text}' is not a date-time of the form 2025-07-07T14:05:00+05:00"
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    zone = match.group(7)
    problem = None
    if "." in text:
        problem = f"'{text}' has fractions of a second; CAP date-times stop at whole seconds"
    if zone is None:
        tzinfo: timezone = UTC
        problem = f"'{text}' has no time zone offset; write it like 2025-07-07T14:05:00+05:00"
    elif zone == "Z":
        tzinfo = UTC
        problem = f"'{text}' uses 'Z'; CAP requires a numeric offset such as +00:00"
    else:
        sign = -1 if zone[0] == "-" else 1
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if zone == "-00:00":
            problem = f"'{text}' uses -00:00, which CAP forbids; write +00:00"
        if hours > 23 or minutes > 59:
            return None, f"'{text}' has an impossible offset {zone}"
        tzinfo = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=tzinfo)
    except ValueError as exc:
        return None, f"'{text}' is not a real date-time ({exc})"
    return moment, problem
