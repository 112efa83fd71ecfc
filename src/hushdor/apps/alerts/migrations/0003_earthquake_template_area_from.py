"""The shipped earthquake template says "в 12 км {area_from}" («от Мургаба»), not "от {area}" («от Мургаб»).

Only a template still holding the text shipped by 0002 is changed: an operator's own wording stays.
"""

from django.db import migrations

OLD_TO_NEW = {
    "description_tg": (
        "Соати {time} ба вақти маҳаллӣ дар масофаи {distance} км аз {area} заминларзаи ",
        "Соати {time} ба вақти маҳаллӣ дар масофаи {distance} км {area_from} заминларзаи ",
    ),
    "description_ru": (
        "В {time} по местному времени в {distance} км от {area} произошло землетрясение ",
        "В {time} по местному времени в {distance} км {area_from} произошло землетрясение ",
    ),
    "description_en": (
        " km from {area}. Strong shaking is expected;",
        " km {area_from}. Strong shaking is expected;",
    ),
}
SHIPPED = {
    "description_tg": "Соати {time} ба вақти маҳаллӣ дар масофаи {distance} км аз {area} заминларзаи "
    "бузургиаш {magnitude} ба амал омад. Ларзишҳои шадид интизор мераванд; ларзишҳои такрорӣ "
    "эҳтимол доранд.",
    "description_ru": "В {time} по местному времени в {distance} км от {area} произошло землетрясение "
    "магнитудой {magnitude}. Ожидаются сильные сотрясения; вероятны повторные толчки.",
    "description_en": "An earthquake of magnitude {magnitude} occurred at {time} local time, {distance} km "
    "from {area}. Strong shaking is expected; aftershocks are likely.",
}


def forward(apps, schema_editor):
    Template = apps.get_model("alerts", "Template")
    for template in Template.objects.filter(hazard="earthquake", name="Strong earthquake"):
        changed = []
        for field, shipped in SHIPPED.items():
            if getattr(template, field) == shipped:
                old, new = OLD_TO_NEW[field]
                setattr(template, field, shipped.replace(old, new))
                changed.append(field)
        if changed:
            template.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0002_default_templates_and_policies")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
