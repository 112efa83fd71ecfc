"""The operations dashboard: login required, live event list, event page with exposure and CAP links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import include, path, reverse

from hushdor import __version__
from hushdor.apps.accounts.services import operator_create
from hushdor.apps.monitoring.models import Assessment, Source
from hushdor.apps.monitoring.services.association import origin_receive
from hushdor.apps.monitoring.services.quake_warning import quake_warning_for_event
from hushdor.feeds.seismic import OriginReport
from hushdor.urls import urlpatterns as project_urlpatterns

# The lead mounts the dashboard in hushdor/urls.py; until then these tests mount it themselves.
urlpatterns = [path("dashboard/", include("hushdor.apps.monitoring.urls")), *project_urlpatterns]

PNG = b"\x89PNG\r\n\x1a\n test shakemap"


@pytest.fixture(autouse=True)
def dashboard_urls(settings, tmp_path, monkeypatch):
    settings.ROOT_URLCONF = __name__
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)


@pytest.fixture
def operator_client(client, db):
    operator_create(username="olga", password="correct-horse-battery", roles=["viewer"])
    client.login(username="olga", password="correct-horse-battery")
    return client


@pytest.fixture
def warned_event(db):
    time = datetime(2024, 3, 1, 6, 30, tzinfo=UTC)
    report = OriginReport(
        agency="USGS",
        event_id="us7000dash",
        origin_time=time,
        latitude=38.56,
        longitude=68.77,
        depth_km=10.0,
        magnitude=6.3,
        magnitude_type="mww",
        updated=time + timedelta(minutes=5),
        status="reviewed",
        place="near Dushanbe, Tajikistan",
    )
    event = origin_receive(report).event
    event.refresh_from_db()
    ring = [[68.5, 38.4], [69.0, 38.4], [69.0, 38.7], [68.5, 38.7], [68.5, 38.4]]
    Assessment.objects.create(
        event=event,
        origin=event.preferred_origin,
        code_version=__version__,
        model_set="tajikistan",
        result={
            "exposure_by_mmi": {"4": 800_000, "5": 300_000, "6": 123_456, "7": 0},
            "alert": "yellow",
            "regime": "shallow crustal",
            "districts": [{"name": "Rudaki", "max_mmi": 6.4, "exposed_mmi5_plus": 9, "exposed_mmi6_plus": 8}],
            "settlements": [
                {"name": "Somoniyon", "mmi": 6.3, "population": 4688, "population_modeled": True, "distance_km": 7.0},
                {"name": "Vahdat", "mmi": 5.1, "population": 45693, "population_modeled": False, "distance_km": 31.0},
            ],
        },
        shakemap_png=PNG,
        contours_geojson={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"mmi": 5},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ],
        },
    )
    outcome = quake_warning_for_event(event.pk)
    assert outcome.state == "issued"
    return event, outcome


@pytest.mark.django_db
def test_the_dashboard_requires_a_login(client):
    for url in (reverse("monitoring:dashboard"), reverse("monitoring:events-fragment")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_the_dashboard_lists_events_and_polls_a_fragment(operator_client, warned_event):
    event, outcome = warned_event
    page = operator_client.get(reverse("monitoring:dashboard")).content.decode()
    assert reverse("monitoring:event", args=[event.pk]) in page
    assert reverse("monitoring:events-fragment") in page and "setTimeout" in page
    fragment = operator_client.get(reverse("monitoring:events-fragment")).content.decode()
    assert "123456" in fragment  # people at MMI VI+
    assert "2024-03-01 06:30:00" in fragment  # origin time in UTC, as the column says (not Dushanbe time)
    assert reverse("cap:alert-xml", args=[outcome.identifier]) in fragment
    assert "<html" not in fragment


@pytest.mark.django_db
def test_the_event_page_shows_exposure_settlements_and_the_cap_link(operator_client, warned_event):
    event, outcome = warned_event
    page = operator_client.get(reverse("monitoring:event", args=[event.pk])).content.decode()
    assert "Population exposed by intensity" in page
    assert "2024-03-01 06:30:00" in page  # origin time in UTC
    assert "<td>VI</td><td>123456</td>" in page
    assert "Somoniyon" in page and "Rudaki" in page
    assert "<td>4688 <abbr" in page and "(modeled)</abbr>" in page  # a figure of the model, said so
    assert "<td>45693</td>" in page  # a count from the source, shown plain
    assert reverse("cap:alert-xml", args=[outcome.identifier]) in page
    assert reverse("monitoring:event-shakemap", args=[event.pk]) in page
    png = operator_client.get(reverse("monitoring:event-shakemap", args=[event.pk]))
    assert png["Content-Type"] == "image/png" and png.content == PNG
    xml = operator_client.get(reverse("cap:alert-xml", args=[outcome.identifier]))
    assert xml.status_code == 200 and b"<alert" in xml.content


@pytest.mark.django_db
def test_red_sources_come_first_with_a_plain_reason(operator_client):
    Source.objects.create(
        name="a-healthy", kind="usgs_geojson", url="http://x", last_success_at=datetime.now(UTC)
    )
    Source.objects.create(name="z-never-answered", kind="usgs_geojson", url="http://y")
    Source.objects.filter(name="z-never-answered").update(created_at=datetime.now(UTC) - timedelta(days=1))
    page = operator_client.get(reverse("monitoring:dashboard")).content.decode()
    assert page.index("z-never-answered") < page.index("a-healthy")
    assert "light-red" in page and "No successful poll" in page


@pytest.mark.django_db
def test_an_unknown_event_is_a_404(operator_client):
    assert operator_client.get(reverse("monitoring:event", args=[999])).status_code == 404
    assert operator_client.get(reverse("monitoring:event-shakemap", args=[999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "district", "settlement"),
    [("tg", "Рӯдакӣ", "Сомониён"), ("ru", "Рудаки", "Сомониён"), ("en", "Rudaki", "Somoniyon")],
)
def test_the_event_page_names_places_in_the_interface_language(
    operator_client, warned_event, language, district, settlement
):
    event, _ = warned_event
    operator_client.cookies["django_language"] = language
    page = operator_client.get(reverse("monitoring:event", args=[event.pk])).content.decode()
    assert f"<td>{district}</td>" in page and f"<td>{settlement}</td>" in page
    if language != "en":
        assert "<td>Rudaki</td>" not in page and "<td>Somoniyon</td>" not in page
