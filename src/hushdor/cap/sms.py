"""How many SMS segments a text needs.

3GPP TS 23.038 (GSM 03.38): the GSM 7-bit default alphabet (128 characters) and its extension table
(``^ { } \\ [ ~ ] | €`` and form feed, each sent as ESC + character = 2 septets). A text outside those
goes as UCS-2 (UTF-16 code units; characters outside the BMP take 2). Single SMS: 160 septets or 70
UCS-2 units; concatenated SMS lose 7 septets / 3 units per segment to the user-data header
(3GPP TS 23.040 §9.2.3.24.1), leaving 153 / 67. An escape pair or a surrogate pair is never split
across segments. Tajik and Russian (Cyrillic) always need UCS-2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
_SINGLE = {"GSM-7": 160, "UCS-2": 70}
_CONCATENATED = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True, slots=True)
class SmsInfo:
    encoding: Literal["GSM-7", "UCS-2"]
    characters: int
    units: int
    segments: int


def sms_segments(text: str) -> SmsInfo:
    """Encoding, character count, septets (GSM-7) or UTF-16 units (UCS-2), and segment count."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        encoding: Literal["GSM-7", "UCS-2"] = "GSM-7"
        sizes = [2 if char in GSM7_EXTENSION else 1 for char in text]
    else:
        encoding = "UCS-2"
        sizes = [2 if ord(char) > 0xFFFF else 1 for char in text]
    units = sum(sizes)
    return SmsInfo(
        encoding=encoding, characters=len(text), units=units, segments=_count_segments(sizes, encoding)
    )


def _count_segments(sizes: list[int], encoding: str) -> int:
    if not sizes:
        return 0
    if sum(sizes) <= _SINGLE[encoding]:
        return 1
    capacity = _CONCATENATED[encoding]
    segments, used = 1, 0
    for size in sizes:
        if used + size > capacity:
            segments += 1
            used = 0
        used += size
    return segments
