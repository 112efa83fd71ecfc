"""The worker loop: runs registered periodic jobs, each isolated, and records every outcome."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterable

from django.db import close_old_connections
from django.utils import timezone

from hushdor.worker.models import JobState
from hushdor.worker.registry import PeriodicJob, jobs

log = logging.getLogger("hushdor.worker")


def run_job_once(job: PeriodicJob) -> bool:
    """Run one job now and record its outcome. Returns True on success."""
    state, _ = JobState.objects.get_or_create(name=job.name)
    started = timezone.now()
    try:
        summary = job.run() or ""
    except Exception as error:
        log.exception("job %s failed", job.name)
        JobState.objects.filter(pk=state.pk).update(
            last_started=started,
            last_finished=timezone.now(),
            last_error=f"{type(error).__name__}: {error}"[:2000],
            consecutive_failures=state.consecutive_failures + 1,
            runs=state.runs + 1,
        )
        return False
    now = timezone.now()
    JobState.objects.filter(pk=state.pk).update(
        last_started=started,
        last_finished=now,
        last_success=now,
        last_summary=str(summary)[:500],
        consecutive_failures=0,
        runs=state.runs + 1,
    )
    return True


def run_forever(
    selected: Iterable[PeriodicJob] | None = None, *, stop: threading.Event | None = None
) -> None:
    stop = stop or threading.Event()
    chosen = list(selected) if selected is not None else jobs()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    due = dict.fromkeys((job.name for job in chosen), 0.0)
    log.info("worker started with %d job(s): %s", len(chosen), ", ".join(due) or "none")
    while not stop.is_set():
        now = time.monotonic()
        for job in chosen:
            if stop.is_set():
                break
            if now >= due[job.name]:
                close_old_connections()  # between jobs, as Django does between requests
                run_job_once(job)
                due[job.name] = time.monotonic() + job.interval_s
        next_due = min(due.values(), default=time.monotonic() + 1.0)
        stop.wait(max(0.05, min(1.0, next_due - time.monotonic())))
    log.info("worker stopped")
