"""Test configuration shared by the whole suite.

Every test that touches the database is marked ``database`` automatically, so that
``make test`` can run exactly those again on PostgreSQL (HUSHDOR_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import pytest

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
