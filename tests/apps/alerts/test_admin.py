"""The Django admin lists every app's models for a superuser, read-only; the audit trail cannot be
added to, changed or deleted there."""

from __future__ import annotations

import pytest

from hushdor.apps.alerts.models import AuditEntry
from hushdor.apps.alerts.services.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "a-long-pass-phrase")
    client.force_login(user)
    return client


def test_the_admin_index_lists_the_models_of_every_app(superuser_client):
    response = superuser_client.get("/admin/")
    assert response.status_code == 200
    listed = {model["object_name"] for app in response.context["app_list"] for model in app["models"]}
    expected = {"Alert", "AuditEntry", "Template", "Policy", "ExternalAlert", "QuarantinedAlert"}
    expected |= {"CapFeedSource", "ApiToken", "Region", "District", "Settlement", "JobState", "User", "Group"}
    assert expected <= listed


def test_list_and_detail_pages_render(superuser_client):
    entry = audit_record(actor=None, action="test.entry", details={"n": 1})
    for url in (
        "/admin/alerts/auditentry/",
        f"/admin/alerts/auditentry/{entry.pk}/change/",
        "/admin/alerts/alert/",
        "/admin/places/region/",
        "/admin/worker/jobstate/",
    ):
        assert superuser_client.get(url).status_code == 200, url


def test_the_audit_trail_cannot_be_added_changed_or_deleted(superuser_client):
    entry = audit_record(actor=None, action="test.entry", details={"n": 1})
    page = superuser_client.get(f"/admin/alerts/auditentry/{entry.pk}/change/")
    assert b'name="_save"' not in page.content
    assert (
        superuser_client.post(
            f"/admin/alerts/auditentry/{entry.pk}/change/", {"action": "forged"}
        ).status_code
        == 403
    )
    assert superuser_client.get("/admin/alerts/auditentry/add/").status_code == 403
    assert (
        superuser_client.post(f"/admin/alerts/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.action == "test.entry" and AuditEntry.objects.count() == 1


def test_an_operator_without_staff_status_is_sent_to_the_admin_login(client, django_user_model):
    user = django_user_model.objects.create_user("plain", password="a-long-pass-phrase")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
