"""Public outputs: Atom/RSS parse and list the active alert, the signed XML, GeoJSON, 304 on ETag."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from lxml import etree

from hushdor.apps.alerts.services import alert_cancel
from hushdor.cap.feeds import parse_index_feed
from hushdor.cap.signing import verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_atom_feed_parses_and_links_the_active_alert_absolutely(client, issued_alert):
    response = client.get("/cap/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    links = parse_index_feed(response.content)
    assert [link.identifier for link in links] == [issued_alert.identifier]
    assert links[0].url == f"http://testserver/cap/{issued_alert.identifier}.xml"


def test_rss_feed_parses_and_contains_the_active_alert(client, issued_alert):
    response = client.get("/cap/feed.rss")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert root.tag == "rss"
    assert [link.identifier for link in parse_index_feed(response.content)] == [issued_alert.identifier]


def test_feed_answers_304_to_a_matching_etag_and_changes_after_a_cancel(client, issued_alert, approver):
    first = client.get("/cap/feed.atom")
    etag = first["ETag"]
    assert first.has_header("Last-Modified")
    again = client.get("/cap/feed.atom", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    alert_cancel(actor=approver, alert=issued_alert)
    changed = client.get("/cap/feed.atom", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    kinds = {link.identifier for link in parse_index_feed(changed.content)}
    assert issued_alert.identifier not in kinds and len(kinds) == 1  # only the Cancel message is active


def test_the_alert_xml_is_served_signed_as_cap(client, issued_alert, signing_key):
    response = client.get(f"/cap/{issued_alert.identifier}.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/cap+xml"
    assert response.content == bytes(issued_alert.signed_xml)
    assert verify(response.content, trusted_certs=[signing_key]).valid
    assert (
        client.get(f"/cap/{issued_alert.identifier}.xml", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


def test_an_unknown_or_unissued_alert_xml_is_404(client, editor):
    assert client.get("/cap/urn:oid:2.49.0.1.762.1.1.xml").status_code == 404


def test_geojson_has_the_alert_polygon_in_lon_lat(client, issued_alert):
    data = json.loads(client.get("/cap/alerts.geojson").content)
    feature = data["features"][0]
    assert feature["properties"]["identifier"] == issued_alert.identifier
    assert feature["geometry"]["coordinates"][0][0] == [68.7, 38.5]
    assert set(feature["properties"]["texts"]) == {"tg", "ru", "en"}


def test_public_page_lists_active_alerts_in_the_chosen_language(client, issued_alert):
    client.cookies["django_language"] = "ru"
    page = client.get("/cap/").content.decode()
    assert "Селевая опасность: Варзобский район" in page
    assert "leaflet/leaflet.js" in page and "unpkg" not in page


def test_public_basemap_serves_the_outline_without_login_and_nothing_else(client):
    country = client.get("/cap/basemap/country.geojson")
    assert country.status_code == 200 and country["Content-Type"] == "application/geo+json"
    features = json.loads(country.content)["features"]
    assert features and features[0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert client.get("/cap/basemap/neighbours.geojson").status_code == 200
    assert client.get("/cap/basemap/settlements.geojson").status_code == 404


def test_a_restricted_alert_never_reaches_the_public_outputs(client, editor, approver):
    from tests.apps.alerts.conftest import info_drafts, polygon_area

    from hushdor.apps.alerts.services import alert_approve, alert_create_draft, alert_issue, alert_submit

    alert = alert_create_draft(
        actor=editor,
        hazard="mudflow",
        infos=info_drafts("Moderate"),
        areas=[polygon_area()],
        scope="Restricted",
    )
    alert_submit(actor=editor, alert=alert)
    alert_approve(actor=approver, alert=alert)
    alert = alert_issue(actor=approver, alert=alert)
    assert alert.state == "issued" and alert.scope == "Restricted"
    for url in ("/cap/feed.atom", "/cap/feed.rss", "/cap/alerts.geojson", "/cap/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert alert.identifier.encode() not in response.content, url
        assert b"Varzob" not in response.content, url
    assert client.get(f"/cap/{alert.identifier}.xml").status_code == 404
