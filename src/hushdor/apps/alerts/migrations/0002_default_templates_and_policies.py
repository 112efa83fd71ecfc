"""Seed the default templates (tg/ru/en) and the automatic policies of the fast chain."""

from django.db import migrations

from hushdor.apps.alerts.defaults import DEFAULT_POLICIES, DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    Template = apps.get_model("alerts", "Template")
    Policy = apps.get_model("alerts", "Policy")
    FeedVersion = apps.get_model("alerts", "FeedVersion")
    from django.utils import timezone

    for fields in DEFAULT_TEMPLATES:
        Template.objects.get_or_create(hazard=fields["hazard"], name=fields["name"], defaults=fields)
    for hazard, severity, mode, approvers in DEFAULT_POLICIES:
        Policy.objects.get_or_create(
            hazard=hazard, severity=severity, defaults={"mode": mode, "approvers_required": approvers}
        )
    FeedVersion.objects.get_or_create(pk=1, defaults={"version": 0, "changed_at": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
