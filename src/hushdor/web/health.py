"""Liveness, readiness and metrics endpoints for load balancers and Prometheus."""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

import hushdor
from hushdor.web import metrics

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Alive: the process answers (nothing else is checked)."""
    return HttpResponse("ok\n", content_type="text/plain")


def readiness_problem() -> str | None:
    """Why this process should not take traffic, or None when the database answers and is migrated."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"database unavailable: {first_line}"
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return f"{len(plan)} migration(s) not applied: {names}{more}"
    return None


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready or not, and nothing more: the reason (database errors, migration names) goes to the log."""
    problem = readiness_problem()
    if problem:
        logger.warning("not ready: %s", problem)
        return HttpResponse("not ready\n", status=503, content_type="text/plain")
    return HttpResponse("ready\n", content_type="text/plain")


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(text, strict=False) for text in configured)
    except ValueError as error:
        raise ImproperlyConfigured(f"HUSHDOR_METRICS_ALLOW: {error}") from error


def metrics_access(request: HttpRequest) -> tuple[bool, str]:
    """(allowed, why not): a matching bearer token, or a client address inside an allowed network."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        if hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode()):
            return True, ""
        return False, "wrong bearer token"
    networks = _networks(tuple(settings.METRICS_ALLOWED_NETWORKS))
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False, "no client address"
    if any(client in network for network in networks):
        return True, ""
    if not token and not networks:
        return False, "metrics are closed: set HUSHDOR_METRICS_TOKEN or HUSHDOR_METRICS_ALLOW"
    return False, f"client {client} not allowed and no valid bearer token"


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    allowed, reason = metrics_access(request)
    if not allowed:
        logger.warning("/metrics refused: %s", reason)
        response = HttpResponse("forbidden\n", status=401 if settings.METRICS_TOKEN else 403)
        if settings.METRICS_TOKEN:
            response["WWW-Authenticate"] = 'Bearer realm="hushdor-metrics"'
        response["Content-Type"] = "text/plain"
        return response
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


def process_metric_lines() -> Iterable[str]:
    yield from metrics.family("hushdor_up", "gauge", "1 while the web process answers.")
    yield metrics.sample("hushdor_up", 1)
    yield from metrics.family("hushdor_build_info", "gauge", "The running version of Hushdor.")
    yield metrics.sample("hushdor_build_info", 1, {"version": hushdor.__version__})


def worker_metric_lines() -> Iterable[str]:
    from hushdor.worker.models import JobState

    states = list(JobState.objects.order_by("name"))
    yield from metrics.family(
        "hushdor_worker_job_consecutive_failures",
        "gauge",
        "Failures of the periodic job since its last success.",
    )
    for state in states:
        yield metrics.sample(
            "hushdor_worker_job_consecutive_failures", state.consecutive_failures, {"job": state.name}
        )
    yield from metrics.family(
        "hushdor_worker_job_last_success_timestamp_seconds", "gauge", "Unix time of the job's last success."
    )
    for state in states:
        if state.last_success is not None:
            yield metrics.sample(
                "hushdor_worker_job_last_success_timestamp_seconds",
                float(state.last_success.timestamp()),
                {"job": state.name},
            )
    yield from metrics.family("hushdor_worker_job_runs_total", "counter", "Runs of the periodic job.")
    for state in states:
        yield metrics.sample("hushdor_worker_job_runs_total", state.runs, {"job": state.name})
