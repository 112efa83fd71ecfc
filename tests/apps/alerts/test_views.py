"""Operator pages: permissions on every view, compose → submit, the two-person rule, preview."""

from __future__ import annotations

import json

import pytest
from tests.apps.alerts.conftest import SQUARE_DUSHANBE, make_draft

from hushdor.apps.alerts.models import Alert, Template
from hushdor.apps.alerts.services import alert_submit

pytestmark = pytest.mark.django_db


def compose_data(**changes) -> dict:
    data = {
        "hazard": "flood",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "category": "Met",
        "response_type": "Prepare",
        "expires_hours": "6",
        "event_en": "Flood",
        "headline_en": "Flood warning: Vakhsh valley",
        "description_en": "Water on the Vakhsh river is rising fast; flooding is expected tonight.",
        "instruction_en": "Move to higher ground.",
        "event_ru": "Наводнение",
        "headline_ru": "Угроза наводнения: долина Вахша",
        "description_ru": "Уровень воды в реке Вахш быстро поднимается; ночью ожидается подтопление.",
        "instruction_ru": "Поднимитесь на возвышенность.",
        "areas_json": json.dumps(
            [{"kind": "polygon", "description": "Vakhsh valley", "polygon": SQUARE_DUSHANBE}]
        ),
    }
    return {**data, **changes}


def test_pages_need_a_login(client):
    for url in ("/alerts/", "/alerts/new/", "/alerts/1/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_viewer_sees_the_list_but_cannot_compose(client, viewer, editor):
    make_draft(editor)
    client.force_login(viewer)
    assert client.get("/alerts/").status_code == 200
    assert client.get("/alerts/new/").status_code == 403
    assert client.post("/alerts/new/", compose_data()).status_code == 403


def test_list_filters_by_state_hazard_and_severity(client, editor):
    make_draft(editor, severity="Moderate", hazard="flood")
    make_draft(editor, severity="Severe", hazard="mudflow")
    client.force_login(editor)
    page = client.get("/alerts/?hazard=flood&severity=Moderate&state=draft")
    assert [alert.hazard for alert, _ in page.context["rows"]] == ["flood"]


def test_compose_from_a_template_fills_placeholders_side_by_side(client, editor):
    client.force_login(editor)
    template = Template.objects.get(hazard="flood")
    page = client.get(f"/alerts/new/?template={template.pk}&value_area=Kulob&value_river=Yakhsu")
    html = page.content.decode()
    assert (
        "Хатари обхезӣ: Kulob" in html
        and "Угроза наводнения: Kulob" in html
        and "Flood warning: Kulob" in html
    )
    assert "leaflet/leaflet.js" in html


def test_compose_and_submit_creates_a_submitted_draft(client, editor):
    client.force_login(editor)
    response = client.post("/alerts/new/", compose_data(submit="1"))
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/alerts/{alert.pk}/"
    assert alert.state == "submitted" and alert.author == editor
    assert sorted(alert.infos.values_list("language", flat=True)) == ["en", "ru"]


def test_preview_returns_xml_findings_and_sms_segments_and_writes_nothing(client, editor):
    client.force_login(editor)
    response = client.post("/alerts/preview/", compose_data())
    data = response.json()
    assert response.status_code == 200
    assert "<headline>Flood warning: Vakhsh valley</headline>" in data["xml"]
    assert [f for f in data["findings"] if f["severity"] == "error"] == []
    assert data["sms"]["en"]["encoding"] == "GSM-7" and data["sms"]["ru"]["encoding"] == "UCS-2"
    ru_text = "Угроза наводнения: долина Вахша. Поднимитесь на возвышенность."
    assert data["sms"]["ru"]["text"] == ru_text and data["sms"]["ru"]["characters"] == len(ru_text)
    assert data["sms"]["ru"]["segments"] == 1  # 63 UCS-2 characters fit one 70-character SMS
    long = client.post(
        "/alerts/preview/",
        compose_data(instruction_ru="Поднимитесь на возвышенность, не переходите затопленные дороги."),
    ).json()
    assert long["sms"]["ru"]["characters"] > 70 and long["sms"]["ru"]["segments"] == 2
    assert Alert.objects.count() == 0


def test_preview_reports_blocking_findings(client, editor):
    client.force_login(editor)
    data = client.post("/alerts/preview/", compose_data(urgency="Unknown")).json()
    assert "urgency.unknown" in {f["code"] for f in data["findings"] if f["severity"] == "error"}


def test_author_cannot_approve_own_severe_alert_in_the_ui_but_a_second_approver_can(
    client, approver, second_approver
):
    alert = make_draft(approver, severity="Severe")
    alert_submit(actor=approver, alert=alert)
    client.force_login(approver)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert 'id="action-approve"' not in page and 'id="two-person-note"' in page
    client.post(f"/alerts/{alert.pk}/approve/", {"comment": "mine"})
    assert Alert.objects.get(pk=alert.pk).state == "submitted"
    client.force_login(second_approver)
    client.post(f"/alerts/{alert.pk}/approve/", {"comment": "checked"})
    assert Alert.objects.get(pk=alert.pk).state == "approved"
    client.post(f"/alerts/{alert.pk}/issue/")
    assert Alert.objects.get(pk=alert.pk).state == "issued"


def test_an_editor_posting_approve_gets_403(client, editor):
    alert = make_draft(editor)
    alert_submit(actor=editor, alert=alert)
    client.force_login(editor)
    assert client.post(f"/alerts/{alert.pk}/approve/").status_code == 403


def test_detail_shows_lineage_and_history_after_cancel(client, issued_alert, approver):
    client.force_login(approver)
    response = client.post(f"/alerts/{issued_alert.pk}/cancel/", {"comment": "false alarm"})
    cancel = Alert.objects.get(msg_type="Cancel")
    assert response["Location"] == f"/alerts/{cancel.pk}/"
    page = client.get(f"/alerts/{issued_alert.pk}/")
    assert page.context["chain_state"] == "cancelled"
    assert [a.pk for a in page.context["lineage"]] == [issued_alert.pk, cancel.pk]
    assert [e.action for e in page.context["history"]][-1] == "cancel"
