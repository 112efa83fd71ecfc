"""Cell broadcast pages against hand-computed vectors and an independent decoder written here."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hushdor.cap.xml import parse
from hushdor.cbs.from_cap import messages_for
from hushdor.cbs.identifiers import message_identifier
from hushdor.cbs.pages import CbsError, SerialNumber, _pack_septets, decode_pages, encode_pages

CORPUS = Path(__file__).resolve().parents[1] / "cap" / "corpus" / "valid"
GSM7 = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def independent_decode(page: bytes) -> dict:
    """Read a page the way a handset does (Android SmsCbHeader), bit by bit for GSM 7-bit."""
    serial = page[0] * 256 + page[1]
    header = {
        "gs": serial >> 14,
        "code": (serial >> 4) & 0x3FF,
        "update": serial & 0xF,
        "id": page[2] * 256 + page[3],
        "dcs": page[4],
        "page": page[5] >> 4,
        "pages": page[5] & 0xF,
    }
    body = page[6:]
    if page[4] == 0x0F:
        bits = [(body[i // 8] >> (i % 8)) & 1 for i in range(len(body) * 8)]
        septets = [sum(bits[7 * k + b] << b for b in range(7)) for k in range(len(bits) // 7)]
        header["text"] = "".join(GSM7[s] for s in septets)
    else:
        header["text"] = "".join(chr(body[i] * 256 + body[i + 1]) for i in range(0, len(body), 2))
    return header


def test_gsm7_packing_matches_the_textbook_vector():
    # "hellohello" → E8 32 9B FD 46 97 D9 EC 37 (the classic TS 23.038 packing example)
    codes = [GSM7.index(c) for c in "hellohello"]
    assert _pack_septets(codes).hex().upper() == "E8329BFD4697D9EC37"


def test_a_latin_text_is_one_gsm7_page_of_88_octets_padded_with_cr():
    serial = SerialNumber(geo_scope=1, message_code=600, update_number=2)
    dcs, pages = encode_pages("Earthquake M6.1: Dushanbe. Stay out of damaged buildings.", message_id=4375, serial=serial)
    assert dcs == 0x0F and len(pages) == 1 and len(pages[0]) == 88
    read = independent_decode(pages[0])
    assert (read["gs"], read["code"], read["update"], read["id"], read["page"], read["pages"]) == (1, 600, 2, 4375, 1, 1)
    assert read["text"].startswith("Earthquake M6.1: Dushanbe.") and read["text"].endswith("\r" * 10)
    assert serial.value == (1 << 14) | (600 << 4) | 2


def test_a_tajik_text_is_ucs2_41_characters_a_page_and_decodes_back():
    text = "Заминларзаи шадид: Мурғоб. Ба биноҳои осебдида надароед, ба ларзишҳои такрорӣ омода бошед."
    dcs, pages = encode_pages(text, message_id=4371, serial=SerialNumber(1, 5, 0))
    assert dcs == 0x48 and len(pages) == -(-len(text) // 41) == 3
    assert all(len(page) == 88 for page in pages)
    parts = [independent_decode(page) for page in pages]
    assert [(p["page"], p["pages"]) for p in parts] == [(1, 3), (2, 3), (3, 3)]
    assert "".join(p["text"] for p in parts).rstrip("\r") == text
    assert decode_pages(list(reversed(pages))).text == text


def test_more_than_fifteen_pages_is_refused_not_cut():
    with pytest.raises(CbsError, match="at most 15"):
        encode_pages("ӯ" * (15 * 41 + 1), message_id=4396, serial=SerialNumber(1, 1, 0))
    _, pages = encode_pages("ӯ" * (15 * 41), message_id=4396, serial=SerialNumber(1, 1, 0))
    assert len(pages) == 15


def test_broken_page_sets_are_refused_with_a_reason():
    _, pages = encode_pages("Хатари сел " * 10, message_id=4396, serial=SerialNumber(1, 1, 0))
    with pytest.raises(CbsError, match="missing or repeated"):
        decode_pages(pages[:-1])
    with pytest.raises(CbsError, match="88"):
        decode_pages([pages[0][:80]])
    _, other = encode_pages("Хатари сел " * 10, message_id=4397, serial=SerialNumber(1, 1, 0))
    with pytest.raises(CbsError, match="different messages"):
        decode_pages([pages[0], *other[1:]])


@pytest.mark.parametrize(
    ("status", "severity", "urgency", "certainty", "language", "expected"),
    [
        ("Actual", "Extreme", "Immediate", "Observed", "tg", 4371),
        ("Actual", "Extreme", "Immediate", "Likely", "ru", 4385),
        ("Actual", "Severe", "Immediate", "Observed", "tg", 4375),
        ("Actual", "Severe", "Expected", "Likely", "en", 4391),
        ("Actual", "Moderate", "Expected", "Likely", "tg", 4396),
        ("Actual", "Moderate", "Expected", "Likely", "ru", 4397),
        ("Exercise", "Extreme", "Immediate", "Observed", "tg", 4381),
        ("Exercise", "Extreme", "Immediate", "Observed", "ru", 4394),
        ("Test", "Minor", "Future", "Possible", "tg", 4380),
    ],
)
def test_message_identifiers_follow_the_table(status, severity, urgency, certainty, language, expected):
    assert message_identifier(
        status=status, severity=severity, urgency=urgency, certainty=certainty, language=language
    ) == expected


def test_an_update_keeps_the_message_code_and_counts_up_and_a_cancel_withdraws():
    alert = parse((CORPUS / "flood_vakhsh_alert.xml").read_bytes()).alert
    update = parse((CORPUS / "flood_vakhsh_update.xml").read_bytes()).alert
    cancel = parse((CORPUS / "flood_vakhsh_cancel.xml").read_bytes()).alert
    (first,), (second,), (third,) = messages_for(alert), messages_for(update), messages_for(cancel)
    assert first.serial.message_code == second.serial.message_code == third.serial.message_code
    assert (first.serial.update_number, second.serial.update_number) == (0, 1)
    assert third.cancel and third.pages == ()
    wrapped = messages_for(replace(update, references=update.references * 16))[0]
    assert wrapped.serial.update_number == 0  # 16 references: the 4-bit counter wraps


def test_the_command_encodes_a_cap_file_whose_pages_decode_to_the_texts(tmp_path, capsys):
    source = CORPUS / "earthquake_rasht.xml"
    call_command("cbs", "encode", str(source), "--json")
    document = json.loads(capsys.readouterr().out)
    alert = parse(source.read_bytes()).alert
    assert [m["language"] for m in document["messages"]] == [i.language.split("-")[0] for i in alert.infos]
    for message, info in zip(document["messages"], alert.infos, strict=True):
        assert set(message) >= {"language", "message_id", "serial", "dcs", "pages"}
        assert all(len(page) == 176 for page in message["pages"])
        decoded = decode_pages([bytes.fromhex(page) for page in message["pages"]])
        assert decoded.text.startswith(info.headline) and info.instruction.rstrip(".") in decoded.text
        assert decoded.message_id == message["message_id"] and decoded.serial.value == message["serial"]
    call_command("cbs", "decode", *document["messages"][0]["pages"], "--json")
    assert json.loads(capsys.readouterr().out)["text"].startswith(alert.infos[0].headline)


def test_the_command_refuses_a_file_that_is_not_cap(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<notcap/>", encoding="utf-8")
    with pytest.raises(CommandError, match="not a readable CAP") as raised:
        call_command("cbs", "encode", str(path))
    assert raised.value.returncode == 2
    with pytest.raises(CommandError, match="cannot decode"):
        call_command("cbs", "decode", "zz")
