"""Small GIAS files for the import tests, in the real extracts' layout (tests/data/gias/)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

from django.core.management import call_command

from demo.gias_file import gias_rows, read_template

GIAS = Path(__file__).resolve().parent.parent / "data" / "gias"
NPQ = GIAS / "npq_gias_sample.csv"
ITTMS = GIAS / "ittms_gias_subset.csv"
OLDER = GIAS / "se_edubase.csv"
UPDATE = GIAS / "npq_gias_update.csv"
TYPES = GIAS / "establishment_types_20250109.csv"


def national_types() -> list[str]:
    """Every "TypeOfEstablishment (name)" in the national file of 9 January 2025."""
    with TYPES.open(encoding="utf-8", newline="") as f:
        return sorted({row["type-of-establishment-name"] for row in csv.DictReader(f)})


def write_rows(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header, *rows])
    return path


def edited(path: Path, out: Path, edit: Callable[[dict[str, str]], dict[str, str] | None]) -> Path:
    """`path` with each row (as a dict) passed through `edit`; None drops the row."""
    header, rows = read_template(path)
    kept = []
    for row in rows:
        new = edit(dict(zip(header, row, strict=True)))
        if new is not None:
            kept.append([new[col] for col in header])
    return write_rows(out, header, kept)


def generated(path: Path, rows: int, *, seed: int = 1, first_urn: int = 100_000) -> Path:
    """`rows` made-up establishments in the newest published layout (demo/gias_file.py)."""
    header, *body = list(gias_rows(rows, seed=seed, first_urn=first_urn))
    return write_rows(path, header, body)


def run_import_schools(*args: str) -> str:
    """What ``import_schools`` printed: its report, then its warnings (stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_schools", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()
