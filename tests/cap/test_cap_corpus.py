"""Hand-written agency-style alerts: the valid ones pass, each invalid one yields its finding."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from hushdor.cap.validation import ValidationContext, validate
from hushdor.cap.xml import parse, to_xml

CORPUS = Path(__file__).parent / "corpus"
VALID = sorted((CORPUS / "valid").glob("*.xml"))

EXPECTED = {
    "zulu_sent.xml": ("datetime.offset", "error"),
    "organisation_arc.xml": ("identifier.arc", "error"),
    "expires_before_sent.xml": ("expires.before_sent", "error"),
    "relative_web.xml": ("web.not_absolute", "error"),
    "latin_text_in_ru.xml": ("language.script", "error"),
    "open_polygon.xml": ("polygon.open", "error"),
    "update_without_references.xml": ("references.missing", "error"),
    "unknown_severity_actual_public.xml": ("severity.unknown", "error"),
    "effective_before_sent.xml": ("effective.before_sent", "error"),
    "identifier_with_space.xml": ("identifier.characters", "error"),
    "elements_out_of_order.xml": ("schema.invalid", "error"),
    "bowtie_polygon.xml": ("polygon.invalid", "warning"),
}


def context_for(document: bytes, **options: object) -> ValidationContext:
    alert = parse(document).alert
    assert alert is not None
    return ValidationContext(now=alert.sent + timedelta(minutes=1), **options)  # type: ignore[arg-type]


def test_the_corpus_has_ten_valid_alerts_and_a_file_per_expected_finding() -> None:
    assert len(VALID) >= 10
    assert sorted(p.name for p in (CORPUS / "invalid").glob("*.xml")) == sorted(EXPECTED)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_corpus_alert_has_no_findings(path: Path) -> None:
    document = path.read_bytes()
    assert validate(document, rules=context_for(document)) == []


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_corpus_alert_survives_parse_write_parse(path: Path) -> None:
    first = parse(path.read_bytes()).alert
    assert first is not None
    assert parse(to_xml(first)).alert == first


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_corpus_alert_produces_its_finding(name: str) -> None:
    document = (CORPUS / "invalid" / name).read_bytes()
    code, severity = EXPECTED[name]
    findings = validate(document, rules=context_for(document))
    matching = [f for f in findings if f.code == code]
    assert matching, [str(f) for f in findings]
    assert {f.severity for f in matching} == {severity}
    assert all(f.message for f in matching)


def test_an_open_polygon_finding_offers_the_closed_ring() -> None:
    document = (CORPUS / "invalid" / "open_polygon.xml").read_bytes()
    finding = next(f for f in validate(document, rules=context_for(document)) if f.code == "polygon.open")
    assert finding.path == "info[0].area[0].polygon[0]"
    assert finding.repaired is not None and finding.repaired[0] == finding.repaired[-1]


def test_the_same_alert_is_stale_a_day_after_it_expired() -> None:
    document = (VALID[0]).read_bytes()
    alert = parse(document).alert
    assert alert is not None
    expires = max(info.expires for info in alert.infos if info.expires)
    codes = [f.code for f in validate(document, rules=ValidationContext(now=expires + timedelta(days=1)))]
    assert "alert.stale" in codes


def test_external_alerts_from_other_countries_pass_when_the_arc_check_allows_any_country() -> None:
    document = (CORPUS / "valid" / "heat_sughd_en.xml").read_bytes().replace(b".762.", b".566.")
    assert "identifier.arc" in [f.code for f in validate(document, rules=context_for(document))]
    assert validate(document, rules=context_for(document, country=None)) == []


def test_known_alerts_are_checked_for_references_and_duplicates() -> None:
    update = (CORPUS / "valid" / "flood_vakhsh_update.xml").read_bytes()
    original = parse((CORPUS / "valid" / "flood_vakhsh_alert.xml").read_bytes()).alert
    assert original is not None
    known = {(original.sender, original.identifier)}
    assert validate(update, rules=context_for(update, known=known)) == []
    unknown = [f.code for f in validate(update, rules=context_for(update, known=set()))]
    assert unknown == ["references.unknown"]
    again = [
        f.code
        for f in validate(
            update,
            rules=context_for(update, issued=lambda sender, identifier: identifier.endswith(".6.21.4.0.0.1")),
        )
    ]
    assert again == ["identifier.duplicate"]
