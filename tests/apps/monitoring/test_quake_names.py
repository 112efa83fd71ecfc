"""Place names in the earthquake warning are written in each info's language and script.

The Sarez replay (2015-12-07, Mw 7.2, catalogue of hushdor.apps.monitoring.replay) runs through the
real impact engine; its Tajik and Russian infos must pass hushdor.cap.validation's script checks
(language.script, language.mixed_script, language.tajik_in_ru, language.no_tajik_letters).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from shapely.geometry import box

from hushdor.apps.alerts.models import Alert
from hushdor.apps.monitoring.replay import catalogue_event
from hushdor.apps.monitoring.services.association import origin_receive
from hushdor.apps.monitoring.services.quake_message import (
    DistrictShape,
    QuakeFacts,
    warning_areas,
    warning_infos,
)
from hushdor.apps.monitoring.services.quake_policy import WarningPolicy, warning_decide
from hushdor.apps.monitoring.services.quake_texts import intensity
from hushdor.apps.monitoring.services.quake_warning import quake_warning_for_event
from hushdor.apps.places.models import District
from hushdor.apps.places.selectors import PlaceNames, place_names
from hushdor.apps.places.services import places_load_bundled
from hushdor.cap.language import count_scripts, language_findings
from hushdor.cap.validation import validate
from hushdor.cap.xml import parse
from hushdor.feeds.seismic import OriginReport

NAMES = PlaceNames(
    districts={"Murghob": ("Мургаб", "Мурғоб"), "Rushon": ("Рушан", "")},
    settlements={"Murghob": ("Мургаб", "Мурғоб")},
)


def facts() -> QuakeFacts:
    return QuakeFacts(
        "monitoring-event-1", datetime(2015, 12, 7, 7, 50, tzinfo=UTC), 38.2, 72.8, 22, 7.2, "Sarez"
    )


def result() -> dict:
    table = {str(level): 0 for level in range(1, 11)}
    table.update({"5": 40_000, "6": 9_000, "7": 2_000})
    return {
        "exposure_by_mmi": table,
        "alert": "yellow",
        "districts": [{"name": "Murghob", "max_mmi": 7.4}, {"name": "Rushon", "max_mmi": 6.6}],
        "settlements": [{"name": "Murghob", "mmi": 6.8, "distance_km": 41.0, "population": 10_815}],
    }


def infos_by_language(names: PlaceNames | None) -> dict:
    decision = warning_decide(result(), WarningPolicy())
    now = datetime(2015, 12, 7, 8, 0, tzinfo=UTC)
    infos = warning_infos(
        facts(), result(), decision, template=None, now=now, policy=WarningPolicy(), names=names
    )
    return {info.language: info for info in infos}


def test_each_info_names_the_places_in_its_own_language():
    infos = infos_by_language(NAMES)
    assert "Мурғоб (7 балл)" in infos["tg"].description and "Murghob" not in infos["tg"].description
    assert "Мургаб (7 баллов)" in infos["ru"].description and "Murghob" not in infos["ru"].description
    assert "Мурғоб" in infos["tg"].headline and "Мургаб" in infos["ru"].headline
    assert "Murghob (VII)" in infos["en"].description and "Мур" not in infos["en"].description


def test_a_missing_translation_falls_back_to_the_english_name():
    infos = infos_by_language(NAMES)
    assert "Rushon (7 балл)" in infos["tg"].description  # no Tajik name given for Rushon
    assert "Рушан (7 баллов)" in infos["ru"].description
    assert "Murghob (7 балл)" in infos_by_language(None)["tg"].description  # no names at all


def test_intensity_is_written_in_arabic_digits_with_the_russian_plural_outside_english():
    assert [intensity(level, "ru") for level in (1, 4, 5, 11, 12)] == [
        "1 балл",
        "4 балла",
        "5 баллов",
        "11 баллов",
        "12 баллов",
    ]
    assert (intensity(8, "tg"), intensity(8, "en")) == ("8 балл", "VIII")
    infos = infos_by_language(NAMES)
    assert (
        "6 балл — 9\u202f000" in infos["tg"].description and "MMI VI: 9\u202f000" in infos["en"].description
    )


def shaken_at_eight() -> dict:
    square = {"type": "Polygon", "coordinates": [[[72, 38], [74, 38], [74, 39], [72, 39], [72, 38]]]}
    return {"type": "FeatureCollection", "features": [{"geometry": square, "properties": {"mmi": 8}}]}


def test_each_area_is_described_in_tajik_russian_and_english():
    districts = [
        DistrictShape("TJ-GB-MURGHOB", "TJ-GB", "Murghob", box(73.0, 38.2, 73.5, 38.6)),
        DistrictShape("TJ-GB-RUSHON", "TJ-GB", "Rushon", box(71.5, 38.0, 72.5, 38.5)),
        DistrictShape("TJ-DU", "TJ-DU", "Dushanbe", box(68.7, 38.5, 68.9, 38.6)),  # not touched
    ]
    names = PlaceNames(districts={"Murghob": ("Мургаб", "Мурғоб"), "Rushon": ("Рушан", "Рушон")})
    (area,) = warning_areas(shaken_at_eight(), districts, policy=WarningPolicy(), names=names)
    assert area.description_tg == "Минтақаи ларзиши 8 балл ва зиёда: Мурғоб, Рушон"
    assert area.description_ru == "Зона сотрясений 8 баллов и более: Мургаб, Рушан"
    assert area.description == "MMI VIII+ shaking: Murghob, Rushon"
    (english_only,) = warning_areas(shaken_at_eight(), districts, policy=WarningPolicy())
    assert english_only.description_ru == "Зона сотрясений 8 баллов и более: Murghob, Rushon"


def test_place_names_accept_a_regional_language_code_and_ignore_unknown_places():
    assert NAMES.district("Murghob", "ru-RU") == "Мургаб"
    assert NAMES.district("Murghob", "en") == "Murghob"
    assert NAMES.settlement("Atlantis", "tg") == "Atlantis"


# --- against the database ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def signing_key_folder(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)
    settings.VAR_DIR = tmp_path


@pytest.mark.django_db
def test_place_names_come_from_the_places_tables_once_loaded():
    assert place_names().district("Murghob", "tg") == "Мурғоб"  # empty tables: the bundled dataset
    places_load_bundled()
    District.objects.filter(code="TJ-GB-MURGHOB").update(name_tg="Мурғоби нав")
    assert place_names().district("Murghob", "tg") == "Мурғоби нав"
    District.objects.filter(code="TJ-GB-MURGHOB").update(name_tg="")
    assert place_names().district("Murghob", "tg") == "Murghob"


def sarez_replay() -> OriginReport:
    sarez = catalogue_event("sarez-2015")
    return OriginReport(
        agency="USGS",
        event_id="replaysarez2015",
        origin_time=sarez.time,
        latitude=sarez.latitude,
        longitude=sarez.longitude,
        depth_km=sarez.depth_km,
        magnitude=sarez.magnitude,
        magnitude_type="mww",
        updated=sarez.time + timedelta(minutes=30),
        status="reviewed",
        deleted=False,
        place=sarez.place,
    )


@pytest.mark.django_db
def test_the_sarez_replay_warning_is_in_cyrillic_in_its_tajik_and_russian_infos():
    places_load_bundled()
    event = origin_receive(sarez_replay()).event
    outcome = quake_warning_for_event(event.pk)  # assesses with the real engine
    assert outcome.state == "issued"
    xml = bytes(Alert.objects.get(pk=outcome.alert_id).signed_xml)
    infos = parse(xml).alert.infos
    assert [info.language for info in infos] == ["tg", "ru", "en"]
    script_findings = [f for f in validate(xml) if f.code.startswith("language.")]
    assert [f for f in script_findings if f.path.startswith(("info[0]", "info[1]"))] == []
    tajik, russian, english = infos
    assert "Мурғоб" in tajik.description and "Murghob" not in tajik.description
    assert "Мургаб" in russian.description and "Murghob" not in russian.description
    assert "Murghob" in english.description
    for index, info in enumerate(infos):
        expected = "latin" if info.language == "en" else "cyrillic"
        for area_index, area in enumerate(info.areas):
            counts = count_scripts(area.area_desc)
            assert getattr(counts, expected) == counts.letters > 0, area.area_desc
            # the validator checks headline + description; its script rules applied to areaDesc:
            path = f"info[{index}].area[{area_index}]"
            assert language_findings(info.language, area.area_desc, path) == []
    assert tajik.areas[0].area_desc.startswith("Минтақаи ларзиши ") and "Мурғоб" in _area_text(tajik)
    assert russian.areas[0].area_desc.startswith("Зона сотрясений ") and "Мургаб" in _area_text(russian)
    assert english.areas[0].area_desc.startswith("MMI ") and "Murghob" in _area_text(english)


def _area_text(info) -> str:
    return " ".join(area.area_desc for area in info.areas)


def test_the_distance_names_the_place_in_the_case_each_language_needs():
    infos = infos_by_language(NAMES)
    assert "в 41 км от Мургаба произошло" in infos["ru"].description  # genitive after «от»
    assert "от Мургаб " not in infos["ru"].description
    assert "дар масофаи 41 км аз Мурғоб заминларзаи" in infos["tg"].description  # Tajik: no case change
    assert "41 km from Murghob." in infos["en"].description


def test_a_place_missing_from_the_case_table_is_rephrased_not_declined():
    names = PlaceNames(districts={}, settlements={"Murghob": ("Ходжа-Мастон", "Хоҷа-Мастон")})
    russian = infos_by_language(names)["ru"].description
    assert "в 41 км от населённого пункта Ходжа-Мастон произошло" in russian


@pytest.mark.django_db
def test_the_sarez_replay_russian_text_declines_the_nearest_place():
    from hushdor.geo.place_cases import russian_cases

    places_load_bundled()
    event = origin_receive(sarez_replay()).event
    outcome = quake_warning_for_event(event.pk)
    russian = parse(bytes(Alert.objects.get(pk=outcome.alert_id).signed_xml)).alert.infos[1]
    place = russian.headline.rsplit(": ", 1)[-1]  # the headline names the nearest place, nominative
    genitive = russian_cases()[place][0]
    assert genitive != place and f"км от {genitive} произошло" in russian.description
