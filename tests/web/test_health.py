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


def test_readyz_is_503_naming_unapplied_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    real_plan = MigrationExecutor.migration_plan

    latest_places = max(
        name for app, name in MigrationExecutor(connection).loader.graph.leaf_nodes() if app == "places"
    )

    def plan_after_unapplying_places(self, targets, clean_start=False):
        self.loader.applied_migrations.pop(("places", latest_places), None)
        return real_plan(self, targets, clean_start)

    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan_after_unapplying_places)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"not applied" in response.content and f"places.{latest_places}".encode() in response.content


def test_readyz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready: database unavailable: connection refused\n"


def test_metrics_use_the_prometheus_text_format(client, settings):
    from django.utils import timezone

    from hushdor.apps.places.services import places_load_bundled
    from hushdor.worker.models import JobState

    places_load_bundled()
    success = timezone.now()
    JobState.objects.create(name='feeds."usgs"', consecutive_failures=3, last_success=success, runs=9)
    response = client.get("/metrics")
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


def test_a_failing_collector_is_reported_and_does_not_hide_the_others(client):
    def broken():
        raise RuntimeError("no")

    metrics.register("zz_broken", broken)
    try:
        lines = client.get("/metrics").content.decode().splitlines()
    finally:
        metrics._COLLECTORS.pop("zz_broken")
    assert 'hushdor_metrics_collector_up{collector="zz_broken"} 0' in lines
    assert "hushdor_up 1" in lines
