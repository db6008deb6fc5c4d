"""Indexes for "Find a child" (casework/selectors/search.py, issue 14 items 3 and 4).

PostgreSQL: the pg_trgm and fuzzystrmatch extensions; GIN trigram indexes over the normalised
names and the middle and other names, so that a name with a typo is found by ``%`` / ``<%`` from an
index rather than by reading a million rows; Double Metaphone codes of the normalised names
(expression indexes); b-trees on date of birth and NHS number (UPN, postcode and the
surname's metaphone key have theirs already). Built CONCURRENTLY, outside a
transaction, so that a live service keeps taking writes while a large table is indexed.

SQLite (``make run``) has no pg_trgm and the search compares names row by row: only the two
b-trees, which it understands. None of these is declared on the model, so they stay out of
the model state (as in 0004_job_partial_indexes).

Creating the extensions needs a role allowed to (a superuser, or ``CREATE`` on the database
with pg_trgm trusted, as it is from PostgreSQL 13).
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TRIGRAM = [
    ("child_last_name_key_trgm", "last_name_key gin_trgm_ops"),
    ("child_first_name_key_trgm", "first_name_key gin_trgm_ops"),
    ("child_middle_names_trgm", "middle_names gin_trgm_ops"),
    ("child_other_names_trgm", "other_names gin_trgm_ops"),
]
#: Double Metaphone codes (fuzzystrmatch), so that Kahn finds Khan and Muhammad Mohammed.
PHONETIC = [
    ("child_last_name_dmetaphone_idx", "dmetaphone(last_name_key)"),
    ("child_first_name_dmetaphone_idx", "dmetaphone(first_name_key)"),
]
BTREE = [
    ("child_date_of_birth_idx", "date_of_birth", ""),
    ("child_nhs_number_idx", "nhs_number", " WHERE nhs_number <> ''"),
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    concurrently = " CONCURRENTLY" if postgres else ""
    if postgres:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
        for name, expression in TRIGRAM:
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
                f"ON casework_child USING gin ({expression})"
            )
        for name, expression in PHONETIC:
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON casework_child (({expression}))"
            )
    for name, column, where in BTREE:
        schema_editor.execute(
            f"CREATE INDEX{concurrently} IF NOT EXISTS {name} ON casework_child ({column}){where}"
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    names = [name for name, _ in TRIGRAM + PHONETIC] + [name for name, _, _ in BTREE]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    # The extensions stay: other database objects may use them, and they hold no data.


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("casework", "0009_case_status_category_one_open")]

    operations = [migrations.RunPython(create, drop)]
