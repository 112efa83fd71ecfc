"""The API: token and session auth, roles (403), the two-person rule (409), validation (422)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from tests.apps.alerts.conftest import SQUARE_DUSHANBE

from hushdor.apps.alerts.models import Alert
from hushdor.apps.alerts.services.tokens import api_token_create, token_hash

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, token = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def draft_payload(severity: str = "Severe", hours: float = 6) -> dict:
    expires = (timezone.now() + timedelta(hours=hours)).isoformat()
    return {
        "hazard": "avalanche",
        "infos": [
            {
                "language": "en",
                "event": "Avalanche",
                "headline": "Avalanche danger: Anzob pass",
                "description": "The avalanche danger on the Anzob pass is high until tomorrow.",
                "urgency": "Expected",
                "severity": severity,
                "certainty": "Likely",
                "expires": expires,
            },
            {
                "language": "ru",
                "event": "Лавина",
                "headline": "Лавинная опасность: перевал Анзоб",
                "description": "На перевале Анзоб до завтра сохраняется высокая лавинная опасность.",
                "urgency": "Expected",
                "severity": severity,
                "certainty": "Likely",
                "expires": expires,
            },
        ],
        "areas": [{"kind": "polygon", "description": "Anzob pass", "polygons": [SQUARE_DUSHANBE]}],
    }


def post(client, url, headers, payload=None):
    return client.post(url, payload or {}, content_type="application/json", **headers)


def test_tokens_are_stored_hashed(editor):
    row, token = api_token_create(user=editor, name="bot")
    assert token not in row.token_hash and row.token_hash == token_hash(token)


def test_no_credentials_is_401(client):
    assert client.get("/api/alerts/").status_code == 401
    assert client.get("/api/alerts/", HTTP_AUTHORIZATION="Bearer hd_wrong").status_code == 401


def test_full_lifecycle_with_tokens_and_two_person_rule(client, approver, second_approver):
    author, other = bearer(approver), bearer(second_approver)
    created = post(client, "/api/alerts/", author, draft_payload())
    assert created.status_code == 201, created.content
    alert_id = created.json()["id"]
    assert created.json()["author"] == "anna" and created.json()["state"] == "draft"
    assert post(client, f"/api/alerts/{alert_id}/submit", author).status_code == 200
    own = post(client, f"/api/alerts/{alert_id}/approve", author, {"comment": "mine"})
    assert own.status_code == 409 and own.json()["code"] == "two_person_rule"
    approved = post(client, f"/api/alerts/{alert_id}/approve", other, {"comment": "checked"})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    issued = post(client, f"/api/alerts/{alert_id}/issue", author)
    assert issued.status_code == 200 and issued.json()["identifier"].startswith("urn:oid:2.49.0.1.762.")
    listed = client.get("/api/alerts/?state=issued&hazard=avalanche", **author).json()
    assert [item["id"] for item in listed] == [alert_id]
    cancelled = post(client, f"/api/alerts/{alert_id}/cancel", other, {"comment": "over"})
    assert cancelled.status_code == 201 and cancelled.json()["msg_type"] == "Cancel"
    assert Alert.objects.get(pk=alert_id).state == "cancelled"


def test_viewer_cannot_draft_and_editor_cannot_approve(client, viewer, editor):
    assert post(client, "/api/alerts/", bearer(viewer), draft_payload()).json()["code"] == "forbidden"
    created = post(client, "/api/alerts/", bearer(editor), draft_payload())
    alert_id = created.json()["id"]
    post(client, f"/api/alerts/{alert_id}/submit", bearer(editor))
    refused = post(client, f"/api/alerts/{alert_id}/approve", bearer(editor))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_issuing_an_invalid_alert_is_422_with_findings(client, editor, approver):
    created = post(client, "/api/alerts/", bearer(editor), draft_payload(severity="Moderate", hours=-1))
    alert_id = created.json()["id"]
    post(client, f"/api/alerts/{alert_id}/submit", bearer(editor))
    post(client, f"/api/alerts/{alert_id}/approve", bearer(approver))
    refused = post(client, f"/api/alerts/{alert_id}/issue", bearer(approver))
    assert refused.status_code == 422 and refused.json()["code"] == "validation"
    assert "alert.stale" in {finding["code"] for finding in refused.json()["findings"]}


def test_a_malformed_draft_is_422(client, editor):
    payload = draft_payload()
    payload["infos"][0]["urgency"] = "Soonish"
    refused = post(client, "/api/alerts/", bearer(editor), payload)
    assert refused.status_code == 422 and refused.json()["code"] == "bad_input"


def test_session_auth_needs_csrf_and_works_with_it(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    assert browser.get("/api/alerts/").status_code == 200
    assert post(browser, "/api/alerts/", {}, draft_payload()).status_code == 403
    token = "a" * 32  # the UI reads the csrftoken cookie and sends it back in X-CSRFToken
    browser.cookies["csrftoken"] = token
    created = post(browser, "/api/alerts/", {"HTTP_X_CSRFTOKEN": token}, draft_payload())
    assert created.status_code == 201


def test_drafts_can_be_edited_and_deleted(client, editor):
    headers = bearer(editor)
    alert_id = post(client, "/api/alerts/", headers, draft_payload()).json()["id"]
    payload = draft_payload()
    payload["infos"] = payload["infos"][:1]
    edited = client.put(f"/api/alerts/{alert_id}", payload, content_type="application/json", **headers)
    assert edited.status_code == 200 and [i["language"] for i in edited.json()["infos"]] == ["en"]
    assert client.delete(f"/api/alerts/{alert_id}", **headers).status_code == 204
    assert client.get(f"/api/alerts/{alert_id}", **headers).status_code == 404


@pytest.mark.parametrize("offset", ["-1", "99999999999999999999"])
def test_a_list_offset_outside_the_range_is_422(viewer, offset):
    response = Client(raise_request_exception=False).get(f"/api/alerts/?offset={offset}", **bearer(viewer))
    assert response.status_code == 422


def test_a_session_post_without_the_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/api/alerts/", draft_payload(), content_type="application/json")
    assert response.status_code == 403 and Alert.objects.count() == 0


def test_editing_a_draft_changes_its_scope_when_given_and_keeps_it_when_left_out(editor):
    client, headers = Client(raise_request_exception=False), bearer(editor)
    created = post(client, "/api/alerts/", headers, draft_payload()).json()
    assert created["scope"] == "Public"
    url = f"/api/alerts/{created['id']}"
    restricted = {**draft_payload(), "scope": "Restricted", "hazard": "mudflow"}
    edited = client.put(url, restricted, content_type="application/json", **headers)
    assert edited.status_code == 200
    assert (edited.json()["scope"], edited.json()["hazard"]) == ("Restricted", "mudflow")
    left_out = {
        key: value for key, value in draft_payload().items() if key not in ("scope", "status", "hazard")
    }
    kept = client.put(url, left_out, content_type="application/json", **headers)
    assert kept.status_code == 200 and kept.json()["scope"] == "Restricted"
    bad = client.put(url, {**left_out, "scope": "Everyone"}, content_type="application/json", **headers)
    assert bad.status_code == 422 and Alert.objects.get().scope == "Restricted"
