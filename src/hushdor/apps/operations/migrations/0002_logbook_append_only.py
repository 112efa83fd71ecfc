"""The logbook is append-only in the database too, whatever code runs against it.

PostgreSQL: a trigger refuses every UPDATE and DELETE of a log entry (a TRUNCATE of the whole table,
which only a database administrator or a test flush does, is not a row change).
SQLite: triggers refuse every UPDATE, and every DELETE unless a row is in the maintenance table
``operations_logbook_maintenance`` — which the application never writes; a database administrator
(or the test suite, around its database flush: tests/conftest.py) sets it deliberately.
"""

from django.db import migrations

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION operations_logentry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the logbook is append-only: write a correction instead';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER operations_logentry_append_only BEFORE UPDATE OR DELETE ON operations_logentry
    FOR EACH ROW EXECUTE FUNCTION operations_logentry_append_only()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS operations_logentry_append_only ON operations_logentry",
    "DROP FUNCTION IF EXISTS operations_logentry_append_only()",
]
SQLITE = [
    "CREATE TABLE IF NOT EXISTS operations_logbook_maintenance (reason TEXT NOT NULL)",
    """CREATE TRIGGER operations_logentry_no_update BEFORE UPDATE ON operations_logentry
    BEGIN SELECT RAISE(ABORT, 'the logbook is append-only: write a correction instead'); END""",
    """CREATE TRIGGER operations_logentry_no_delete BEFORE DELETE ON operations_logentry
    WHEN NOT EXISTS (SELECT 1 FROM operations_logbook_maintenance)
    BEGIN SELECT RAISE(ABORT, 'the logbook is append-only: entries are never deleted'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS operations_logentry_no_update",
    "DROP TRIGGER IF EXISTS operations_logentry_no_delete",
    "DROP TABLE IF EXISTS operations_logbook_maintenance",
]


def forward(apps, schema_editor):
    statements = POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = POSTGRESQL_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
