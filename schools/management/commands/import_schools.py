"""``manage.py import_schools FILE.csv [--la-code 999] [--dry-run] [--allow-changes]``: load
the GIAS file.

The work is done by :func:`schools.gias.importing.schools_import_gias`; this only reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schools.gias import GiasFileError, ImportResult, schools_import_gias

#: At most this many bad rows (or protected changes) are printed; the rest are counted.
MAX_PROBLEMS_SHOWN = 50


def _message(first_line: str, items: Sequence[object]) -> str:
    """`first_line`, then the items, at most MAX_PROBLEMS_SHOWN of them."""
    lines = [first_line, *(f"  {item}" for item in items[:MAX_PROBLEMS_SHOWN])]
    if len(items) > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... and {len(items) - MAX_PROBLEMS_SHOWN} more")
    return "\n".join(lines)


def problems_message(result: ImportResult) -> str:
    count = len(result.problems)
    return _message(
        f"{count} row{'s' if count != 1 else ''} could not be imported "
        f"(the other rows were{' checked' if result.dry_run else ''}). "
        "Correct the file and run the import again for them.",
        result.problems,
    )


def protected_message(result: ImportResult) -> str:
    count = len(result.protected_changes)
    return _message(
        f"Nothing was imported: {count} school{'s' if count != 1 else ''} with staff or "
        "returns would change LA or open status. Check the file is the right one; to make "
        "the changes, run the import again with --allow-changes.",
        result.protected_changes,
    )


class Command(BaseCommand):
    help = (
        "Create and update schools from the DfE Get Information About Schools (GIAS) "
        "establishment CSV. Bad rows are listed and the rest imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The GIAS establishment CSV file")
        parser.add_argument(
            "--la-code", metavar="CODE", help="Import only this LA's schools (e.g. 999)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count, but write nothing"
        )
        parser.add_argument(
            "--allow-changes",
            action="store_true",
            help="Go on when a school with staff or returns would change LA or open status",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = schools_import_gias(
                rows_or_file=options["file"],
                la_code=options["la_code"],
                dry_run=options["dry_run"],
                allow_changes=options["allow_changes"],
            )
        except GiasFileError as exc:
            raise CommandError(str(exc)) from exc
        if result.blocked:
            raise CommandError(protected_message(result))

        prefix = "Dry run, nothing written: would have " if result.dry_run else ""
        self.stdout.write(
            f"{prefix}created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, skipped (other LAs) {result.skipped_other_la} "
            f"from {result.rows} row{'' if result.rows == 1 else 's'}."
        )
        if result.skipped_not_establishments:
            self.stderr.write(
                f"  {result.skipped_not_establishments} children's centre rows skipped "
                "(not schools)"
            )
        for gias_type, count in sorted(result.unmapped_types.items()):
            self.stdout.write(f'  GIAS type "{gias_type}" imported as Other ({count})')
        if result.protected_changes:  # allowed
            self.stdout.write(
                _message(
                    f"Changed with --allow-changes ({len(result.protected_changes)}):",
                    result.protected_changes,
                )
            )
        if result.problems:
            self.stderr.write(problems_message(result))
        if not result.dry_run:
            self.stdout.write(self.style.SUCCESS("Import complete."))
