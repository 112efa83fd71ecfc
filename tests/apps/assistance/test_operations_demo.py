"""`hushdor operations demo --json --out DIR`: the Sarez exercise end to end, headless."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree
from pypdf import PdfReader

from hushdor.apps.places.services import places_load_bundled
from hushdor.edxl import envelope as de
from hushdor.edxl import sitrep as sitrep_xml
from hushdor.xmlsafe import hardened_parser

pytestmark = pytest.mark.django_db


def test_the_operations_demo_writes_valid_envelopes_and_a_sitrep_pdf(tmp_path, capsys):
    places_load_bundled()
    call_command("operations", "demo", "--json", "--out", str(tmp_path))
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"incident", "rfa", "offers", "accepted", "sitreps", "files"}
    assert (result["offers"], result["accepted"], result["sitreps"]) == (3, 2, 1)

    files = [Path(name) for name in result["files"]]
    assert all(path.parent == tmp_path and path.exists() for path in files)
    envelopes = [p for p in files if p.suffix == ".xml" and b"EDXLDistribution" in p.read_bytes()[:400]]
    assert len(envelopes) == 6  # request, offer, 2 acceptances + 1 decline, sitrep
    for path in envelopes:
        root = etree.fromstring(path.read_bytes(), hardened_parser())
        assert de.schema().validate(root), (path.name, de.schema().error_log)
        envelope, findings = de.parse(path.read_bytes())
        assert findings == [] and envelope.status == "Exercise", path.name
    kinds = sorted(de.parse(p.read_bytes())[0].kind for p in envelopes)
    assert kinds == ["Dispatch", "Dispatch", "Report", "Request", "Response", "Response"]

    report = next(p for p in files if p.name == "04-sitrep-1.xml")
    document, findings = sitrep_xml.parse(report.read_bytes())
    assert findings == [] and document.number == 1 and document.exercise
    assert {d.name for d in document.figures} >= {"Rushon", "Murghob"}
    assert {(a.item.split(",")[0], a.state) for a in document.assistance} >= {("USAR team", "accepted")}

    pdf = next(p for p in files if p.suffix == ".pdf").read_bytes()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Situation report No. 1" in text and "EXERCISE" in text and "Winterised family tents" in text


def test_the_incident_board_shows_the_impact_models_estimate_beside_the_reported_figures(tmp_path, client):
    from hushdor.apps.accounts.services import operator_create
    from hushdor.apps.assistance.demo import run_scenario
    from hushdor.apps.operations.sitreps import impact_estimate

    places_load_bundled()
    result = run_scenario(out=None)
    from hushdor.apps.operations.models import Incident

    incident = Incident.objects.get(pk=result.incident)
    estimate = impact_estimate(incident)
    assert estimate["magnitude"] == 7.2 and estimate["max_mmi"] >= 8
    assert estimate["districts"]["Rushon"]["max_mmi"] >= 6
    operator_create(username="duty", password="watch-the-mountains", roles=["viewer"])
    client.login(username="duty", password="watch-the-mountains")
    page = client.get(f"/operations/{incident.pk}/").content.decode()
    assert 'id="impact-estimate"' in page and "PAGER" in page


def test_the_sitrep_carries_the_impact_model_beside_the_reported_figures(tmp_path, capsys):
    places_load_bundled()
    call_command("operations", "demo", "--json", "--out", str(tmp_path))
    document, findings = sitrep_xml.parse((tmp_path / "04-sitrep-1.xml").read_bytes())
    assert findings == []
    rushon = next(d for d in document.figures if d.name == "Rushon")
    assert rushon.model.startswith("MMI ") and "≥ VI" in rushon.model
    assert document.model_note.startswith("Impact model (M7.2)") and "a model, not a count" in document.model_note
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO((tmp_path / "04-sitrep-1.pdf").read_bytes())).pages)
    assert "Impact model (M7.2)" in text
