"""Reading the register's rows back (casework/templatetags/case_tables.py renders them)."""

from __future__ import annotations

import re


def cells(html: str, reference: str) -> list[str]:
    """The text of each cell of the row whose first cell links to ``reference``."""
    row = next(
        r
        for r in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S)
        if f">{reference}</a>" in r
    )
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td class=\"govuk-table__cell\">(.*?)</td>", row, re.S)
    ]
