"""Warning policies for the hydromet hazards: mudflow Severe/Extreme and flood Extreme automatic; the
Sarez lake outburst reviewed (a sensor alarm is public only after a person verifies it and a second
approves). Rows an operator has changed since are left as they are."""

from django.db import migrations

AUTOMATIC = [("mudflow", "Extreme"), ("mudflow", "Severe"), ("flood", "Extreme")]


def forward(apps, schema_editor):
    Policy = apps.get_model("alerts", "Policy")
    for hazard, severity in AUTOMATIC:
        Policy.objects.get_or_create(
            hazard=hazard, severity=severity, defaults={"mode": "automatic", "approvers_required": 1}
        )
    Policy.objects.filter(hazard="lake_outburst", mode="automatic", approvers_required=1).update(mode="reviewed")


def backward(apps, schema_editor):
    Policy = apps.get_model("alerts", "Policy")
    Policy.objects.filter(hazard="lake_outburst", mode="reviewed", approvers_required=1).update(mode="automatic")


class Migration(migrations.Migration):
    dependencies = [("alerts", "0003_earthquake_template_area_from")]
    operations = [migrations.RunPython(forward, backward)]
