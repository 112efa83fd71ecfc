import pytest
from django.db import OperationalError, connection

from hushdor.web import health, metrics

pytestmark = pytest.mark.django_db


def test_healthz_says_ok_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_readyz_is_200_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"


def test_readyz_is_503_and_logs_the_unapplied_migrations(client, monkeypatch, caplog):
    from django.db.migrations.executor import MigrationExecutor

    real_plan = MigrationExecutor.migration_plan

    latest_places = max(
        name for app, name in MigrationExecutor(connection).loader.graph.leaf_nodes() if app == "places"
    )

    def plan_after_unapplying_places(self, targets, clean_start=False):
        self.loader.applied_migrations.pop(("places", latest_places), None)
        return real_plan(self, targets, clean_start)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_after_unapplying_places)
    with caplog.at_level("WARNING", logger="hushdor.web.health"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready\n"
    assert "not applied" in caplog.text and f"places.{latest_places}" in caplog.text


def test_readyz_is_503_and_tells_the_client_nothing_of_the_database_error(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "10.1.2.3", port 5432 failed: password for "hushdor"')

    monkeypatch.setattr(health.connection, "cursor", refuse)
    with caplog.at_level("WARNING", logger="hushdor.web.health"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready\n"
    assert "database unavailable" in caplog.text and "10.1.2.3" in caplog.text


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    settings.METRICS_ALLOWED_NETWORKS = []
    return {"HTTP_AUTHORIZATION": "Bearer s3cret-metrics-token"}


def test_metrics_are_closed_when_neither_token_nor_networks_are_configured(client, settings, caplog):
    settings.METRICS_TOKEN = None
    settings.METRICS_ALLOWED_NETWORKS = []
    with caplog.at_level("WARNING", logger="hushdor.web.health"):
        response = client.get("/metrics")
    assert response.status_code == 403 and b"hushdor_up" not in response.content
    assert "HUSHDOR_METRICS_TOKEN" in caplog.text


def test_metrics_need_the_right_bearer_token(client, metrics_token):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-tokeX")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")
    assert b"hushdor_up" not in wrong.content
    right = client.get("/metrics", **metrics_token)
    assert right.status_code == 200 and b"hushdor_up 1" in right.content


@pytest.mark.parametrize(
    ("networks", "address", "status"),
    [
        (["10.20.0.0/16"], "10.20.3.4", 200),
        (["10.20.0.0/16"], "10.21.3.4", 403),
        (["127.0.0.1/32", "::1/128"], "::1", 200),
        (["192.168.0.0/24"], "127.0.0.1", 403),
    ],
)
def test_metrics_from_an_allowed_network_need_no_token(client, settings, networks, address, status):
    settings.METRICS_TOKEN = None
    settings.METRICS_ALLOWED_NETWORKS = networks
    response = client.get("/metrics", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR="10.20.3.4")
    assert response.status_code == status


def test_a_bad_network_in_the_allow_list_is_a_configuration_error_naming_it(client, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.METRICS_TOKEN = None
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match=r"HUSHDOR_METRICS_ALLOW.*10\.0\.0\.0/33"):
        client.get("/metrics")


def test_metrics_use_the_prometheus_text_format(client, settings, metrics_token):
    from django.utils import timezone

    from hushdor.apps.places.services import places_load_bundled
    from hushdor.worker.models import JobState

    places_load_bundled()
    success = timezone.now()
    JobState.objects.create(name='feeds."usgs"', consecutive_failures=3, last_success=success, runs=9)
    response = client.get("/metrics", **metrics_token)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    lines = response.content.decode().splitlines()
    import hushdor

    assert "hushdor_up 1" in lines
    assert f'hushdor_build_info{{version="{hushdor.__version__}"}} 1' in lines
    assert 'hushdor_places_areas{level="region"} 5' in lines
    assert any(
        line.startswith("hushdor_places_settlements ") and int(line.split()[1]) >= 100 for line in lines
    )
    assert 'hushdor_worker_job_consecutive_failures{job="feeds.\\"usgs\\""} 3' in lines
    stamp = next(
        line for line in lines if line.startswith("hushdor_worker_job_last_success_timestamp_seconds{")
    )
    assert float(stamp.split()[-1]) == pytest.approx(success.timestamp())
    total = next(line for line in lines if line.startswith("hushdor_population_total "))
    assert float(total.split()[1]) == pytest.approx(10_163_400, rel=0.005)
    for line in lines:
        assert line.startswith("#") or len(line.rsplit(" ", 1)) == 2


def test_a_failing_collector_is_reported_and_does_not_hide_the_others(client, metrics_token):
    def broken():
        raise RuntimeError("no")

    metrics.register("zz_broken", broken)
    try:
        lines = client.get("/metrics", **metrics_token).content.decode().splitlines()
    finally:
        metrics._COLLECTORS.pop("zz_broken")
    assert 'hushdor_metrics_collector_up{collector="zz_broken"} 0' in lines
    assert "hushdor_up 1" in lines
