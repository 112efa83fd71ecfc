"""Russian and Tajik names are stored by the bundled load and shown in the map layers' popups."""

from __future__ import annotations

import json

import pytest

from hushdor.apps.places.models import District, Settlement
from hushdor.apps.places.selectors import districts_geojson, regions_geojson, settlements_geojson
from hushdor.apps.places.services import places_load_bundled
from hushdor.geo import dataset


def properties_by_code(text: str) -> dict[str, dict]:
    return {feature["properties"]["code"]: feature["properties"] for feature in json.loads(text)["features"]}


@pytest.mark.django_db
def test_the_bundled_load_stores_every_districts_tajik_and_russian_name():
    places_load_bundled()
    stored = {code: (ru, tg) for code, ru, tg in District.objects.values_list("code", "name_ru", "name_tg")}
    expected = {d.code: (d.name_ru, d.name_tg) for d in dataset.load_districts()}
    assert stored == expected and all(ru and tg for ru, tg in stored.values())
    assert not Settlement.objects.filter(name_tg="").exists()
    assert not Settlement.objects.filter(name_ru="").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "district", "region", "settlement"),
    [
        ("tg", "Мурғоб", "Вилояти Мухтори Кӯҳистони Бадахшон", "Мурғоб"),
        ("ru", "Мургаб", "Горно-Бадахшанская автономная область", "Мургаб"),
        ("en", "Murghob", "Gorno-Badakhshan", "Murghob"),
    ],
)
def test_map_popups_name_places_in_the_interface_language(language, district, region, settlement):
    places_load_bundled()
    murghob = properties_by_code(districts_geojson(language=language))["TJ-GB-MURGHOB"]
    assert (murghob["name"], murghob["region"]) == (district, region)
    place = properties_by_code(settlements_geojson(language=language))["1220962"]
    assert (place["name"], place["district"]) == (settlement, district)


@pytest.mark.django_db
def test_a_district_without_a_tajik_name_shows_its_english_name():
    places_load_bundled()
    District.objects.filter(code="TJ-GB-MURGHOB").update(name_tg="")
    assert properties_by_code(districts_geojson(language="tg"))["TJ-GB-MURGHOB"]["name"] == "Murghob"


@pytest.mark.django_db
def test_regions_and_districts_carry_their_names_in_every_language_for_the_compose_page():
    places_load_bundled()
    District.objects.filter(code="TJ-GB-MURGHOB").update(name_tg="")
    murghob = properties_by_code(districts_geojson(language="ru"))["TJ-GB-MURGHOB"]
    assert murghob["names"] == {"tg": "Murghob", "ru": "Мургаб", "en": "Murghob"}
    badakhshan = properties_by_code(regions_geojson(language="en"))["TJ-GB"]
    assert badakhshan["names"] == {
        "tg": "Вилояти Мухтори Кӯҳистони Бадахшон",
        "ru": "Горно-Бадахшанская автономная область",
        "en": "Gorno-Badakhshan",
    }
