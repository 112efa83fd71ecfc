"""The CBS message format of 3GPP TS 23.041 § 9.4.1.2 and the codings of TS 23.038 § 5 and § 6.

Every page is **88 octets**: serial number (2), message identifier (2), data coding scheme (1), page
parameter (1: this page's number in the high nibble, the total in the low one), then 82 octets of
content. A message has at most 15 pages.

* Text that the GSM 7-bit default alphabet holds (TS 23.038 § 6.2.1; the extension table is not used)
  is packed 8 characters into 7 octets — 93 per page — with DCS ``0x0F`` (GSM 7-bit, language
  unspecified); unused septets are carriage returns (CR, § 6.1.2.3 padding).
* Anything else — every Tajik and Russian text — is UCS-2 (UTF-16 big-endian code units), 41 per page,
  DCS ``0x48`` (general data coding, UCS-2, no message class), padded with CR (U+000D).

The serial number is GS (2 bits) · message code (10 bits) · update number (4 bits), as OsmoCBC builds
it: ``(gs << 14) | (code << 4) | update``.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_OCTETS = 88
HEADER_OCTETS = 6
CONTENT_OCTETS = PAGE_OCTETS - HEADER_OCTETS  # 82
MAX_PAGES = 15
GSM7_PER_PAGE = CONTENT_OCTETS * 8 // 7  # 93
UCS2_PER_PAGE = CONTENT_OCTETS // 2  # 41
DCS_GSM7 = 0x0F
DCS_UCS2 = 0x48
CR = "\r"

# GSM 03.38 default alphabet, code point = index (TS 23.038 § 6.2.1); ESC (0x1B) not used for text here.
GSM7_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_CODE = {character: code for code, character in enumerate(GSM7_ALPHABET) if code != 0x1B}

GEO_SCOPES = {"cell_wide_immediate": 0, "plmn_wide": 1, "lac_sac_tac_wide": 2, "cell_wide": 3}


class CbsError(ValueError):
    """A text, field or page that cannot be encoded or decoded; the message says which."""


@dataclass(frozen=True)
class SerialNumber:
    geo_scope: int  # 0..3
    message_code: int  # 0..1023
    update_number: int  # 0..15

    def __post_init__(self) -> None:
        if not (
            0 <= self.geo_scope <= 3 and 0 <= self.message_code <= 1023 and 0 <= self.update_number <= 15
        ):
            raise CbsError(f"serial number fields out of range: {self}")

    @property
    def value(self) -> int:
        return (self.geo_scope << 14) | (self.message_code << 4) | self.update_number

    @classmethod
    def of(cls, value: int) -> SerialNumber:
        return cls((value >> 14) & 0x3, (value >> 4) & 0x3FF, value & 0xF)


def fits_gsm7(text: str) -> bool:
    return all(character in _GSM7_CODE for character in text)


def _pack_septets(codes: list[int]) -> bytes:
    """GSM 7-bit packing (TS 23.038 § 6.1.2.1.1): septet k starts at bit 7k, least significant first."""
    bits = 0
    for index, code in enumerate(codes):
        bits |= code << (7 * index)
    return bits.to_bytes((7 * len(codes) + 7) // 8, "little")


def _unpack_septets(data: bytes, count: int) -> list[int]:
    bits = int.from_bytes(data, "little")
    return [(bits >> (7 * index)) & 0x7F for index in range(count)]


def _utf16_units(text: str) -> list[bytes]:
    raw = text.encode("utf-16-be")
    return [raw[k : k + 2] for k in range(0, len(raw), 2)]


def encode_pages(text: str, *, message_id: int, serial: SerialNumber) -> tuple[int, list[bytes]]:
    """(DCS, pages of 88 octets) for ``text``; raises CbsError when it needs more than 15 pages."""
    if not 0 <= message_id <= 0xFFFF:
        raise CbsError(f"message identifier {message_id} is outside 0..65535")
    if not text:
        raise CbsError("the text is empty")
    if fits_gsm7(text):
        dcs, per_page = DCS_GSM7, GSM7_PER_PAGE
        chunks = [text[k : k + per_page] for k in range(0, len(text), per_page)]
    else:
        dcs, per_page = DCS_UCS2, UCS2_PER_PAGE
        units = _utf16_units(text)
        chunks = []
        while units:  # never split a surrogate pair across two pages
            take = per_page
            if take < len(units) and 0xD8 <= units[take - 1][0] <= 0xDB:
                take -= 1
            chunks.append(b"".join(units[:take]).decode("utf-16-be"))
            units = units[take:]
    if len(chunks) > MAX_PAGES:
        raise CbsError(
            f"the text needs {len(chunks)} pages; a cell broadcast carries at most {MAX_PAGES} "
            f"({MAX_PAGES * per_page} characters in this coding)"
        )
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        header = bytes(
            [
                serial.value >> 8,
                serial.value & 0xFF,
                message_id >> 8,
                message_id & 0xFF,
                dcs,
                (number << 4) | len(chunks),
            ]
        )
        if dcs == DCS_GSM7:
            codes = [_GSM7_CODE[character] for character in chunk]
            codes += [_GSM7_CODE[CR]] * (per_page - len(codes))
            content = _pack_septets(codes)
        else:
            content = chunk.encode("utf-16-be")
            content += CR.encode("utf-16-be") * ((CONTENT_OCTETS - len(content)) // 2)
        page = header + content
        if len(page) != PAGE_OCTETS:
            raise CbsError(f"page {number} came out {len(page)} octets long")  # a bug, never bad input
        pages.append(page)
    return dcs, pages


@dataclass(frozen=True)
class DecodedMessage:
    serial: SerialNumber
    message_id: int
    dcs: int
    pages: int
    text: str


def decode_pages(pages: list[bytes]) -> DecodedMessage:
    """The text and header fields of a CBS message from its pages (in any order); checks every field."""
    if not pages:
        raise CbsError("no pages")
    headers = set()
    texts: dict[int, str] = {}
    total = 0
    for page in pages:
        if len(page) != PAGE_OCTETS:
            raise CbsError(f"a page is {len(page)} octets long, not {PAGE_OCTETS}")
        serial, message_id, dcs = (page[0] << 8) | page[1], (page[2] << 8) | page[3], page[4]
        number, total = page[5] >> 4, page[5] & 0x0F
        if not 1 <= number <= total <= MAX_PAGES:
            raise CbsError(f"page parameter {page[5]:#04x} is not page n of N (1 ≤ n ≤ N ≤ 15)")
        headers.add((serial, message_id, dcs, total))
        content = page[HEADER_OCTETS:]
        if dcs == DCS_GSM7:
            chunk = "".join(GSM7_ALPHABET[code] for code in _unpack_septets(content, GSM7_PER_PAGE))
        elif dcs == DCS_UCS2:
            chunk = content.decode("utf-16-be", errors="strict")
        else:
            raise CbsError(f"data coding scheme {dcs:#04x} is not one this decoder reads (0x0F, 0x48)")
        texts[number] = chunk.rstrip(CR)
    if len(headers) != 1:
        raise CbsError(
            "the pages belong to different messages (serial, identifier, DCS or page count differ)"
        )
    if sorted(texts) != list(range(1, total + 1)):
        raise CbsError(f"pages {sorted(texts)} of {total}: some are missing or repeated")
    serial, message_id, dcs, total = headers.pop()
    return DecodedMessage(
        SerialNumber.of(serial), message_id, dcs, total, "".join(texts[k] for k in range(1, total + 1))
    )
