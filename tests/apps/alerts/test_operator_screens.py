"""Operator screens for what we receive and configure: quarantine, received alerts, CAP feed sources,
templates, policies and API tokens — roles enforced, writes audited, received XML shown escaped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.apps.alerts.conftest import _person
from tests.apps.alerts.test_ingest import foreign, reference_to

from hushdor.apps.alerts.models import (
    ApiToken,
    AuditEntry,
    CapFeedSource,
    ExternalAlert,
    Policy,
    QuarantinedAlert,
    Template,
)
from hushdor.apps.alerts.services.ingest import cap_ingest
from hushdor.apps.alerts.services.tokens import api_token_user, token_hash

pytestmark = pytest.mark.django_db

HOSTILE = b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><script>alert("x")</script></alert>'


@pytest.fixture
def admin(db):
    return _person("ada", ["admin"])


@pytest.fixture
def quarantined():
    return cap_ingest(HOSTILE, source="https://bad.example/feed").quarantined


def test_the_quarantine_lists_open_items_and_shows_the_xml_escaped(client, viewer, quarantined):
    client.force_login(viewer)
    listing = client.get("/alerts/quarantine/").content.decode()
    assert f"/alerts/quarantine/{quarantined.pk}/" in listing
    page = client.get(f"/alerts/quarantine/{quarantined.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page
    assert quarantined.findings[0]["message"] in page or quarantined.findings[0]["code"] in page


def test_a_viewer_cannot_acknowledge_or_delete(client, viewer, quarantined):
    client.force_login(viewer)
    for action in ("acknowledge", "delete"):
        assert client.post(f"/alerts/quarantine/{quarantined.pk}/{action}/").status_code == 403
    assert QuarantinedAlert.objects.filter(pk=quarantined.pk, acknowledged_at__isnull=True).exists()


def test_an_approver_acknowledges_once_with_an_audit_record(client, approver, quarantined):
    client.force_login(approver)
    client.post(f"/alerts/quarantine/{quarantined.pk}/acknowledge/", {"comment": "sender told"})
    quarantined.refresh_from_db()
    assert quarantined.acknowledged_by == approver and quarantined.acknowledgement == "sender told"
    entry = AuditEntry.objects.get(action="quarantine.acknowledge")
    assert entry.actor == approver and entry.details["quarantined_id"] == quarantined.pk
    again = client.post(f"/alerts/quarantine/{quarantined.pk}/acknowledge/", follow=True)
    assert "already acknowledged" in again.content.decode()
    assert client.get("/alerts/quarantine/").context["rows"].count() == 0
    assert client.get("/alerts/quarantine/?show=acknowledged").context["rows"].count() == 1


def test_an_approver_deletes_and_the_trail_keeps_what_it_was(client, approver, quarantined):
    client.force_login(approver)
    response = client.post(f"/alerts/quarantine/{quarantined.pk}/delete/", {"comment": "spam"})
    assert response.status_code == 302 and not QuarantinedAlert.objects.exists()
    details = AuditEntry.objects.get(action="quarantine.delete").details
    assert details["source"] == "https://bad.example/feed" and details["comment"] == "spam"


def test_received_alerts_show_the_current_state_of_each_chain(client, viewer):
    original = foreign("KZ-S1")
    cap_ingest(original, source="test")
    cap_ingest(
        foreign("KZ-S2", minutes=5, msg_type="Update", references=[reference_to(original)]), source="test"
    )
    client.force_login(viewer)
    active = client.get("/alerts/received/").context["rows"]
    assert [row.identifier for row in active] == ["KZ-S2"]
    updated = client.get("/alerts/received/?state=updated").context["rows"]
    assert [row.identifier for row in updated] == ["KZ-S1"]
    first = ExternalAlert.objects.get(identifier="KZ-S1")
    page = client.get(f"/alerts/received/{first.pk}/")
    assert [m.identifier for m in page.context["chain"]] == ["KZ-S1", "KZ-S2"]
    assert page.context["current"].identifier == "KZ-S2"
    assert "&lt;identifier&gt;KZ-S1&lt;/identifier&gt;" in page.content.decode()


def test_failing_and_quiet_sources_are_red_and_listed_first(client, viewer):
    now = timezone.now()
    CapFeedSource.objects.create(name="A working", url="https://a.example/f", last_success_at=now)
    CapFeedSource.objects.create(
        name="B failing", url="https://b.example/f", consecutive_failures=3, last_error="HTTP 503"
    )
    CapFeedSource.objects.create(
        name="C quiet",
        url="https://c.example/f",
        poll_interval_s=60,
        last_success_at=now - timedelta(hours=1),
    )
    client.force_login(viewer)
    page = client.get("/alerts/sources/")
    statuses = [(h.source.name, h.status, h.red) for h in page.context["rows"]]
    assert statuses == [
        ("B failing", "failing", True),
        ("C quiet", "quiet", True),
        ("A working", "ok", False),
    ]
    html = page.content.decode()
    assert html.count('class="health-failing red"') == 1 and "HTTP 503" in html
    assert "/alerts/sources/new/" not in html


def test_only_an_admin_adds_a_source_and_the_form_names_bad_fields(client, viewer, admin):
    data = {
        "name": "Kazhydromet",
        "url": "https://meteo.example.kz/feed.atom",
        "enabled": "on",
        "poll_interval_s": "120",
    }
    client.force_login(viewer)
    assert client.post("/alerts/sources/new/", data).status_code == 403
    client.force_login(admin)
    bad = client.post("/alerts/sources/new/", {**data, "url": "not a url", "poll_interval_s": "3"})
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"url", "poll_interval_s"}
    assert b'for="id_url"' in bad.content
    assert client.post("/alerts/sources/new/", data).status_code == 302
    source = CapFeedSource.objects.get()
    assert source.poll_interval_s == 120 and source.enabled
    client.post(f"/alerts/sources/{source.pk}/", {**data, "enabled": ""})
    source.refresh_from_db()
    assert not source.enabled
    assert [e.action for e in AuditEntry.objects.all()] == ["feed_source.create", "feed_source.edit"]
    duplicate = client.post("/alerts/sources/new/", data, follow=True)
    assert "already exists" in duplicate.content.decode() and CapFeedSource.objects.count() == 1


def test_an_admin_previews_then_saves_a_template_and_an_editor_cannot(client, editor, admin):
    template = Template.objects.get(hazard="flood")
    client.force_login(editor)
    assert client.get("/alerts/templates/").status_code == 200
    assert client.get(f"/alerts/templates/{template.pk}/").status_code == 403
    client.force_login(admin)
    form = client.get(f"/alerts/templates/{template.pk}/").context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["headline_en"] = "River flood: {area}"
    preview = client.post(
        f"/alerts/templates/{template.pk}/", {**data, "preview": "1", "sample_area": "Kulob"}
    )
    assert "River flood: Kulob" in preview.content.decode()
    template.refresh_from_db()
    assert template.headline_en == "Flood warning: {area}"
    client.post(f"/alerts/templates/{template.pk}/", {**data, "save": "1"})
    template.refresh_from_db()
    assert template.headline_en == "River flood: {area}"
    assert AuditEntry.objects.filter(action="template.edit", actor=admin).count() == 1


def test_an_admin_sets_a_policy_and_bad_values_are_refused(client, viewer, admin):
    client.force_login(viewer)
    page = client.get("/alerts/policies/")
    assert page.status_code == 200 and b'name="approvers_required"' not in page.content
    change = {"hazard": "mudflow", "severity": "Extreme", "mode": "automatic", "approvers_required": "2"}
    assert client.post("/alerts/policies/set/", change).status_code == 403
    client.force_login(admin)
    client.post("/alerts/policies/set/", change)
    policy = Policy.objects.get(hazard="mudflow", severity="Extreme")
    assert (policy.mode, policy.approvers_required) == ("automatic", 2)
    assert AuditEntry.objects.get(action="policy.set").details["mode"] == "automatic"
    refused = client.post("/alerts/policies/set/", {**change, "approvers_required": "9"}, follow=True)
    assert refused.status_code == 200 and "Approvers required" in refused.content.decode()
    policy.refresh_from_db()
    assert policy.approvers_required == 2


def test_a_token_is_shown_once_and_can_be_revoked(client, editor, admin):
    client.force_login(editor)
    assert client.get("/alerts/tokens/").status_code == 403
    client.force_login(admin)
    created = client.post("/alerts/tokens/", {"name": "siren controller", "user": editor.pk})
    token = created.context["new_token"]
    assert token and token in created.content.decode() and created["Cache-Control"] == "no-store"
    row = ApiToken.objects.get()
    assert row.user == editor and row.token_hash == token_hash(token)
    assert token not in client.get("/alerts/tokens/").content.decode()
    assert api_token_user(token) == editor
    client.post(f"/alerts/tokens/{row.pk}/revoke/")
    assert api_token_user(token) is None
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["token.create", "token.revoke"]


def test_the_navigation_shows_each_screen_only_to_its_role(client, viewer, admin):
    client.force_login(viewer)
    html = client.get("/alerts/").content.decode()
    assert 'href="/alerts/quarantine/"' in html and 'href="/alerts/tokens/"' not in html
    client.force_login(admin)
    html = client.get("/alerts/").content.decode()
    assert 'href="/alerts/tokens/"' in html and 'href="/alerts/templates/"' in html
