import pytest

pytestmark = pytest.mark.django_db


def test_the_map_needs_a_signed_in_operator(client):
    response = client.get("/map/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/map/")


def test_map_layers_need_a_signed_in_operator(client):
    for url in ("/places/regions.geojson", "/places/population.png", "/places/layers/rivers.geojson"):
        assert client.get(url).status_code == 302, url


def test_home_sends_an_operator_to_the_dashboard(operator_client):
    response = operator_client.get("/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_signing_in_with_the_form_reaches_the_map(client, operator):
    page = client.get("/login/")
    assert page.status_code == 200 and b'name="password"' in page.content
    response = client.post(
        "/login/?next=/map/", {"username": "operator", "password": "a-long-pass-phrase", "next": "/map/"}
    )
    assert response.status_code == 302 and response["Location"] == "/map/"
    map_page = client.get("/map/")
    assert map_page.status_code == 200
    html = map_page.content.decode()
    assert "/static/leaflet/leaflet.js" in html and "/static/hushdor/map.js" in html
    assert 'id="map-config"' in html and "/places/population.png" in html
    assert "http://" not in html and "https://" not in html  # nothing from the internet


def test_a_wrong_password_is_refused_with_a_message(client, operator):
    response = client.post("/login/", {"username": "operator", "password": "wrong"})
    assert response.status_code == 200 and b'role="alert"' in response.content


def test_logout_is_a_post_and_ends_the_session(operator_client):
    response = operator_client.post("/logout/")
    assert response.status_code == 302
    assert operator_client.get("/map/").status_code == 302


def test_the_layout_shows_navigation_user_and_language_switch(operator_client):
    html = operator_client.get("/map/").content.decode()
    assert 'href="/alerts/"' in html and 'action="/i18n/setlang/"' in html
    assert ">operator<" in html
    for code in ("tg", "ru", "en"):
        assert f'name="language" value="{code}"' in html


@pytest.mark.parametrize(
    ("language", "words"),
    [("ru", ["Карта", "Выйти", "Оповещения"]), ("tg", ["Харита", "Баромадан", "Огоҳиномаҳо"])],
)
def test_switching_language_renders_the_pages_in_it(operator_client, language, words):
    response = operator_client.post("/i18n/setlang/", {"language": language, "next": "/map/"})
    assert response.status_code == 302 and response["Location"] == "/map/"
    html = operator_client.get("/map/").content.decode()
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html
    assert ">Log out<" not in html


def test_the_login_page_is_translated_too(client):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/login/"})
    assert "Вход" in client.get("/login/").content.decode()
