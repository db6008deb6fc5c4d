"""Bulk writing for ``seed_scale``: rows as dicts with ids assigned here, written with
PostgreSQL ``COPY`` (``executemany`` elsewhere, for the tests), never through a model's save."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

BATCH = 5000


class Writer:
    """Writes rows of one model's own table (an MTI child writes its ptr and own fields)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.local_concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.count = 0

    def tuples(self, rows: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
        pg = connection.vendor == "postgresql"
        if pg:
            from psycopg.types.json import Jsonb

        for row in rows:
            values = []
            for f in self.fields:
                value = row.get(f.attname, self.defaults[f.attname])
                if pg:
                    if f.attname in self.json:
                        value = Jsonb(value)
                else:
                    value = f.get_db_prep_save(value, connection)
                values.append(value)
            yield tuple(values)

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                n = 0
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for values in self.tuples(rows):
                        copy.write_row(values)
                        n += 1
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
                n = self._insert(cursor, sql, self.tuples(rows))
        self.count += n
        return n

    @staticmethod
    def _insert(cursor: Any, sql: str, tuples: Iterable[tuple[Any, ...]]) -> int:
        n = 0
        batch: list[tuple[Any, ...]] = []
        for values in tuples:
            batch.append(values)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
        return n


def next_id(model: type[models.Model]) -> int:
    """The first id after the table's rows (the sequences are reset at the end)."""
    top = model._default_manager.aggregate(m=models.Max("pk"))["m"]
    return (top or 0) + 1


class Batches:
    """Rows waiting for several tables, written together (in the order the models are given)
    once the first table has BATCH rows; each table's ids are handed out from its next id."""

    def __init__(self, *tables: type[models.Model]) -> None:
        self.writers = {m: Writer(m) for m in tables}
        self.rows: dict[type[models.Model], list[dict[str, Any]]] = {m: [] for m in tables}
        self.ids = {m: next_id(m) for m in tables}
        self.first = tables[0]

    def take_id(self, model: type[models.Model]) -> int:
        """The next id of `model`'s table."""
        pk = self.ids[model]
        self.ids[model] = pk + 1
        return pk

    def add(self, model: type[models.Model], row: dict[str, Any]) -> None:
        self.rows[model].append(row)

    def flush_if_full(self) -> None:
        if len(self.rows[self.first]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for model, writer in self.writers.items():
            writer.write(self.rows[model])
            self.rows[model].clear()

    def count(self, model: type[models.Model]) -> int:
        """How many rows of `model` have been written."""
        return self.writers[model].count


def reset_sequences(touched: Sequence[type[models.Model]]) -> None:
    """Move each table's id sequence past the ids written here."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
