"""``manage.py import_schools FILE.csv [--la-code 999] [--dry-run]``: load the GIAS file.

The work is done by :func:`schools.gias.importing.schools_import_gias`; this only reports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from schools.gias import GiasFileError, ImportResult, schools_import_gias

#: At most this many bad rows are printed; the rest are counted.
MAX_PROBLEMS_SHOWN = 50


def problems_message(result: ImportResult) -> str:
    count = len(result.problems)
    lines = [
        f"{count} row{'s' if count != 1 else ''} could not be imported, "
        "so nothing was imported. Correct the file and run the import again."
    ]
    lines += [f"  {problem}" for problem in result.problems[:MAX_PROBLEMS_SHOWN]]
    if count > MAX_PROBLEMS_SHOWN:
        lines.append(f"  ... and {count - MAX_PROBLEMS_SHOWN} more")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Create and update schools from the DfE Get Information About Schools (GIAS) "
        "establishment CSV. All or nothing: if any row is bad, nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The GIAS establishment CSV file")
        parser.add_argument(
            "--la-code", metavar="CODE", help="Import only this LA's schools (3 digits, e.g. 999)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count, but write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = schools_import_gias(
                rows_or_file=options["file"],
                la_code=options["la_code"],
                dry_run=options["dry_run"],
            )
        except GiasFileError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            raise CommandError(problems_message(result))

        prefix = "Dry run, nothing written: would have " if result.dry_run else ""
        self.stdout.write(
            f"{prefix}created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, skipped (other LAs) {result.skipped_other_la} "
            f"from {result.rows} row{'' if result.rows == 1 else 's'}."
        )
        for gias_type, count in sorted(result.unmapped_types.items()):
            self.stdout.write(f'  GIAS type "{gias_type}" imported as Other ({count})')
        if not result.dry_run:
            self.stdout.write(self.style.SUCCESS("Import complete."))
