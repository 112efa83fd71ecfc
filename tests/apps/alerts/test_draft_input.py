"""Malformed drafts are refused with a reason (422 ``bad_input`` in the API, a message on the compose
page) before they reach the database: never a 500, and never a value SQLite would keep silently."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.apps.alerts.test_api import bearer, draft_payload, post
from tests.apps.alerts.test_views import compose_data

from hushdor.apps.alerts.models import Alert

pytestmark = pytest.mark.django_db

BAD_DRAFTS = {
    "unknown status": lambda p: p.update(status="Bogus"),
    "unknown scope": lambda p: p.update(scope="Everyone"),
    "unknown hazard": lambda p: p.update(hazard="meteor"),
    "headline too long": lambda p: p["infos"][0].update(headline="h" * 256),
    "event too long": lambda p: p["infos"][0].update(event="e" * 256),
    "contact too long": lambda p: p["infos"][0].update(contact="c" * 256),
    "web not http": lambda p: p["infos"][0].update(web="javascript:alert(1)"),
    "web too long": lambda p: p["infos"][0].update(web="https://coes.tj/" + "w" * 200),
    "area description too long": lambda p: p["areas"][0].update(description="d" * 501),
    "Russian area description too long": lambda p: p["areas"][0].update(description_ru="d" * 501),
    "latitude off the globe": lambda p: p["areas"][0].update(
        polygons=[[[138.5, 68.7], [38.5, 68.9], [38.6, 68.9], [138.5, 68.7]]]
    ),
    "circle centre off the globe": lambda p: p["areas"][0].update(
        kind="circle", circle=[38.5, 268.7], radius_km=5
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DRAFTS))
def test_a_malformed_draft_is_422_with_a_reason(editor, case):
    payload = draft_payload()
    BAD_DRAFTS[case](payload)
    response = post(Client(raise_request_exception=False), "/api/alerts/", bearer(editor), payload)
    assert response.status_code == 422, response.content[:300]
    assert response.json()["code"] == "bad_input"
    assert Alert.objects.count() == 0


def test_a_not_a_number_coordinate_is_422(editor):
    payload = draft_payload()
    body = json.dumps(payload).replace("38.6", "NaN", 1)
    assert "NaN" in body
    response = Client(raise_request_exception=False).post(
        "/api/alerts/", body, content_type="application/json", **bearer(editor)
    )
    assert response.status_code == 422 and Alert.objects.count() == 0


@pytest.mark.parametrize("hours", ["nan", "inf", "1e30"])
def test_compose_with_an_impossible_validity_shows_a_message(client, editor, hours):
    client.force_login(editor)
    response = client.post("/alerts/new/", compose_data(expires_hours=hours))
    assert response.status_code == 200
    assert "number of hours" in response.content.decode()
    assert Alert.objects.count() == 0


def test_compose_with_a_circle_of_words_shows_a_message(client, editor):
    client.force_login(editor)
    areas = json.dumps([{"kind": "circle", "description": "Khorog", "circle": ["a", "b"], "radius_km": 5}])
    response = client.post("/alerts/new/", compose_data(areas_json=areas))
    assert response.status_code == 200 and Alert.objects.count() == 0
