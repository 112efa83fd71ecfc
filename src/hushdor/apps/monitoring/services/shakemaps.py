"""Draw the PNG shakemaps of stored assessments, off the warning path (the worker job and the demo).

The chain (``chain.event_changed``) assesses and warns; it does not draw. An Assessment is stored with
``shakemap_state = pending`` and ``shakemaps_render_pending`` — the worker job
``monitoring.render_shakemaps``, every 2 s, and ``replay_run`` after each step — draws the newest
pending ones of each event's preferred origin, a bounded batch per run (``limit`` shakemaps, and no new
one started once ``budget_s`` has passed: the worker's loop also polls the feeds).

Each attempt is claimed before it starts: one conditional UPDATE adds 1 to ``shakemap_attempts`` and
stamps ``shakemap_attempted_at``, so two workers never draw the same row, and a worker that dies in
the middle still used an attempt. A failed attempt keeps its error in ``shakemap_error``; the row is
tried again after ``RETRY_AFTER`` and at most ``MAX_ATTEMPTS`` times in all, then it is ``failed`` and
an operator notification says so. An assessment with no shaking on the grid is ``empty``.

Only the event's preferred origin is drawn: the assessment of an origin that a newer preferred origin
(another agency's, or a revision) has replaced is marked ``superseded`` at the start of each run, so no
page and no operator waits for a picture that will never come; the event page shows the current
origin's. Should that origin become preferred again, its assessment goes back to ``pending``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from hushdor.apps.monitoring.models import Assessment, OperatorNotification
from hushdor.apps.monitoring.services import quake_impact
from hushdor.apps.monitoring.services.notifications import operator_notify

log = logging.getLogger("hushdor.monitoring.shakemaps")

MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(seconds=30)
BATCH_LIMIT = 3
BATCH_BUDGET_S = 0.5

State = Assessment.ShakemapState


@dataclass
class ShakemapRun:
    drawn: int = 0
    empty: int = 0
    failed: int = 0
    given_up: int = 0
    render_ms: float = 0.0
    superseded: int = 0

    def __str__(self) -> str:
        return (
            f"{self.drawn} shakemap(s) drawn in {self.render_ms:.0f} ms, {self.empty} empty, "
            f"{self.failed} failed ({self.given_up} given up), {self.superseded} superseded"
        )


def shakemaps_mark_superseded() -> int:
    """Pending assessments of origins that are no longer preferred become ``superseded``; returns how many.

    One that is preferred again (and has no picture) goes back to ``pending``.
    """
    preferred = F("event__preferred_origin_id")
    Assessment.objects.filter(
        shakemap_state=State.SUPERSEDED, origin_id=preferred, shakemap_png__isnull=True
    ).update(shakemap_state=State.PENDING)
    return (
        Assessment.objects.filter(shakemap_state=State.PENDING)
        .exclude(origin_id=preferred)
        .update(shakemap_state=State.SUPERSEDED)
    )


def shakemaps_pending(*, now: datetime | None = None) -> list[int]:
    """Ids of the assessments due for drawing, newest first: pending, of the preferred origin, retry due."""
    now = now or timezone.now()
    rows = Assessment.objects.filter(
        shakemap_state=State.PENDING,
        shakemap_png__isnull=True,
        shakemap_attempts__lt=MAX_ATTEMPTS,
        origin_id=F("event__preferred_origin_id"),
    ).exclude(shakemap_attempted_at__gt=now - RETRY_AFTER)
    return list(rows.order_by("-created_at", "-id").values_list("pk", flat=True))


def shakemaps_render_pending(
    *,
    limit: int = BATCH_LIMIT,
    budget_s: float | None = BATCH_BUDGET_S,
    now: datetime | None = None,
    render: Callable[[Mapping[str, Any]], bytes | None] | None = None,
) -> ShakemapRun:
    """Draw up to ``limit`` pending shakemaps, newest first, starting none after ``budget_s``. Never raises.

    ``render(inputs)`` draws from an Assessment's stored inputs (default
    ``quake_impact.shakemap_png_for_inputs``); it returns None when nothing shakes.
    """
    render = render or quake_impact.shakemap_png_for_inputs
    run = ShakemapRun()
    run.superseded = shakemaps_mark_superseded()
    started = time.perf_counter()
    for assessment_id in shakemaps_pending(now=now)[:limit]:
        if budget_s is not None and time.perf_counter() - started >= budget_s:
            break
        _render_one(assessment_id, render=render, run=run)
    return run


def _render_one(
    assessment_id: int, *, render: Callable[[Mapping[str, Any]], bytes | None], run: ShakemapRun
) -> None:
    row = (
        Assessment.objects.filter(pk=assessment_id)
        .only("pk", "event_id", "inputs", "shakemap_attempts")
        .first()
    )
    if row is None or not _claim(row):
        return
    attempt = row.shakemap_attempts + 1
    started = time.perf_counter()
    try:
        png = render(row.inputs)
    except Exception as error:  # one bad picture must not stop the others, nor the worker
        log.exception("shakemap of assessment %s failed (attempt %s)", assessment_id, attempt)
        _record_failure(row, attempt, f"{type(error).__name__}: {error}", run)
        return
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    rows = Assessment.objects.filter(pk=assessment_id, shakemap_png__isnull=True)
    if png is None:
        rows.update(shakemap_state=State.EMPTY, shakemap_error="")
        run.empty += 1
        return
    rows.update(shakemap_png=png, shakemap_state=State.DRAWN, shakemap_error="")
    run.drawn += 1
    run.render_ms += elapsed_ms


def _claim(row: Assessment) -> bool:
    """Take the row for one attempt: counted and stamped now; False if another worker took it first."""
    claimed = Assessment.objects.filter(
        pk=row.pk, shakemap_state=State.PENDING, shakemap_attempts=row.shakemap_attempts
    ).update(shakemap_attempts=F("shakemap_attempts") + 1, shakemap_attempted_at=timezone.now())
    return claimed == 1


def _record_failure(row: Assessment, attempt: int, error: str, run: ShakemapRun) -> None:
    run.failed += 1
    given_up = attempt >= MAX_ATTEMPTS
    Assessment.objects.filter(pk=row.pk, shakemap_png__isnull=True).update(
        shakemap_error=error[:2000], **({"shakemap_state": State.FAILED} if given_up else {})
    )
    if given_up:
        run.given_up += 1
        operator_notify(
            subject=f"shakemap-failed:{row.pk}",
            message=(
                f"The shakemap of seismic event {row.event_id} (assessment {row.pk}) could not be drawn "
                f"after {attempt} attempts: {error}"
            ),
            level=OperatorNotification.Level.WARNING,
        )
