"""Hostile documents are refused with a clear finding, quickly, and leak nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hushdor.cap.safety import Limits
from hushdor.cap.validation import ValidationContext, validate
from hushdor.cap.xml import parse

HEADER = b'<?xml version="1.0" encoding="UTF-8"?>\n'
CAP = b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
XXE = (
    HEADER
    + b'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + CAP
    + b"<identifier>&xxe;</identifier></alert>"
)
LAUGHS = (
    HEADER
    + b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
        for i in range(1, 10)
    )
    + b"]>"
    + CAP
    + b"<identifier>&lol9;</identifier></alert>"
)
DEEP = HEADER + CAP + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</alert>"
HUGE = HEADER + CAP + b"<note>" + b"x" * (50 * 1024 * 1024) + b"</note></alert>"

CASES = {
    "xxe": (XXE, "xml.doctype"),
    "billion_laughs": (LAUGHS, "xml.doctype"),
    "fifty_megabytes": (HUGE, "xml.too_large"),
    "ten_thousand_deep": (DEEP, "xml.too_deep"),
    "invalid_utf8": (HEADER + CAP + b"<note>\xff\xfe\xc3</note></alert>", "xml.utf8"),
    "latin1_declared": (b'<?xml version="1.0" encoding="ISO-8859-1"?>' + CAP + b"</alert>", "xml.encoding"),
    "empty": (b"", "xml.empty"),
    "whitespace_only": (b"  \n\t ", "xml.empty"),
    "not_xml": (b"%PDF-1.7 this is not xml {", "xml.malformed"),
    "truncated": (HEADER + CAP + b"<identifier>abc", "xml.malformed"),
    "wrong_root": (HEADER + b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "xml.not_cap"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_refused_quickly_with_a_clear_finding(name: str) -> None:
    document, code = CASES[name]
    started = time.perf_counter()
    result = parse(document)
    elapsed = time.perf_counter() - started
    assert result.alert is None
    assert [f.code for f in result.findings] == [code]
    assert result.findings[0].severity == "error" and result.findings[0].message
    assert elapsed < 0.1, f"{name} took {elapsed * 1000:.1f} ms"


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_reports_the_same_refusal(name: str) -> None:
    document, code = CASES[name]
    assert [f.code for f in validate(document, rules=ValidationContext())] == [code]


def test_nothing_from_the_local_file_system_leaks_into_findings() -> None:
    passwd = Path("/etc/passwd").read_text(errors="replace") if Path("/etc/passwd").exists() else "root:x:0:0"
    first_line = passwd.splitlines()[0]
    for result in (parse(XXE), parse(LAUGHS)):
        text = " ".join(str(f) for f in result.findings)
        assert first_line not in text and "lollol" not in text


def test_the_size_and_depth_limits_are_configurable() -> None:
    small = (Path(__file__).parent / "corpus" / "valid" / "heat_sughd_en.xml").read_bytes()
    assert parse(small).alert is not None
    assert [f.code for f in parse(small, limits=Limits(max_bytes=500)).findings] == ["xml.too_large"]
    assert [f.code for f in parse(small, limits=Limits(max_depth=3)).findings] == ["xml.too_deep"]


def test_a_bytes_type_error_is_a_finding_not_an_exception() -> None:
    assert [f.code for f in parse("<alert/>").findings] == ["xml.type"]  # type: ignore[arg-type]
