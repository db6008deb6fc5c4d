"""Cells for CSV and XLSX exports, safe to open in a spreadsheet (no model or app imports).

Every export (the register, the children-not-in-school register, the board's data pack, the
census return) writes its cells through :func:`neutralise`: a text cell a spreadsheet would run
as a formula (CSV/formula injection) is prefixed with a single quote, so it shows as text."""

from __future__ import annotations

from typing import Any

#: A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value``, with a single quote before it if it is text a spreadsheet would run as a
    formula. Anything else (numbers, dates, ``None``) is returned unchanged: ``csv.writer``
    writes ``None`` as an empty cell, and openpyxl leaves it blank."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class EchoBuffer:
    """A file-like object whose ``write`` returns what it was given, so ``csv.writer(...)
    .writerow`` yields each line for a ``StreamingHttpResponse``."""

    def write(self, value: str) -> str:
        return value
