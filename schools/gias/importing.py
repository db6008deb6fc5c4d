"""Writing the schools of a GIAS establishment file (see `schools.gias`).

The file is read as a stream and written in batches of :data:`BATCH_SIZE` of the new and
changed schools only (`write_schools`), all in one transaction: a file refused at its end
(a protected change, a children's-centre file) leaves nothing behind. What is held is a tuple of the imported fields per school already
in the database, to tell created, updated and unchanged apart without a query per row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.db import connections, router, transaction
from django.db.models import Field
from django.utils import timezone

from cme.models import User
from schools.gias.parsing import ParsedRow, RowProblem, Skip, normalise_la_code, parse_row
from schools.gias.reading import GiasFileError, Source, read_records
from schools.models import School, SchoolMembership, SchoolReturn

BATCH_SIZE = 5000
_STAGING = "gias_import_staging"

#: The fields an import sets, compared to decide "updated" or "unchanged".
FIELDS = (
    "name",
    "school_type",
    "gias_type",
    "phase",
    "la_code",
    "postcode",
    "is_open",
    "town",
    "close_date",
)
_LA, _OPEN = FIELDS.index("la_code"), FIELDS.index("is_open")

NOT_ESTABLISHMENTS_FILE = (
    "This file has only children's centres, which are not schools: nothing was imported. "
    "Download the establishments file (edubasealldata) from GIAS."
)


@dataclass(frozen=True)
class ProtectedChange:
    """An import would move a school that has staff or returns to another LA, or open or
    close it: a wrong file (or a demo school's URN) would carry its pupils' returns along."""

    row: int
    urn: int
    name: str
    changes: tuple[str, ...]

    def __str__(self) -> str:
        return f"Row {self.row}: {self.name} (URN {self.urn}): {', '.join(self.changes)}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_other_la: int = 0
    #: Children's centres and their linked sites, which are not imported.
    skipped_not_establishments: int = 0
    dry_run: bool = False
    #: Rows not imported because they are bad; the other rows were imported.
    problems: list[RowProblem] = field(default_factory=list)
    #: GIAS type wordings not in `ESTABLISHMENT_TYPES`, imported as OTHER, with their counts.
    unmapped_types: Counter[str] = field(default_factory=Counter)
    #: Changes to the LA or status of schools in use; with any, nothing is written unless
    #: the import was asked to allow them.
    protected_changes: list[ProtectedChange] = field(default_factory=list)
    blocked: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.blocked

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.blocked and bool(self.created or self.updated)


class _Writer:
    """Collects the new and changed schools and writes them a batch at a time."""

    def __init__(self, result: ImportResult, *, by: User | None, allow_changes: bool) -> None:
        self.result = result
        self.by = by
        self.allow_changes = allow_changes
        self.now: datetime = timezone.now()
        self.existing: dict[int, tuple[Any, ...]] = {
            row[0]: row[1:] for row in School.objects.values_list("urn", "pk", *FIELDS)
        }
        self.in_use: set[int] = set(
            SchoolMembership.objects.values_list("school_id", flat=True).distinct()
        ) | set(SchoolReturn.objects.values_list("school_id", flat=True).distinct())
        self.first_row: dict[int, int] = {}
        self.by_id = by.pk if by is not None else None
        self.new: list[tuple[Any, ...]] = []
        self.changed: list[tuple[Any, ...]] = []
        if not result.dry_run:
            lock_schools()

    @property
    def writing(self) -> bool:
        # Once a protected change is found nothing will be kept: stop sending rows.
        return not self.result.dry_run and not (
            self.result.protected_changes and not self.allow_changes
        )

    def add(self, number: int, item: ParsedRow) -> None:
        result = self.result
        if item.urn in self.first_row:
            result.problems.append(
                RowProblem(number, f"URN {item.urn} is also on row {self.first_row[item.urn]}")
            )
            return
        self.first_row[item.urn] = number
        if item.unmapped:
            result.unmapped_types[item.values["gias_type"] or "(blank)"] += 1
        values = tuple(item.values[name] for name in FIELDS)
        held = self.existing.get(item.urn)
        if held is None:
            result.created += 1
            batch = self.new
        elif held[1:] == values:
            result.unchanged += 1
            return
        else:
            result.updated += 1
            self._check_protected(number, item, held)
            batch = self.changed
        if self.writing:
            # Tuples, not School instances: building 50,000 models is 3 s of a 10 s budget.
            batch.append((item.urn, *values, self.now, self.by_id, self.now, self.by_id))
            if len(batch) >= BATCH_SIZE:
                self.flush()

    def _check_protected(self, number: int, item: ParsedRow, held: tuple[Any, ...]) -> None:
        if held[0] not in self.in_use:
            return
        old_la, old_open = held[1 + _LA], held[1 + _OPEN]
        changes = []
        if old_la != item.values["la_code"]:
            changes.append(f"LA {old_la} to {item.values['la_code']}")
        if old_open != item.values["is_open"]:
            changes.append("open to closed" if old_open else "closed to open")
        if changes:
            self.result.protected_changes.append(
                ProtectedChange(number, item.urn, item.values["name"], tuple(changes))
            )

    def flush(self) -> None:
        if self.writing and (self.new or self.changed):
            write_schools(new=self.new, changed=self.changed)
        self.new, self.changed = [], []


#: The columns of the rows `write_schools` takes, in order.
COLUMNS = ("urn", *FIELDS, "created_at", "created_by", "updated_at", "updated_by")


def lock_schools() -> None:
    """Hold off other writers to the directory (a second import, an administrator's edit)
    until this import commits, so what it read of the schools held stays true; reading them
    is not held up. PostgreSQL only (SQLite has one writer at a time anyway)."""
    connection = connections[router.db_for_write(School)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(School._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def write_schools(*, new: list[tuple[Any, ...]], changed: list[tuple[Any, ...]]) -> None:
    """Insert the `new` schools and update the `changed` ones (values in the order of
    `COLUMNS`), keeping who made them and when. On PostgreSQL through COPY, which is 5 to 10
    times quicker for a whole national file than ``bulk_create``'s parametrised INSERT (the
    SQL it builds, and its quoting, cost more than the database's work): the new straight
    into the table, the changed into a temporary table and then one UPDATE. Elsewhere with
    ``bulk_create``."""
    connection = connections[router.db_for_write(School)]
    opts = School._meta
    fields = [cast("Field[Any, Any]", opts.get_field(name)) for name in COLUMNS]
    if not use_copy(connection.vendor):
        School.objects.bulk_create(
            [
                School(**{f.attname: v for f, v in zip(fields, row, strict=True)})
                for row in (*new, *changed)
            ],
            update_conflicts=True,
            unique_fields=["urn"],
            update_fields=[*FIELDS, "updated_at", "updated_by"],
        )
        return
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    urn = quote("urn")
    updates = ", ".join(
        f"{quote(f.column)} = {_STAGING}.{quote(f.column)}"
        for f in fields
        if f.name not in {"urn", "created_at", "created_by"}
    )
    # Table and column names come from the model; the values go through COPY, never SQL.
    with connection.cursor() as cursor:
        if new:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in new:
                    copy.write_row(row)
        if changed:
            cursor.execute(f"DROP TABLE IF EXISTS {_STAGING}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_STAGING} AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cursor.copy(f"COPY {_STAGING} ({columns}) FROM STDIN") as copy:
                for row in changed:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} SET {updates} FROM {_STAGING} "  # noqa: S608
                f"WHERE {table}.{urn} = {_STAGING}.{urn}"
            )
            cursor.execute(f"DROP TABLE {_STAGING}")


def use_copy(vendor: str) -> bool:
    """Whether `write_schools` loads through COPY (PostgreSQL's); a test turns it off."""
    return vendor == "postgresql"


def schools_import_gias(
    *,
    rows_or_file: Source,
    la_code: str | None = None,
    dry_run: bool = False,
    allow_changes: bool = False,
    by: User | None = None,
) -> ImportResult:
    """Create and update schools from a GIAS establishment file.

    ``rows_or_file`` is a path, a binary file (an upload) or text stream of the CSV, or
    already-read rows (mappings keyed by GIAS column name). With ``la_code`` only that LA's
    rows are imported. With ``dry_run`` the counts are worked out but nothing is written.
    A change to the LA or status of a school with staff or returns stops the import (nothing
    is written, :attr:`ImportResult.blocked`) unless ``allow_changes``. ``by`` is recorded as
    the creator and updater of the rows written.

    A bad row is listed in :attr:`ImportResult.problems` and the rest are imported. Raises
    :class:`GiasFileError`, with nothing written, for a file that is not a GIAS
    establishments file at all.
    """
    wanted_la = None
    if la_code is not None:
        wanted_la = normalise_la_code(la_code)
        if wanted_la is None:
            raise GiasFileError(f'LA code "{la_code}" is not a number of 1 to 3 digits')

    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        writer = _Writer(result, by=by, allow_changes=allow_changes)
        for number, row in read_records(rows_or_file):
            result.rows += 1
            outcome = parse_row(row, wanted_la)
            if isinstance(outcome, ParsedRow):
                writer.add(number, outcome)
            elif outcome is Skip.OTHER_LA:
                result.skipped_other_la += 1
            elif outcome is Skip.NOT_AN_ESTABLISHMENT:
                result.skipped_not_establishments += 1
            else:
                result.problems.append(RowProblem(number, outcome))
        writer.flush()
        if result.skipped_not_establishments and not writer.first_row:
            raise GiasFileError(NOT_ESTABLISHMENTS_FILE)
        if result.protected_changes and not allow_changes:
            result.blocked = True
            transaction.set_rollback(True)
    return result
