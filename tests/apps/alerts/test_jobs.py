"""The worker jobs the alerts app registers."""

from __future__ import annotations

import pytest

from hushdor.apps.alerts.jobs import expire_due, poll_cap_feeds
from hushdor.worker.registry import jobs


def test_the_alerts_jobs_are_registered_with_the_worker():
    registered = {job.name: job for job in jobs()}
    assert registered["alerts.expire_due"].run is expire_due
    assert registered["alerts.poll_cap_feeds"].run is poll_cap_feeds


@pytest.mark.django_db
def test_the_jobs_run_and_summarise_with_nothing_to_do():
    assert expire_due() == "0 alert(s) expired"
    assert poll_cap_feeds() == "0 feed(s) polled, 0 alert(s) accepted, 0 failed"
