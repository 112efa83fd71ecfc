"""The CBS message identifier of a CAP info (3GPP TS 23.041 § 9.4.1.2.2; ETSI TS 102 900 EU-Alert).

| CAP | identifier (primary language) | additional language |
|---|---|---|
| status Exercise | 4381 (EU-Exercise) | 4394 |
| status Test | 4380 (Required Monthly Test) | 4393 |
| parameter ``CBS-Presidential`` = ``true`` (a national-level decision) | 4370 (EU-Alert level 1) | 4383 |
| Extreme · Immediate · Observed | 4371 (level 2) | 4384 |
| Extreme · Immediate · Likely | 4372 (level 2) | 4385 |
| Extreme · Expected · Observed | 4373 (level 3) | 4386 |
| Extreme · Expected · Likely | 4374 (level 3) | 4387 |
| Severe · Immediate · Observed | 4375 (level 3) | 4388 |
| Severe · Immediate · Likely | 4376 (level 3) | 4389 |
| Severe · Expected · Observed | 4377 (level 3) | 4390 |
| Severe · Expected · Likely | 4378 (level 3) | 4391 |
| anything else (Moderate, Minor, Future, Possible, Unknown…) | 4396 (EU-Alert level 4, public safety) | 4397 |

The triples are the US WEA "imminent threat" classes (FEMA IPAWS; Android ``SmsCbConstants``), which
EU-Alert levels 2 and 3 reuse. Tajik is the primary language; every other language is sent on the
additional-language identifier (+13; +1 for 4396), each language with its own message code so that a
handset that shows both does not take one for a repeat of the other.
"""

from __future__ import annotations

PRESIDENTIAL = 4370
EXERCISE = 4381
TEST = 4380
PUBLIC_SAFETY = 4396
PRIMARY_LANGUAGE = "tg"
PRESIDENTIAL_PARAMETER = "CBS-Presidential"

_IMMINENT = {
    ("Extreme", "Immediate", "Observed"): 4371,
    ("Extreme", "Immediate", "Likely"): 4372,
    ("Extreme", "Expected", "Observed"): 4373,
    ("Extreme", "Expected", "Likely"): 4374,
    ("Severe", "Immediate", "Observed"): 4375,
    ("Severe", "Immediate", "Likely"): 4376,
    ("Severe", "Expected", "Observed"): 4377,
    ("Severe", "Expected", "Likely"): 4378,
}


def message_identifier(
    *, status: str, severity: str, urgency: str, certainty: str, language: str, presidential: bool = False
) -> int:
    if status == "Exercise":
        primary = EXERCISE
    elif status == "Test":
        primary = TEST
    elif presidential:
        primary = PRESIDENTIAL
    else:
        primary = _IMMINENT.get((severity, urgency, certainty), PUBLIC_SAFETY)
    if language.split("-")[0].lower() == PRIMARY_LANGUAGE:
        return primary
    return primary + 1 if primary == PUBLIC_SAFETY else primary + 13
