"""Russian and Tajik names in the committed dataset: present, in the right alphabet, and loadable.

The names come from the reviewed tables scripts/tjdata/names_cyrillic.csv and
settlement_names_cyrillic.csv (sources per row). Alphabets: Russian Cyrillic has none of the Tajik
letters ғ ӣ қ ӯ ҳ ҷ; the Tajik alphabet (1998 reform) has no ц щ ы ь; neither has Latin letters.
"""

import json
import re
from collections import defaultdict

import shapely

from hushdor.geo import dataset

LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
TAJIK_ONLY = re.compile(r"[ҒғӢӣҚқӮӯҲҳҶҷ]")
NOT_TAJIK = re.compile(r"[ЦцЩщЫыЬь]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def assert_russian(name, where):
    assert name and CYRILLIC.search(name), f"{where}: no Russian name"
    assert not LATIN.search(name) and not TAJIK_ONLY.search(name), f"{where}: {name!r} is not Russian"


def assert_tajik(name, where):
    assert name and CYRILLIC.search(name), f"{where}: no Tajik name"
    assert not LATIN.search(name) and not NOT_TAJIK.search(name), f"{where}: {name!r} is not Tajik"


def test_every_region_and_district_has_a_russian_and_a_tajik_name():
    for area in (*dataset.load_regions(), *dataset.load_districts()):
        assert_russian(area.name_ru, area.code)
        assert_tajik(area.name_tg, area.code)


def test_every_settlement_has_a_russian_and_a_tajik_name():
    settlements = dataset.load_settlements()
    assert len(settlements) == 102  # 103 GeoNames features, the Roghun duplicate merged
    for place in settlements:
        assert_russian(place.name_ru, f"{place.id} {place.name}")
        assert_tajik(place.name_tg, f"{place.id} {place.name}")


def test_tajik_names_use_tajik_letters_where_the_names_differ():
    """A table that copied the Russian names into the Tajik column would fail here."""
    districts = dataset.load_districts()
    differing = [d for d in districts if d.name_tg != d.name_ru]
    assert len(differing) > len(districts) / 2
    assert sum(bool(TAJIK_ONLY.search(d.name_tg)) for d in districts) > len(districts) / 3


def test_the_sarez_districts_are_named_as_their_readers_write_them():
    by_code = {district.code: district for district in dataset.load_districts()}
    murghob = by_code["TJ-GB-MURGHOB"]
    assert (murghob.name, murghob.name_tg, murghob.name_ru) == ("Murghob", "Мурғоб", "Мургаб")
    assert by_code["TJ-GB-RUSHON"].name_tg == "Рӯшон"


def test_places_sharing_an_english_name_share_their_russian_and_tajik_names():
    """The warning texts look names up by the English name the impact engine reports."""
    for loader in (dataset.load_districts, dataset.load_settlements):
        translations = defaultdict(set)
        for record in loader():
            translations[record.name].add((record.name_ru, record.name_tg))
        assert {name: found for name, found in translations.items() if len(found) > 1} == {}


def test_district_can_still_be_built_positionally_without_a_tajik_name():
    district = dataset.District("TJ-XX-A", "A", "А", "TJ-XX", 10, shapely.box(0, 0, 1, 1))
    assert district.name_tg == "" and district.source_id == ""


def test_an_older_districts_file_without_tajik_names_loads_with_blank_ones(tmp_path):
    feature = {
        "type": "Feature",
        "properties": {"code": "TJ-XX-A", "name": "A", "region_code": "TJ-XX", "population": 5},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
    }
    (tmp_path / "districts.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]})
    )
    (loaded,) = dataset.load_districts(tmp_path)
    assert (loaded.name, loaded.name_ru, loaded.name_tg) == ("A", "", "")
