import pytest
import shapely
from django.core.management import CommandError, call_command
from pyproj import Transformer
from shapely.geometry import box

from hushdor.apps.places.errors import PlacesImportError
from hushdor.apps.places.models import District, Region
from hushdor.apps.places.services import areas_import

from .factories import DISTRICTS, districts_file, feature, regions_file, write_geojson

pytestmark = pytest.mark.django_db


def import_regions(tmp_path):
    return areas_import(
        regions_file(tmp_path / "regions.geojson"), level="region", code_field="iso", name_field="label"
    )


def test_regions_then_districts_are_imported_with_their_parents(tmp_path):
    assert import_regions(tmp_path) == 2
    count = areas_import(
        districts_file(tmp_path / "districts.geojson"),
        level="district",
        code_field="code",
        name_field="name",
        parent_field="region",
        population_field="pop",
    )
    assert count == 3
    district = District.objects.get(code="XR-A-2")
    assert district.region.code == "XR-A"
    assert district.population == 1000
    assert (district.min_lon, district.min_lat, district.max_lon, district.max_lat) == (
        69.0,
        37.0,
        70.0,
        39.0,
    )


def test_district_without_parent_field_gets_the_region_holding_it(tmp_path):
    import_regions(tmp_path)
    areas_import(
        districts_file(tmp_path / "d.geojson", with_parent=False),
        level="district",
        code_field="code",
        name_field="name",
    )
    assert {d.code: d.region.code for d in District.objects.all()} == {
        c: p for c, (p, _) in DISTRICTS.items()
    }


def test_a_self_intersecting_polygon_is_repaired(tmp_path):
    bowtie = shapely.Polygon([(68, 37), (69, 38), (69, 37), (68, 38), (68, 37)])
    assert not bowtie.is_valid
    path = write_geojson(tmp_path / "bowtie.geojson", [feature({"code": "XB", "name": "Bow"}, bowtie)])
    areas_import(path, level="region", code_field="code", name_field="name")
    stored = shapely.from_geojson(Region.objects.get(code="XB").geometry)
    assert stored.is_valid
    assert stored.area == pytest.approx(0.5)


def test_a_declared_projected_crs_is_reprojected_to_longitude_latitude(tmp_path):
    to_mercator = Transformer.from_crs(4326, 3857, always_xy=True)
    west, south = to_mercator.transform(68.0, 37.0)
    east, north = to_mercator.transform(70.0, 39.0)
    path = write_geojson(
        tmp_path / "mercator.geojson",
        [feature({"code": "XM", "name": "Mercator"}, box(west, south, east, north))],
        crs="urn:ogc:def:crs:EPSG::3857",
    )
    areas_import(path, level="region", code_field="code", name_field="name")
    region = Region.objects.get(code="XM")
    assert (region.min_lon, region.min_lat, region.max_lon, region.max_lat) == pytest.approx(
        (68, 37, 70, 39), abs=1e-6
    )


def test_geopackage_is_read_when_pyogrio_is_installed(tmp_path):
    pytest.importorskip("pyogrio")
    import numpy as np
    from pyogrio.raw import write

    path = tmp_path / "regions.gpkg"
    shapes = [box(68, 37, 70, 39), box(70, 37, 72, 39)]
    write(
        path,
        np.array(shapely.to_wkb(shapes), dtype=object),
        [np.array(["GA", "GB"], dtype=object), np.array(["Alpha", "Beta"], dtype=object)],
        fields=["code", "name"],
        geometry_type="Polygon",
        crs="EPSG:4326",
        driver="GPKG",
    )
    assert areas_import(path, level="region", code_field="code", name_field="name") == 2
    assert Region.objects.get(code="GB").name == "Beta"


def test_a_feature_without_its_code_is_named_and_nothing_is_imported(tmp_path):
    path = write_geojson(
        tmp_path / "broken.geojson",
        [
            feature({"code": "OK1", "name": "Fine"}, box(68, 37, 69, 38)),
            feature({"name": "No code"}, box(69, 37, 70, 38)),
        ],
    )
    with pytest.raises(PlacesImportError) as excinfo:
        areas_import(path, level="region", code_field="code", name_field="name")
    message = str(excinfo.value)
    assert "broken.geojson" in message and "feature 2" in message and "'code'" in message
    assert Region.objects.count() == 0


def test_an_unknown_parent_code_rolls_back_the_whole_file(tmp_path):
    import_regions(tmp_path)
    features = [
        feature({"code": "D1", "name": "Good", "region": "XR-A"}, box(68, 37, 69, 38)),
        feature({"code": "D2", "name": "Orphan", "region": "XR-NOPE"}, box(69, 37, 70, 38)),
    ]
    path = write_geojson(tmp_path / "orphans.geojson", features)
    with pytest.raises(PlacesImportError, match=r"orphans\.geojson, feature 2, field 'region': .*XR-NOPE"):
        areas_import(path, level="district", code_field="code", name_field="name", parent_field="region")
    assert District.objects.count() == 0


def test_the_command_reports_a_bad_file_in_one_line_with_returncode_2(tmp_path):
    path = tmp_path / "nothing.geojson"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("places", "import-areas", str(path), "--level", "region")
    assert excinfo.value.returncode == 2
    assert "nothing.geojson" in str(excinfo.value) and "\n" not in str(excinfo.value)


def test_a_code_longer_than_its_column_is_named_and_nothing_is_imported(tmp_path):
    path = write_geojson(
        tmp_path / "long.geojson",
        [
            feature({"code": "OK1", "name": "Fine"}, box(68, 37, 69, 38)),
            feature({"code": "C" * 33, "name": "Too long"}, box(69, 37, 70, 38)),
        ],
    )
    with pytest.raises(PlacesImportError) as excinfo:
        areas_import(path, level="region", code_field="code", name_field="name")
    assert (excinfo.value.location, excinfo.value.field) == ("feature 2", "code")
    assert Region.objects.count() == 0


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"type": "FeatureCollection", "features": 5}, "features"),
        (
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": [1], "geometry": None}],
            },
            "properties",
        ),
    ],
)
def test_a_malformed_feature_collection_is_named_not_a_traceback(tmp_path, document, field):
    import json

    path = tmp_path / "odd.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PlacesImportError) as excinfo:
        areas_import(path, level="region", code_field="code", name_field="name")
    assert excinfo.value.field == field
