"""SMS segment counts: GSM-7 160/153 with 2-septet extension characters, UCS-2 70/67."""

from __future__ import annotations

import pytest

from hushdor.cap.sms import GSM7_BASIC, GSM7_EXTENSION, sms_segments


def test_the_gsm_tables_have_127_printable_basic_characters_and_10_extensions() -> None:
    assert len(GSM7_BASIC) == 127  # 128 code points minus the escape
    assert len(GSM7_EXTENSION) == 10


@pytest.mark.parametrize(
    ("length", "segments"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_gsm7_segments(length: int, segments: int) -> None:
    info = sms_segments("a" * length)
    assert (info.encoding, info.units, info.segments) == ("GSM-7", length, segments)


def test_extension_characters_count_two_septets_and_are_never_split() -> None:
    assert sms_segments("€" * 80).segments == 1
    assert sms_segments("€" * 81).segments == 2
    split_point = sms_segments("a" * 152 + "€" + "a" * 10)
    assert split_point.units == 164 and split_point.segments == 2
    assert sms_segments("a" * 152 + "€" + "a" * 152).segments == 3


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_cyrillic_is_ucs2(length: int, segments: int) -> None:
    info = sms_segments("ҳ" * length)
    assert (info.encoding, info.characters, info.segments) == ("UCS-2", length, segments)


def test_one_cyrillic_letter_turns_a_latin_text_into_ucs2() -> None:
    assert sms_segments("Flood warning Vakhsh" + "ш").encoding == "UCS-2"
    assert sms_segments("").segments == 0
