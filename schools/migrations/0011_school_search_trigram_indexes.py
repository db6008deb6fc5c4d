"""Trigram indexes for the school picker's search (schools/directory_search.py, issue 16
item 2), on PostgreSQL.

The search matches every word typed against the name (anywhere: ``UPPER(name) LIKE
'%WORD%'``), the town (its start) and the postcode with its spaces removed (its start). A
b-tree cannot serve a LIKE with a leading wildcard, nor one over ``UPPER(...)``: without these
each keystroke reads the whole national directory (about 50,000 rows). GIN trigram indexes
(pg_trgm) over exactly the expressions Django writes for ``icontains``, ``istartswith`` and
the compacted postcode serve all three, so the search reads only the rows that share the
word's trigrams.

Built CONCURRENTLY, outside a transaction, so that a live service keeps taking writes while
they build. pg_trgm is a trusted extension (PostgreSQL 13+); casework's 0013_search_indexes
creates it too (IF NOT EXISTS either way, and this app sits below casework, so it cannot rely
on that migration having run).

SQLite (``make run``) has no pg_trgm: nothing is created there, and the search scans the few
demo schools. Nothing here is declared on a model, so it stays out of the model state (as in
0004_job_partial_indexes and casework's 0013_search_indexes).
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

#: (name, expression): the expressions as directory_search's lookups render them.
TRIGRAM = [
    ("school_name_upper_trgm", 'UPPER("name"::text)'),
    ("school_town_upper_trgm", 'UPPER("town"::text)'),
    ("school_postcode_compact_trgm", "UPPER(REPLACE(\"postcode\", ' ', ''))"),
]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON schools_school USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in TRIGRAM:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    # pg_trgm stays: other indexes (casework's) use it.


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("schools", "0010_ctf_address_and_contact_parts")]

    operations = [migrations.RunPython(create, drop)]
