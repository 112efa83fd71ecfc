"""Damage reports and situation reports: validation, numbering, changes since the last report, the
two-person rule, the frozen PDF and EDXL-SitRep XML (the PDF's text is read back with pypdf)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.operations import sitreps
from hushdor.apps.operations.services import OperationsError, incident_open
from hushdor.apps.places.services import places_load_bundled
from hushdor.edxl import sitrep as sitrep_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    places_load_bundled()
    liaison, _ = operator_create(username="lola", password="correct-horse-battery", roles=["editor"])
    commander, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    incident = incident_open(title="Earthquake M7.2, Sarez", hazard="earthquake")
    return liaison, commander, incident


@pytest.mark.parametrize(
    ("figures", "district", "source", "message"),
    [
        ({"dead": -1}, "TJ-GB-RUSHON", "hukumat", "from 0 to"),
        ({"dead": "2.5"}, "TJ-GB-RUSHON", "hukumat", "not a whole number"),
        ({"dead": 10**9}, "TJ-GB-RUSHON", "hukumat", "from 0 to"),
        ({"zombies": 3}, "TJ-GB-RUSHON", "hukumat", "unknown figure"),
        ({"dead": 1}, "TJ-NOWHERE", "hukumat", "unknown district"),
        ({"dead": 1}, "TJ-GB-RUSHON", " ", "needs its source"),
        ({}, "TJ-GB-RUSHON", "hukumat", "no figures"),
    ],
)
def test_bad_figures_are_refused_naming_what_is_wrong(setup, figures, district, source, message):
    liaison, _, incident = setup
    with pytest.raises(OperationsError, match=message):
        sitreps.damage_report(actor=liaison, incident=incident, district_code=district, figures=figures, source=source)
    assert not incident.damage_reports.exists()


def test_the_latest_report_per_district_wins_figure_by_figure(setup):
    liaison, _, incident = setup
    sitreps.damage_report(
        actor=liaison, incident=incident, district_code="TJ-GB-RUSHON", figures={"dead": 2, "injured": 30}, source="A"
    )
    sitreps.damage_report(actor=liaison, incident=incident, district_code="TJ-GB-RUSHON", figures={"injured": 37}, source="B")
    sitreps.damage_report(actor=liaison, incident=incident, district_code="TJ-GB-VANJ", figures={"injured": 4}, source="C")
    current = sitreps.current_figures(incident)
    assert current["TJ-GB-RUSHON"]["values"] == {"dead": 2, "injured": 37}
    assert current["TJ-GB-RUSHON"]["source"] == "B"
    assert sitreps.totals(current) == {"dead": 2, "injured": 41}
    assert incident.log.filter(text__startswith="Damage report").count() == 3


def test_sitreps_are_numbered_show_changes_and_need_a_second_person(setup):
    liaison, commander, incident = setup
    sitreps.damage_report(actor=liaison, incident=incident, district_code="TJ-GB-RUSHON", figures={"injured": 30}, source="A")
    first = sitreps.sitrep_draft(actor=liaison, incident=incident)
    sitreps.sitrep_edit(actor=liaison, sitrep=first, situation="Roads to Rushon blocked.", actions="Teams sent.")
    published = sitreps.sitrep_publish(actor=commander, sitrep=first)
    assert published.number == 1 and published.state == "published"
    with pytest.raises(OperationsError, match="never changed"):
        sitreps.sitrep_edit(actor=liaison, sitrep=published, situation="rewrite history", actions="")

    sitreps.damage_report(actor=liaison, incident=incident, district_code="TJ-GB-RUSHON", figures={"injured": 37}, source="B")
    second = sitreps.sitrep_draft(actor=liaison, incident=incident)
    assert second.number == 2 and second.period_from == published.period_to
    rushon = second.data["figures"][0]
    assert rushon["values"]["injured"] == 37 and rushon["changes"] == {"injured": 7}
    with pytest.raises(OperationsError, match="approver"):
        sitreps.sitrep_publish(actor=liaison, sitrep=second)


def test_the_author_cannot_publish_her_own_sitrep(setup):
    _, _, incident = setup
    both, _ = operator_create(username="both", password="correct-horse-battery", roles=["editor", "approver"])
    draft = sitreps.sitrep_draft(actor=both, incident=incident)
    with pytest.raises(OperationsError, match="two-person rule"):
        sitreps.sitrep_publish(actor=both, sitrep=draft)


def test_the_published_pdf_and_xml_carry_the_report_in_its_language(setup):
    liaison, commander, incident = setup
    sitreps.damage_report(
        actor=liaison, incident=incident, district_code="TJ-GB-RUSHON", figures={"displaced": 1650}, source="Хукумати Рушон"
    )
    draft = sitreps.sitrep_draft(actor=liaison, incident=incident, language="ru")
    sitreps.sitrep_edit(actor=liaison, sitrep=draft, situation="Дороги в Рушон перекрыты оползнями.", actions="")
    published = sitreps.sitrep_publish(actor=commander, sitrep=draft)

    reader = PdfReader(io.BytesIO(bytes(published.pdf)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Дороги в Рушон перекрыты оползнями." in text  # Cyrillic survives (DejaVu embedded)
    assert "1,650" in text and "Хукумати Рушон" in text
    assert "Оперативная сводка № 1" in text and "Пострадавшие районы" not in text  # labels in Russian
    assert reader.pages[0].images, "the map is drawn on the first page"

    document, findings = sitrep_xml.parse(bytes(published.xml))
    assert findings == []
    assert (document.number, document.version, document.language) == (1, "Initial", "ru")
    assert document.figures[0].values == {"displaced": 1650}
    assert document.authorized_by == "bahrom" and document.prepared_by == "lola"


def test_a_partners_sitrep_xml_is_read_safely():
    for bad, code in (
        (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><SitRep/>', ""),
        (b"<SitRep xmlns='urn:oasis:names:tc:emergency:EDXL:SitRep:1.0'><ReportNumber>x</ReportNumber></SitRep>", "sitrep.number"),
        (b"<other/>", "sitrep.root"),
    ):
        document, findings = sitrep_xml.parse(bad)
        assert document is None and findings
        assert code in {f.code for f in findings} or not code


def test_the_incident_board_has_a_map(setup, client):
    liaison, _, incident = setup
    sitreps.damage_report(actor=liaison, incident=incident, district_code="TJ-GB-RUSHON", figures={"injured": 3}, source="A")
    client.login(username="lola", password="correct-horse-battery")
    assert f'src="/operations/{incident.pk}/map.png"' in client.get(f"/operations/{incident.pk}/").content.decode()
    png = client.get(f"/operations/{incident.pk}/map.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG" and len(png.content) > 5000
