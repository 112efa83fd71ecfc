"""alerts 0003: the shipped earthquake template moves to {area_from}; an operator's own wording stays."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from hushdor.apps.alerts.defaults import DEFAULT_TEMPLATES
from hushdor.apps.alerts.models import Template

pytestmark = pytest.mark.django_db
migration = importlib.import_module("hushdor.apps.alerts.migrations.0003_earthquake_template_area_from")
SHIPPED_NOW = next(t for t in DEFAULT_TEMPLATES if t["hazard"] == "earthquake")


def test_a_template_with_the_old_shipped_text_gets_the_new_one_and_an_edited_one_is_kept():
    template = Template.objects.get(hazard="earthquake", name="Strong earthquake")
    for field, old_text in migration.SHIPPED.items():
        setattr(template, field, old_text)
    template.description_en = "Our own wording: {distance} km from {area}."
    template.save()
    migration.forward(apps, None)
    template.refresh_from_db()
    assert template.description_ru == SHIPPED_NOW["description_ru"] and "{area_from}" in template.description_ru
    assert template.description_tg == SHIPPED_NOW["description_tg"]
    assert template.description_en == "Our own wording: {distance} km from {area}."


def test_a_new_database_already_has_the_new_text():
    template = Template.objects.get(hazard="earthquake", name="Strong earthquake")
    assert "{area_from}" in template.description_ru and "от {area}" not in template.description_ru
