import pytest

from hushdor.worker.loop import run_job_once
from hushdor.worker.models import JobState
from hushdor.worker.registry import PeriodicJob

pytestmark = pytest.mark.django_db


def test_a_failing_job_is_recorded_and_counted():
    def broken():
        raise RuntimeError("feed unreachable")

    job = PeriodicJob(name="test.broken", interval_s=1, run=broken)
    assert run_job_once(job) is False
    assert run_job_once(job) is False
    state = JobState.objects.get(name="test.broken")
    assert state.consecutive_failures == 2
    assert "feed unreachable" in state.last_error
    assert state.last_success is None


def test_success_resets_the_failure_count():
    outcomes = iter([RuntimeError("x"), "3 items"])

    def flaky():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    job = PeriodicJob(name="test.flaky", interval_s=1, run=flaky)
    run_job_once(job)
    assert run_job_once(job) is True
    state = JobState.objects.get(name="test.flaky")
    assert state.consecutive_failures == 0
    assert state.last_summary == "3 items"
    assert state.runs == 2
