"""Test configuration shared by the whole suite.

Every test that touches the database is marked ``database`` automatically, so that
``make test`` can run exactly those again on PostgreSQL (HUSHDOR_TEST_POSTGRES_URL).

The repository stands alone: a clone into an empty folder must pass with nothing beside it. An
audit hook refuses, during the whole run, to open anything in a ``shared`` folder beside the
checkout (where the project's research material lives on developers' machines), so a test that
reads it fails here and now instead of only on a user's machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
RESEARCH_FOLDER = "shared"  # the developers' research folder beside the checkout (never in a clone)
BESIDE_THE_CHECKOUT = str(REPOSITORY_ROOT.parent / RESEARCH_FOLDER) + os.sep


class OutsideTheRepositoryError(PermissionError):
    """A test opened a file from beside the checkout, which a user's clone does not have."""


def _refuse_reads_beside_the_checkout(event: str, args: tuple) -> None:
    if event != "open" or not args or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path = os.fsdecode(args[0])
    if not os.path.isabs(path):
        path = os.path.join(os.getcwd(), path)
    if (os.path.normpath(path) + os.sep).startswith(BESIDE_THE_CHECKOUT):
        raise OutsideTheRepositoryError(
            f"the tests must not read {path}: it is outside the repository ({REPOSITORY_ROOT}); "
            "copy what a test needs into tests/data/ with its provenance"
        )


sys.addaudithook(_refuse_reads_beside_the_checkout)

_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "admin_client",
    "admin_user",
    "django_user_model",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("django_db") or _DB_FIXTURES.intersection(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.database)


def _flush_with_the_logbook_unlocked(original):
    """The SQLite logbook trigger refuses DELETE unless the maintenance table holds a row (operations
    0002). A TransactionTestCase flush empties every table, the logbook too: it runs unlocked, and
    the lock is back right after, so the append-only tests see the database as production does."""

    def teardown(self):
        from django.db import connections

        unlocked = []
        for alias in connections:
            connection = connections[alias]
            if connection.vendor == "sqlite" and "operations_logbook_maintenance" in connection.introspection.table_names():
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO operations_logbook_maintenance (reason) VALUES ('test flush')")
                unlocked.append(connection)
        try:
            original(self)
        finally:
            for connection in unlocked:
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM operations_logbook_maintenance")

    return teardown


def pytest_configure(config: pytest.Config) -> None:
    from django.test import TransactionTestCase

    TransactionTestCase._fixture_teardown = _flush_with_the_logbook_unlocked(TransactionTestCase._fixture_teardown)


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright (skips where either is missing).

    Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a thread
    with a running loop: tests write their data before this fixture starts (fixture order)."""
    import shutil

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
