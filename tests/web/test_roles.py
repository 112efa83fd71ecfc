"""Every operator page needs a role, not only a login: an account whose roles were all taken away
(or that never had one) sees nothing operational."""

from __future__ import annotations

import pytest

from hushdor.apps.accounts.services import operator_create

OPERATOR_PAGES = [
    "/",
    "/map/",
    "/dashboard/",
    "/dashboard/events/fragment/",
    "/dashboard/events/1/",
    "/dashboard/events/1/shakemap.png",
    "/places/regions.geojson",
    "/places/districts.geojson",
    "/places/settlements.geojson",
    "/places/layers/rivers.geojson",
    "/places/population.png",
    "/alerts/",
    "/alerts/received/",
    "/alerts/quarantine/",
]


@pytest.fixture
def roleless_client(client, db):
    user, _password = operator_create(username="former", password="a-long-pass-phrase", roles=[])
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", OPERATOR_PAGES)
def test_a_person_without_a_role_gets_403(roleless_client, url):
    assert roleless_client.get(url).status_code == 403


@pytest.mark.parametrize("url", OPERATOR_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_viewer_sees_the_dashboard_and_the_map_layers(client, db):
    user, _password = operator_create(username="duty", password="a-long-pass-phrase", roles=["viewer"])
    client.force_login(user)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/places/regions.geojson").status_code == 200
