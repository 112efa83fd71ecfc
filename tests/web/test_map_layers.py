import io
import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(operator_client):
    from hushdor.apps.places.services import places_load_bundled

    places_load_bundled()
    return operator_client


def collection(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(response.content)
    assert document["type"] == "FeatureCollection"
    return document


def test_area_and_settlement_layers_are_geojson(loaded):
    regions = collection(loaded, "/places/regions.geojson")
    assert len(regions["features"]) == 5
    assert {f["geometry"]["type"] for f in regions["features"]} <= {"Polygon", "MultiPolygon"}
    assert len(collection(loaded, "/places/districts.geojson")["features"]) >= 58
    settlements = collection(loaded, "/places/settlements.geojson")["features"]
    assert len(settlements) >= 100
    assert all(f["geometry"]["type"] == "Point" and f["properties"]["population"] >= 0 for f in settlements)


def test_layer_names_follow_the_language(loaded):
    loaded.post("/i18n/setlang/", {"language": "ru", "next": "/map/"})
    names = {f["properties"]["name"] for f in collection(loaded, "/places/regions.geojson")["features"]}
    assert "Душанбе" in names


@pytest.mark.parametrize("name", ["country", "neighbours", "rivers", "lakes"])
def test_static_layers_are_served(loaded, name):
    assert collection(loaded, f"/places/layers/{name}.geojson")["features"]


def test_an_unknown_static_layer_is_404(loaded):
    assert loaded.get("/places/layers/roads.geojson").status_code == 404


def test_the_population_image_is_a_transparent_png_of_the_grid(loaded):
    from PIL import Image

    response = loaded.get("/places/population.png")
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (948, 540) and image.mode == "RGBA"
    alpha = image.getchannel("A")
    low, high = alpha.getextrema()
    assert low == 0 and high > 0  # transparent where nobody lives, drawn elsewhere
