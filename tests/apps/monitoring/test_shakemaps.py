"""Shakemaps are drawn off the warning path: the chain's hook warns, the worker job draws, failures are bounded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.alerts.models import AlertState
from hushdor.apps.monitoring.models import Assessment, OperatorNotification
from hushdor.apps.monitoring.services import quake_impact, quake_warning, shakemaps
from hushdor.apps.monitoring.services.association import origin_receive
from hushdor.apps.monitoring.services.quake_warning import event_alerts
from hushdor.apps.monitoring.services.shakemaps import MAX_ATTEMPTS, RETRY_AFTER, shakemaps_render_pending
from hushdor.feeds.seismic import OriginReport
from hushdor.worker.registry import jobs

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ORIGIN_TIME = datetime(2024, 3, 1, 6, 30, tzinfo=UTC)
NEAR_DUSHANBE = OriginReport(
    agency="USGS",
    event_id="us7000main",
    origin_time=ORIGIN_TIME,
    latitude=38.56,
    longitude=68.77,
    depth_km=10.0,
    magnitude=6.1,
    magnitude_type="mww",
    updated=ORIGIN_TIME + timedelta(minutes=5),
    status="automatic",
    place="near Dushanbe, Tajikistan",
)
# 2 hours later and 250 km away: a separate event (e.g. another agency's large aftershock sequence).
NEAR_RASHT = replace(
    NEAR_DUSHANBE,
    event_id="us7000second",
    origin_time=ORIGIN_TIME + timedelta(hours=2),
    updated=ORIGIN_TIME + timedelta(hours=2, minutes=5),
    latitude=38.917,
    longitude=70.554,
    magnitude=6.3,
    place="near Rasht, Tajikistan",
)


@pytest.fixture(autouse=True)
def signing_key_folder(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)
    settings.VAR_DIR = tmp_path  # the embedded self-signed key is generated here


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    """origin_receive with its after-commit chain hook run when the transaction commits, as in the worker."""

    def receive_one(report: OriginReport):
        with django_capture_on_commit_callbacks(execute=True) as hooks:
            event = origin_receive(report).event
        assert len(hooks) == 1
        return event

    return receive_one


def issued(event_id: int) -> list[str]:
    return [alert.identifier for alert in event_alerts(event_id) if alert.state == AlertState.ISSUED]


def test_the_hook_issues_the_warning_and_draws_no_shakemap(receive):
    event = receive(NEAR_DUSHANBE)
    assert len(issued(event.pk)) == 1
    assessment = Assessment.objects.get(event=event)
    assert assessment.shakemap_png is None
    assert (assessment.shakemap_state, assessment.shakemap_attempts) == ("pending", 0)


def test_the_worker_job_draws_the_pending_shakemap(receive):
    event = receive(NEAR_DUSHANBE)
    job = {job.name: job for job in jobs()}["monitoring.render_shakemaps"]
    assert job.interval_s <= 5
    summary = job.run()
    assert summary.startswith("1 shakemap(s) drawn")
    assessment = Assessment.objects.get(event=event)
    assert bytes(assessment.shakemap_png).startswith(PNG_SIGNATURE)
    assert (assessment.shakemap_state, assessment.shakemap_attempts, assessment.shakemap_error) == (
        "drawn",
        1,
        "",
    )
    assert job.run().startswith("0 shakemap(s) drawn")  # nothing left to draw


def test_the_event_page_says_the_shakemap_is_being_drawn_until_it_is(receive, client):
    operator_create(username="olga", password="correct-horse-battery", roles=["viewer"])
    client.login(username="olga", password="correct-horse-battery")
    event = receive(NEAR_DUSHANBE)
    page_url, png_url = (
        reverse(name, args=[event.pk]) for name in ("monitoring:event", "monitoring:event-shakemap")
    )
    page = client.get(page_url).content.decode()
    assert "Shakemap being drawn" in page and png_url not in page
    assert client.get(png_url).status_code == 404
    shakemaps_render_pending()
    page = client.get(page_url).content.decode()
    assert "Shakemap being drawn" not in page and png_url in page
    assert client.get(png_url).content.startswith(PNG_SIGNATURE)


class FailingRender:
    def __init__(self, failing_latitudes: set[float]):
        self.failing_latitudes = failing_latitudes
        self.calls: list[float] = []

    def __call__(self, inputs):
        self.calls.append(inputs["latitude"])
        if inputs["latitude"] in self.failing_latitudes:
            raise MemoryError("figure too large")  # fault injection
        return PNG_SIGNATURE + b" test"


def test_a_failing_shakemap_is_recorded_retried_a_bounded_number_of_times_and_notified(receive):
    event = receive(NEAR_DUSHANBE)
    render = FailingRender({NEAR_DUSHANBE.latitude})
    assert shakemaps_render_pending(render=render).failed == 1
    row = Assessment.objects.get(event=event)
    assert (row.shakemap_state, row.shakemap_attempts) == ("pending", 1)
    assert row.shakemap_error == "MemoryError: figure too large"
    assert shakemaps_render_pending(render=render).failed == 0  # not again before RETRY_AFTER
    assert len(render.calls) == 1
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS + 2):
        later += RETRY_AFTER + timedelta(seconds=1)
        shakemaps_render_pending(render=render, now=later)
    assert len(render.calls) == MAX_ATTEMPTS
    row.refresh_from_db()
    assert (row.shakemap_state, row.shakemap_attempts, row.shakemap_png) == ("failed", MAX_ATTEMPTS, None)
    notification = OperatorNotification.objects.get(subject=f"shakemap-failed:{row.pk}")
    assert notification.level == "warning" and "MemoryError" in notification.message


def test_one_failing_shakemap_does_not_stop_the_next_and_the_newest_goes_first(receive):
    first, second = receive(NEAR_DUSHANBE), receive(NEAR_RASHT)
    render = FailingRender({NEAR_RASHT.latitude})
    run = shakemaps_render_pending(render=render, budget_s=None)
    assert render.calls == [NEAR_RASHT.latitude, NEAR_DUSHANBE.latitude]  # newest first
    assert (run.drawn, run.failed) == (1, 1)
    assert Assessment.objects.get(event=first).shakemap_state == "drawn"
    assert Assessment.objects.get(event=second).shakemap_state == "pending"


def test_a_batch_is_bounded_by_its_limit(receive):
    receive(NEAR_DUSHANBE)
    receive(NEAR_RASHT)
    render = FailingRender(set())
    assert shakemaps_render_pending(render=render, limit=1).drawn == 1
    assert render.calls == [NEAR_RASHT.latitude]


def test_two_events_back_to_back_both_warnings_are_issued_before_any_shakemap(receive, monkeypatch):
    steps: list[str] = []
    real_issue, real_render = quake_warning.alert_issue_automatic, quake_impact.shakemap_png_for_inputs

    def issue(*args, **kwargs):
        steps.append("issue")
        return real_issue(*args, **kwargs)

    def render(inputs):
        steps.append("render")
        return real_render(inputs)

    monkeypatch.setattr(quake_warning, "alert_issue_automatic", issue)
    monkeypatch.setattr(quake_impact, "shakemap_png_for_inputs", render)
    first, second = receive(NEAR_DUSHANBE), receive(NEAR_RASHT)
    assert steps == ["issue", "issue"]
    assert issued(first.pk) and issued(second.pk)
    assert shakemaps.shakemaps_render_pending(budget_s=None).drawn == 2
    assert steps == ["issue", "issue", "render", "render"]


def test_the_assessment_of_a_superseded_origin_is_marked_so_and_never_waited_for(receive):
    event = receive(NEAR_DUSHANBE)
    national = replace(NEAR_DUSHANBE, agency="TJ", event_id="tj2024main", magnitude=6.0, latitude=38.58)
    assert receive(national).pk == event.pk  # the national network's origin joins the event, preferred
    event.refresh_from_db()
    first, second = Assessment.objects.filter(event=event).order_by("id")
    assert event.preferred_origin_id == second.origin_id != first.origin_id
    summary = shakemaps_render_pending(limit=5, budget_s=None)
    assert summary.drawn == 1 and summary.superseded == 1 and str(summary).endswith("1 superseded")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.shakemap_state, first.shakemap_png, first.shakemap_attempts) == ("superseded", None, 0)
    assert second.shakemap_state == "drawn"
    assert shakemaps.shakemaps_pending() == []  # nothing left that anyone waits for


def test_a_superseded_assessment_is_pending_again_when_its_origin_is_preferred_again(receive):
    event = receive(NEAR_DUSHANBE)
    receive(replace(NEAR_DUSHANBE, agency="TJ", event_id="tj2024main", magnitude=6.0))
    event.refresh_from_db()
    first = Assessment.objects.filter(event=event).order_by("id").first()
    assert shakemaps.shakemaps_mark_superseded() == 1
    type(event).objects.filter(pk=event.pk).update(preferred_origin_id=first.origin_id)
    assert shakemaps.shakemaps_mark_superseded() == 1  # the other one now
    first.refresh_from_db()
    assert first.shakemap_state == "pending" and first.pk in shakemaps.shakemaps_pending()
