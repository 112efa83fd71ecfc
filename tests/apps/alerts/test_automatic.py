"""The fast path the earthquake chain calls, and the default templates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.apps.alerts.conftest import info_drafts, polygon_area

from hushdor.apps.alerts.models import AuditEntry, Policy, Template
from hushdor.apps.alerts.services import alert_issue_automatic, template_info_drafts
from hushdor.apps.alerts.services.templates import fill_placeholders, placeholders_of

pytestmark = pytest.mark.django_db


def test_an_automatic_policy_issues_at_once_and_asks_for_review():
    assert Policy.objects.get(hazard="earthquake", severity="Severe").mode == "automatic"
    alert = alert_issue_automatic(
        hazard="earthquake",
        severity="Severe",
        infos=info_drafts("Severe"),
        areas=[polygon_area()],
        trigger="quake:test:1",
    )
    assert alert.state == "issued" and alert.needs_review and alert.author is None
    assert alert.signed_xml
    assert AuditEntry.objects.filter(alert=alert, action="automatic.issue").exists()


def test_a_reviewed_policy_leaves_the_alert_submitted_for_an_approver():
    alert = alert_issue_automatic(
        hazard="flood", severity="Severe", infos=info_drafts("Severe"), areas=[polygon_area()]
    )
    assert alert.state == "submitted" and not alert.needs_review and alert.signed_xml is None


def test_an_invalid_automatic_alert_is_not_published_but_kept_for_a_person():
    alert = alert_issue_automatic(
        hazard="earthquake", severity="Severe", infos=info_drafts("Severe", hours=-2), areas=[polygon_area()]
    )
    alert.refresh_from_db()
    assert alert.state == "submitted" and alert.signed_xml is None and not alert.needs_review
    entry = AuditEntry.objects.get(alert=alert, action="automatic.blocked")
    assert any("alert.stale" in text for text in entry.details["findings"])


def test_default_templates_exist_for_every_hazard_in_three_languages():
    hazards = set(Template.objects.values_list("hazard", flat=True))
    assert {"earthquake", "flood", "mudflow", "avalanche", "lake_outburst"} <= hazards
    sarez = Template.objects.get(hazard="lake_outburst")
    assert "ҳ" in sarez.instruction_tg or "ӯ" in sarez.instruction_tg  # written in Tajik letters
    assert set(placeholders_of(sarez)) >= {"lake", "area", "arrival", "observation"}


def test_template_placeholders_are_filled_per_language_and_unknown_ones_stay_visible():
    template = Template.objects.get(hazard="lake_outburst")
    drafts = template_info_drafts(
        template,
        values={"lake": {"tg": "Сарез", "ru": "Сарез", "en": "Sarez"}, "area": "Bartang"},
        expires=timezone.now() + timedelta(hours=3),
    )
    by_language = {draft.language: draft for draft in drafts}
    assert by_language["en"].headline == "Outburst danger at lake Sarez"
    assert by_language["ru"].headline == "Угроза прорыва озера Сарез"
    assert "{observation}" in by_language["en"].description
    assert fill_placeholders("{a.__class__} {a}", {"a": "x"}) == "{a.__class__} x"
