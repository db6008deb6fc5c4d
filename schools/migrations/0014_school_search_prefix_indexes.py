"""The school search's town and postcode matches use b-tree prefix indexes, on PostgreSQL
(issue 16 item 2: the search read the whole national directory for every keystroke).

The search (schools/directory_search.py) matches each word anywhere in the name, and at the
start of the town or of the postcode with its spaces removed. 0011 gave all three a GIN
trigram index, but PostgreSQL never used them together: a town or a postcode has few distinct
trigrams, each shared by thousands of rows, so the planner costed their bitmap scans above a
sequential scan and read all ~50,000 rows (EXPLAIN on a generated national directory: Seq Scan,
58 ms for "primary", which two schools match). A start-of-text LIKE is what a b-tree with
``text_pattern_ops`` answers (a range scan, whatever the collation), so the town and postcode
get those instead, over exactly the expressions Django writes for ``istartswith`` and the
compacted postcode; the name keeps its trigram index (0011), the only one that serves a
match anywhere in the text. With these the planner takes a BitmapOr of the three (2.6 ms for
"primary"). The two unused trigram indexes go: each GIN index slows the GIAS import's COPY.

Built CONCURRENTLY, outside a transaction, as 0011; nothing on SQLite (``make run``), where
the search scans the few demo schools; nothing in the model state.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

#: (name, expression): as directory_search's lookups render them.
PREFIX = [
    ("school_town_upper_prefix", 'UPPER("town"::text)'),
    ("school_postcode_compact_prefix", "UPPER(REPLACE(\"postcode\", ' ', ''))"),
]
#: 0011's trigram indexes that a prefix match never used.
UNUSED_TRIGRAM = [
    ("school_town_upper_trgm", 'UPPER("town"::text)'),
    ("school_postcode_compact_trgm", "UPPER(REPLACE(\"postcode\", ' ', ''))"),
]


def _swap(
    schema_editor: BaseDatabaseSchemaEditor,
    build: list[tuple[str, str]],
    method: str,
    drop: list[tuple[str, str]],
) -> None:
    """Build the indexes `build` (each ``USING {method}`` with its expression in place of
    ``{expr}``), then drop those of `drop`."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in build:
        using = method.replace("{expr}", expression)
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON schools_school USING {using}"
        )
    for name, _ in drop:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _swap(schema_editor, PREFIX, "btree (({expr}) text_pattern_ops)", UNUSED_TRIGRAM)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _swap(schema_editor, UNUSED_TRIGRAM, "gin (({expr}) gin_trgm_ops)", PREFIX)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("schools", "0013_ctf_uprn_contact_address_phones_relationship_code")]

    operations = [migrations.RunPython(create, drop)]
