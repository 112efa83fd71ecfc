"""Each ``<info>`` carries its areas described in its own language (CAP 1.2 §3.2.2: an info block is
self-contained in its ``<language>``); a missing description falls back to a readable one."""

from __future__ import annotations

import json

import pytest
from tests.apps.alerts.conftest import SQUARE_DUSHANBE, info_drafts
from tests.apps.alerts.test_api import bearer, draft_payload, post
from tests.apps.alerts.test_views import compose_data

from hushdor.apps.alerts.models import AlertArea
from hushdor.apps.alerts.services import (
    AlertRuleError,
    AreaDraft,
    alert_approve,
    alert_create_draft,
    alert_issue,
    alert_submit,
    alert_update,
)
from hushdor.apps.alerts.services.publish import findings_for
from hushdor.apps.alerts.views.forms import areas_from_json
from hushdor.cap.xml import parse

pytestmark = pytest.mark.django_db


def varzob(**descriptions: str) -> AreaDraft:
    return AreaDraft(kind="polygon", polygons=[SQUARE_DUSHANBE], **descriptions)


def area_descs(alert) -> dict[str, list[str]]:
    xml, _findings = findings_for(alert)
    return {info.language: [area.area_desc for area in info.areas] for info in parse(xml).alert.infos}


def test_each_info_gets_the_area_description_of_its_language(editor):
    area = varzob(description="Varzob valley", description_tg="Водии Варзоб", description_ru="Долина Варзоба")
    alert = alert_create_draft(actor=editor, hazard="mudflow", infos=info_drafts(), areas=[area])
    assert area_descs(alert) == {
        "tg": ["Водии Варзоб"],
        "ru": ["Долина Варзоба"],
        "en": ["Varzob valley"],
    }


def test_an_area_stored_with_one_description_still_describes_every_info_with_it(editor):
    alert = alert_create_draft(
        actor=editor, hazard="mudflow", infos=info_drafts(), areas=[varzob(description="Varzob valley")]
    )
    assert AlertArea.objects.get(alert=alert).description_tg == ""  # as rows written before per-language
    assert area_descs(alert) == {lang: ["Varzob valley"] for lang in ("tg", "ru", "en")}


def test_a_missing_cyrillic_description_falls_back_to_the_other_cyrillic_one(editor):
    only_russian = varzob(description="Varzob valley", description_ru="Долина Варзоба")
    alert = alert_create_draft(actor=editor, hazard="mudflow", infos=info_drafts(), areas=[only_russian])
    assert area_descs(alert) == {
        "tg": ["Долина Варзоба"],
        "ru": ["Долина Варзоба"],
        "en": ["Varzob valley"],
    }


def test_a_russian_only_area_is_stored_with_the_russian_text_as_its_main_description(editor):
    alert = alert_create_draft(
        actor=editor,
        hazard="mudflow",
        infos=info_drafts(languages=("ru",)),
        areas=[varzob(description_ru="  Долина Варзоба ")],
    )
    area = AlertArea.objects.get(alert=alert)
    assert (area.description, area.description_ru, area.description_tg) == (
        "Долина Варзоба",
        "Долина Варзоба",
        "",
    )
    assert area_descs(alert) == {"ru": ["Долина Варзоба"]}


def test_an_area_without_any_description_is_refused(editor):
    with pytest.raises(AlertRuleError, match="needs a description"):
        alert_create_draft(
            actor=editor, hazard="mudflow", infos=info_drafts(), areas=[varzob(description_ru="  ")]
        )


def test_an_update_keeps_the_area_descriptions_of_every_language(editor, approver):
    area = varzob(description="Varzob valley", description_tg="Водии Варзоб", description_ru="Долина Варзоба")
    alert = alert_create_draft(actor=editor, hazard="mudflow", infos=info_drafts(), areas=[area])
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=approver, alert=alert)
    alert_issue(actor=approver, alert=alert)
    update = alert_update(actor=editor, alert=alert)
    assert area_descs(update)["tg"] == ["Водии Варзоб"] and area_descs(update)["ru"] == ["Долина Варзоба"]


def test_the_compose_form_reads_an_area_description_per_language():
    (area,) = areas_from_json(
        '[{"kind": "polygon", "description": "Varzob valley", "description_tg": "Водии Варзоб",'
        ' "description_ru": "Долина Варзоба", "polygon": [[38.5, 68.7], [38.5, 68.9], [38.6, 68.9]]}]'
    )
    assert (area.description, area.description_tg, area.description_ru) == (
        "Varzob valley",
        "Водии Варзоб",
        "Долина Варзоба",
    )


def test_the_api_takes_and_returns_an_area_description_per_language(client, editor):
    payload = draft_payload()
    payload["areas"][0]["description_ru"] = "Перевал Анзоб"
    created = post(client, "/api/alerts/", bearer(editor), payload)
    assert created.status_code == 201, created.content
    (area,) = created.json()["areas"]
    assert (area["description"], area["description_ru"], area["description_tg"]) == (
        "Anzob pass",
        "Перевал Анзоб",
        "",
    )


def test_the_preview_shows_each_infos_area_descriptions(client, editor):
    client.force_login(editor)
    areas = [{"kind": "polygon", "description": "Vakhsh valley", "description_ru": "Долина Вахша"}]
    areas[0]["polygon"] = SQUARE_DUSHANBE
    data = client.post("/alerts/preview/", compose_data(areas_json=json.dumps(areas))).json()
    assert data["areas"] == {"ru": ["Долина Вахша"], "en": ["Vakhsh valley"]}  # no Tajik headline given
    assert "<areaDesc>Долина Вахша</areaDesc>" in data["xml"]


def test_the_compose_page_offers_drawn_polygon_in_each_language(client, editor):
    client.force_login(editor)
    page = client.get("/alerts/new/").content.decode()
    texts = json.loads(page.split('id="compose-text" type="application/json">')[1].split("</script>")[0])
    assert texts["polygon_names"] == {
        "tg": "Бисёркунҷаи кашидашуда",
        "ru": "Нарисованный многоугольник",
        "en": "Drawn polygon",
    }
    assert 'id="areas_ru"' in page


def test_the_alert_page_lists_each_areas_descriptions_once_per_text(client, editor):
    area = varzob(description="Varzob valley", description_ru="Долина Варзоба")
    alert = alert_create_draft(actor=editor, hazard="mudflow", infos=info_drafts(), areas=[area])
    client.force_login(editor)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert '<span lang="ru">Долина Варзоба</span> · <span lang="en">Varzob valley</span> (' in page
    assert '<span lang="tg">' not in page


def test_the_public_map_names_each_area_in_each_language(client, editor, approver):
    area = varzob(description="Varzob valley", description_ru="Долина Варзоба")
    alert = alert_create_draft(actor=editor, hazard="mudflow", infos=info_drafts(), areas=[area])
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=approver, alert=alert)
    alert_issue(actor=approver, alert=alert)
    (feature,) = json.loads(client.get("/cap/alerts.geojson").content)["features"]
    texts = feature["properties"]["texts"]
    assert {language: texts[language]["area"] for language in texts} == {
        "tg": "Долина Варзоба",
        "ru": "Долина Варзоба",
        "en": "Varzob valley",
    }
    assert feature["properties"]["area"] == "Varzob valley"
