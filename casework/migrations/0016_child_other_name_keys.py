"""Child.other_name_keys: the words of the middle and other names, normalised, for "Find a
child" (issue 14 item 4).

The search found a word among the middle and other names with a trigram GIN index and
``word <% column``; over 1,000,000 children each such scan read the posting lists of every
trigram of the word (16-28 ms each, five of them for a two-word name). Now a word's similar
names come from ``casework_child_name`` (which gets these words too) and the children are
found by exact word: a GIN index over ``string_to_array(other_name_keys, ' ')`` answers
``&&`` (overlap) from the posting lists of those few words only. Both GIN indexes here (this one, and the names table's trigram index) are
``fastupdate = off``: with it on, new entries wait in a "pending list" that every search reads
through in full until a vacuum merges it; after a bulk load of 1,000,000 children that list
cost 40-80 ms per scan (the search's 158 ms p95 was largely this). Children are written a few
at a time (triage), so writing each entry into the index at once costs nothing that shows.
The trigram indexes on the two free-text columns are dropped (nothing reads them now; the score's ``word_similarity``
is computed on the candidates only).

Existing rows are filled in batches (anyascii folding is Python's); only rows with a middle
or other name are read. SQLite (``make run``) gets the column and the filled values; its
search compares row by row.
"""

from __future__ import annotations

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

BATCH = 2000

NAME_FUNCTION = """
    CREATE OR REPLACE FUNCTION casework_child_name_add() RETURNS trigger AS $$
    BEGIN
        INSERT INTO casework_child_name (key)
        SELECT k FROM (
            VALUES (NEW.last_name_key), (NEW.first_name_key)
            UNION ALL SELECT unnest(string_to_array(NEW.other_name_keys, ' '))
        ) AS v (k)
        WHERE k <> ''
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
"""
OLD_NAME_FUNCTION = """
    CREATE OR REPLACE FUNCTION casework_child_name_add() RETURNS trigger AS $$
    BEGIN
        INSERT INTO casework_child_name (key)
        SELECT k FROM (VALUES (NEW.last_name_key), (NEW.first_name_key)) AS v (k)
        WHERE k <> ''
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
"""
TRIGGER = """
    CREATE TRIGGER casework_child_name_add
        AFTER INSERT OR UPDATE OF last_name_key, first_name_key{more} ON casework_child
        FOR EACH ROW EXECUTE FUNCTION casework_child_name_add()
"""
INDEX = "child_other_name_keys_gin"
TRIGRAM = [
    ("child_middle_names_trgm", "middle_names"),
    ("child_other_names_trgm", "other_names"),
]


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from casework.matching.keys import other_name_keys

    Child = apps.get_model("casework", "Child")
    named = Child.objects.exclude(middle_names="", other_names="").filter(
        anonymised_at__isnull=True
    )
    last_pk = 0
    while batch := list(named.filter(pk__gt=last_pk).order_by("pk")[:BATCH]):
        for child in batch:
            child.other_name_keys = other_name_keys(child.middle_names, child.other_names)
        Child.objects.bulk_update(batch, ["other_name_keys"])
        last_pk = batch[-1].pk


def index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        NAME_FUNCTION,
        "DROP TRIGGER IF EXISTS casework_child_name_add ON casework_child",
        TRIGGER.format(more=", other_name_keys"),
        "INSERT INTO casework_child_name (key) SELECT DISTINCT unnest(string_to_array("
        "other_name_keys, ' ')) FROM casework_child WHERE other_name_keys <> '' "
        "ON CONFLICT DO NOTHING",
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON casework_child USING gin "
        "((string_to_array(other_name_keys, ' '))) WITH (fastupdate = off) "
        "WHERE other_name_keys <> ''",
        "ALTER INDEX child_name_key_trgm SET (fastupdate = off)",
        *(f"DROP INDEX CONCURRENTLY IF EXISTS {name}" for name, _ in TRIGRAM),
    ):
        schema_editor.execute(statement)


def unindex(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        *(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON casework_child "
            f"USING gin ({column} gin_trgm_ops)"
            for name, column in TRIGRAM
        ),
        f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}",
        "ALTER INDEX child_name_key_trgm RESET (fastupdate)",
        OLD_NAME_FUNCTION,
        "DROP TRIGGER IF EXISTS casework_child_name_add ON casework_child",
        TRIGGER.format(more=""),
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("casework", "0015_child_match_dob_outward")]

    operations = [
        migrations.AddField(
            model_name="child",
            name="other_name_keys",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="historicalchild",
            name="other_name_keys",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, unindex),
    ]
