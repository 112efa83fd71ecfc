import json

import pytest
from django.core.management import call_command

from hushdor.apps.places.models import District, Region, Settlement
from hushdor.apps.places.services import places_load_bundled

pytestmark = pytest.mark.django_db

# Agency on Statistics of Tajikistan, regional totals of 1 July 2023 (tests/data/reference/README.md).
OFFICIAL_REGION_TOTALS = {
    "TJ-KT": 3_649_300,
    "TJ-SU": 2_889_400,
    "TJ-RA": 2_163_600,
    "TJ-DU": 1_228_400,
    "TJ-GB": 232_700,
}
OFFICIAL_NATIONAL_TOTAL = sum(OFFICIAL_REGION_TOTALS.values())  # 10,163,400


def places_info_json(capsys) -> dict:
    call_command("places", "info", "--json")
    return json.loads(capsys.readouterr().out)


def test_loading_the_bundled_data_fills_regions_districts_and_settlements():
    summary = places_load_bundled()
    assert summary.regions == Region.objects.count() == 5
    assert summary.districts == District.objects.count() >= 58
    assert summary.settlements == Settlement.objects.count() >= 100
    dushanbe = Settlement.objects.get(name="Dushanbe")
    assert dushanbe.region.code == "TJ-DU"
    assert District.objects.filter(region__code="TJ-GB").count() >= 7


def test_loading_twice_changes_nothing():
    places_load_bundled()
    before = (Region.objects.count(), District.objects.count(), Settlement.objects.count())
    ids = set(Settlement.objects.values_list("pk", flat=True))
    places_load_bundled()
    assert (Region.objects.count(), District.objects.count(), Settlement.objects.count()) == before
    assert set(Settlement.objects.values_list("pk", flat=True)) == ids


def test_bundled_geometry_bbox_columns_hold_the_polygon(bundled_places):
    import shapely

    for region in Region.objects.all():
        geometry = shapely.from_geojson(region.geometry)
        assert geometry.bounds == pytest.approx(
            (region.min_lon, region.min_lat, region.max_lon, region.max_lat)
        )


def test_places_info_json_has_the_documented_shape(bundled_places, capsys):
    info = places_info_json(capsys)
    assert set(info) == {"regions", "districts", "settlements", "population_total", "grid"}
    assert set(info["grid"]) == {"resolution_arcsec", "cells"}
    assert info["grid"]["resolution_arcsec"] == 30
    assert all(set(region) == {"code", "name", "population"} for region in info["regions"])
    assert isinstance(info["population_total"], int)


def test_places_info_regions_match_the_official_totals(bundled_places, capsys):
    info = places_info_json(capsys)
    by_code = {region["code"]: region["population"] for region in info["regions"]}
    assert set(by_code) == set(OFFICIAL_REGION_TOTALS)
    for code, official in OFFICIAL_REGION_TOTALS.items():
        assert by_code[code] == pytest.approx(official, rel=0.005), code
    assert info["population_total"] == pytest.approx(OFFICIAL_NATIONAL_TOTAL, rel=0.005)
    assert info["districts"] >= 58
    assert info["settlements"] >= 100
    assert 10_000 < info["grid"]["cells"] < 540 * 948


def test_places_info_text_lists_every_region(bundled_places, capsys):
    call_command("places", "info")
    out = capsys.readouterr().out
    for name in ("Khatlon", "Sughd", "Dushanbe"):
        assert name in out


def test_a_reload_drops_a_bundled_duplicate_and_keeps_imported_places():
    places_load_bundled()
    roghun = Settlement.objects.get(code="1220701")
    # A database loaded from the earlier dataset still holds the duplicate Roghun feature.
    Settlement.objects.create(
        code="1346374", name="Roghun", lat=38.69331, lon=69.73692, population=0, source=roghun.source
    )
    Settlement.objects.create(code="school-17", name="School 17", lat=38.5, lon=68.8, source="imported from x.csv")
    places_load_bundled()
    assert not Settlement.objects.filter(code="1346374").exists()
    assert Settlement.objects.filter(code="school-17").exists()
    assert Settlement.objects.filter(name="Roghun").count() == 1


def test_bundled_settlements_record_whether_their_population_is_modeled():
    places_load_bundled()
    khovaling = Settlement.objects.get(name="Khovaling")
    assert khovaling.population > 0 and khovaling.population_source == "modeled"
    assert Settlement.objects.get(code="1220701").population_source == "geonames"
    assert not Settlement.objects.filter(population=0).exists()
