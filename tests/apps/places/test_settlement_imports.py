import pytest

from hushdor.apps.places.errors import PlacesImportError
from hushdor.apps.places.models import Settlement
from hushdor.apps.places.services import areas_import, settlements_import

from .factories import csv_file, districts_file, feature, regions_file, write_geojson

pytestmark = pytest.mark.django_db

HEADER = "id,name,lat,lon,population,name_ru,name_tg,region_code,district_code"


@pytest.fixture
def areas(tmp_path):
    areas_import(regions_file(tmp_path / "r.geojson"), level="region", code_field="iso", name_field="label")
    areas_import(
        districts_file(tmp_path / "d.geojson"),
        level="district",
        code_field="code",
        name_field="name",
        parent_field="region",
    )


def test_csv_settlements_are_joined_to_the_district_holding_them(tmp_path, areas):
    path = csv_file(
        tmp_path / "places.csv",
        [HEADER, "1,Alpha,38.5,68.5,12000,Альфа,Алфа,,", "2,Beta,38.0,71.0,800,,,,", "3,Far,40.9,75.1,5,,,,"],
    )
    assert settlements_import(path) == 3
    alpha = Settlement.objects.get(code="1")
    assert (alpha.district.code, alpha.region.code, alpha.name_ru, alpha.population) == (
        "XR-A-1",
        "XR-A",
        "Альфа",
        12000,
    )
    assert Settlement.objects.get(code="2").district.code == "XR-B-1"
    far = Settlement.objects.get(code="3")
    assert far.district is None and far.region is None


def test_only_the_required_columns_are_needed(tmp_path, areas):
    path = csv_file(tmp_path / "short.csv", ["id,name,lat,lon,population", "9,Nine,38.2,69.5,90"])
    assert settlements_import(path) == 1
    assert Settlement.objects.get(code="9").district.code == "XR-A-2"


def test_geojson_points_are_imported(tmp_path, areas):
    from shapely.geometry import Point

    path = write_geojson(
        tmp_path / "points.geojson",
        [feature({"id": "p1", "name": "Point", "population": 50}, Point(70.5, 37.5))],
    )
    assert settlements_import(path) == 1
    point = Settlement.objects.get(code="p1")
    assert (point.lat, point.lon, point.district.code) == (37.5, 70.5, "XR-B-1")


def test_a_bad_row_names_file_row_and_field_and_nothing_is_imported(tmp_path, areas):
    path = csv_file(
        tmp_path / "bad.csv", [HEADER, "1,Alpha,38.5,68.5,12000,,,,", "2,Beta,north,71.0,800,,,,"]
    )
    with pytest.raises(PlacesImportError) as excinfo:
        settlements_import(path)
    error = excinfo.value
    assert (error.location, error.field) == ("row 2 (line 3)", "lat")
    assert (
        "bad.csv" in str(error) and "row 2" in str(error) and "'lat'" in str(error) and "north" in str(error)
    )
    assert Settlement.objects.count() == 0


def test_an_unknown_district_code_rolls_back_rows_already_written(tmp_path, areas):
    path = csv_file(
        tmp_path / "codes.csv", [HEADER, "1,Alpha,38.5,68.5,12000,,,,", "2,Beta,38.0,71.0,800,,,,XR-Z-9"]
    )
    with pytest.raises(PlacesImportError, match=r"codes\.csv, row 2, field 'district_code'"):
        settlements_import(path)
    assert Settlement.objects.count() == 0


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        (["id,name,lat,population", "1,A,38,5"], "lon"),
        ([HEADER, "1,A,38,68,-4,,,,"], "population"),
        ([HEADER, "1,A,38,268,4,,,,"], "lon"),
        ([HEADER, ",A,38,68,4,,,,"], "id"),
        ([HEADER, "1,A,38,68,4,,,,", "1,B,38,68,4,,,,"], "id"),
    ],
)
def test_each_kind_of_bad_value_names_its_field(tmp_path, lines, field):
    with pytest.raises(PlacesImportError) as excinfo:
        settlements_import(csv_file(tmp_path / "x.csv", lines))
    assert excinfo.value.field == field


def test_a_name_longer_than_its_column_is_named_and_nothing_is_imported(tmp_path, areas):
    path = csv_file(
        tmp_path / "long.csv", [HEADER, "1,Alpha,38.5,68.5,12000,,,,", f"2,{'B' * 201},38.0,71.0,800,,,,"]
    )
    with pytest.raises(PlacesImportError) as excinfo:
        settlements_import(path)
    assert (excinfo.value.location, excinfo.value.field) == ("row 2 (line 3)", "name")
    assert Settlement.objects.count() == 0
