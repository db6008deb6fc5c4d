"""Indexes for "Find a child" (casework/selectors/search.py, issue 14 items 3 and 4).

PostgreSQL:

* the pg_trgm and fuzzystrmatch extensions;
* ``casework_child_name``, every distinct normalised first name and surname, kept by a
  trigger on ``casework_child``, with a GIN trigram index. A name with a typo is looked up
  among the names (tens of thousands) rather than among the children (a million): a trigram
  index over the children's own column has posting lists of hundreds of thousands of rows for
  a common trigram ("  s", "ith"), and reading them costs more than the search may take. The
  children are then fetched by exact key from the b-trees they already have. Names are only
  added (a name nobody has any more finds nobody);
* GIN trigram indexes over the middle and other names (free text, mostly empty);
* Double Metaphone codes of the normalised names (expression indexes), so that Kahn finds
  Khan and Muhammad finds Mohammed;
* b-trees on date of birth and NHS number (UPN, postcode and the surname's metaphone key have
  theirs already).

Indexes are built CONCURRENTLY, outside a transaction, so that a live service keeps taking
writes while a large table is indexed. Creating the extensions needs a role allowed to (a
superuser, or CREATE on the database: both are trusted extensions from PostgreSQL 13).

SQLite (``make run``) has neither extension, and the search compares names row by row: only
the two b-trees. Nothing here is declared on a model, so it stays out of the model state (as
in 0004_job_partial_indexes).
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

#: One statement each (a migration's execute() takes one at a time).
NAMES_TABLE = [
    "CREATE TABLE IF NOT EXISTS casework_child_name (key varchar(100) PRIMARY KEY)",
    """
    CREATE OR REPLACE FUNCTION casework_child_name_add() RETURNS trigger AS $$
    BEGIN
        INSERT INTO casework_child_name (key)
        SELECT k FROM (VALUES (NEW.last_name_key), (NEW.first_name_key)) AS v (k)
        WHERE k <> ''
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS casework_child_name_add ON casework_child",
    """
    CREATE TRIGGER casework_child_name_add
        AFTER INSERT OR UPDATE OF last_name_key, first_name_key ON casework_child
        FOR EACH ROW EXECUTE FUNCTION casework_child_name_add()
    """,
    """
    INSERT INTO casework_child_name (key)
        SELECT last_name_key FROM casework_child WHERE last_name_key <> ''
        UNION SELECT first_name_key FROM casework_child WHERE first_name_key <> ''
        ON CONFLICT DO NOTHING
    """,
]
DROP_NAMES_TABLE = [
    "DROP TRIGGER IF EXISTS casework_child_name_add ON casework_child",
    "DROP FUNCTION IF EXISTS casework_child_name_add()",
    "DROP TABLE IF EXISTS casework_child_name",
]
#: (name, table, expression): GIN trigram indexes.
TRIGRAM = [
    ("child_name_key_trgm", "casework_child_name", "key gin_trgm_ops"),
    ("child_middle_names_trgm", "casework_child", "middle_names gin_trgm_ops"),
    ("child_other_names_trgm", "casework_child", "other_names gin_trgm_ops"),
]
#: Double Metaphone codes (fuzzystrmatch's dmetaphone, immutable).
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
        for statement in NAMES_TABLE:
            schema_editor.execute(statement)
        for name, table, expression in TRIGRAM:
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
                f"ON {table} USING gin ({expression})"
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
    names = [n for n, _, _ in TRIGRAM] + [n for n, _ in PHONETIC] + [n for n, _, _ in BTREE]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_NAMES_TABLE:
            schema_editor.execute(statement)
    # The extensions stay: other database objects may use them, and they hold no data.


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("casework", "0012_cme_reason")]

    operations = [migrations.RunPython(create, drop)]
