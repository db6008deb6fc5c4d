"""What every figure shares: the result types, periods and the "open at a date" rule.

Dates: a period is ``start`` to ``end`` inclusive, counted by *local* (Europe/London) date.
A datetime column is compared with the aware local midnights that bound the period, so a
referral at 23:59 on the last day is in and one at 00:00 the next day is out.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Aggregate, Count, FloatField, Q
from django.utils import timezone

from casework.models import Outcome
from cme.statutory import latest_dob_of_compulsory_school_age

Number = int | float | None


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: int | float | str | None
    previous: int | float | str | None
    unit: str = ""  # "%", "days" or ""
    #: (table key, row, column of value, column of previous) when the headline shows a cell
    #: of a table: the board's copy then shows that cell as the table's suppression left it.
    source: tuple[str, int, int, int] | None = None


@dataclass(frozen=True)
class Table:
    """``rows[i][0]`` is the row label, ``columns[0]`` its heading. ``count_columns`` are the
    columns holding counts (subject to suppression); with ``total_row`` the last row is the
    total. In a count column an ``int`` is a count and a ``float`` is a rate or a median.

    ``derived`` maps a row worked out from counts (a share, a median, a maximum) to the count
    rows it comes from: suppression hides it where any of those is hidden (A6). ``parts``
    lists (part row, whole row) pairs: the part is hidden where the rest of the whole is small.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    count_columns: list[int]
    total_row: bool = False
    note: str = ""
    derived: dict[int, tuple[int, ...]] = field(default_factory=dict)
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Trend:
    """12 months ending with the period's last month (each the 1st of its month)."""

    months: list[date]
    # Counts; in the board's copy a count from 1 to 4 is the string "<5".
    referrals: list[int | str]
    open_cases: list[int | str]  # open at each month end (the last month: at the period end)


@dataclass(frozen=True)
class BoardFigures:
    start: date
    end: date
    previous_start: date
    previous_end: date
    headlines: list[Headline]
    tables: list[Table]
    trend: Trend
    definitions: list[tuple[str, str]]
    suppressed: bool
    generated_at: datetime


# ------------------------------------------------------------------------------ periods


def year_earlier(d: date) -> date:
    """The same date one year earlier; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def midnight(d: date) -> datetime:
    """The aware local midnight that starts ``d``."""
    return timezone.make_aware(datetime.combine(d, time.min))


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def since(self) -> datetime:
        return midnight(self.start)

    @property
    def until(self) -> datetime:  # exclusive
        return midnight(self.end + timedelta(days=1))

    def at(self, field: str) -> Q:
        """``field`` (a datetime) on a local date within the period."""
        return Q(**{f"{field}__gte": self.since, f"{field}__lt": self.until})

    def on(self, field: str) -> Q:
        """``field`` (a date) within the period."""
        return Q(**{f"{field}__range": (self.start, self.end)})


def open_at(d: date, prefix: str = "") -> Q:
    """A case open at the end of ``d``: received by then and not closed by then.

    A reopened case has its ``closed_at`` cleared, so it counts as open throughout.
    A child whose compulsory school age had not begun by ``d`` (Education Act 1996 s8(2))
    is not counted as CME then (issue 12, A8)."""
    after = midnight(d + timedelta(days=1))
    dob = f"{prefix}child__date_of_birth"
    return (
        Q(**{f"{prefix}received_on__lte": d})
        & (Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": after}))
        & (
            Q(**{f"{dob}__isnull": True})
            | Q(**{f"{dob}__lte": latest_dob_of_compulsory_school_age(d)})
        )
    )


def overdue_at(d: date) -> Q:
    """Open at ``d``, past its enquiry due date, initial investigation not completed by then.

    ``casework.workload.overdue_q`` is the same rule for today, read from the case's status;
    this one is as at a past day, from its dates (docs/rules.md, "Overdue investigation")."""
    after = midnight(d + timedelta(days=1))
    return (
        open_at(d)
        & Q(due_date__lt=d)
        & (Q(investigation_completed_at__isnull=True) | Q(investigation_completed_at__gte=after))
    )


def untraceable_at(d: date) -> Q:
    # The case keeps no date for the untraceable decision: today's state, for cases open then.
    return open_at(d) & Q(outcome=Outcome.UNTRACEABLE)


# ------------------------------------------------------------------------------ arithmetic


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


class Median(Aggregate):
    """PostgreSQL ``percentile_cont(0.5)``: the median, averaging the middle two."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


# ------------------------------------------------------------------------------ tables


def with_total(body: list[list[Any]], columns: int = 2) -> list[list[Any]]:
    """The rows and a "Total" row adding up each of the `columns` count columns."""
    return [*body, ["Total", *(sum(r[i] for r in body) for i in range(1, columns + 1))]]


def by_choice(qs: Any, field: str, cur: Q, prev: Q, choices: Iterable[Any]) -> list[list[Any]]:
    """One row per choice: [label, count this period, count a year earlier], one grouped query."""
    got = {
        r[field]: r
        for r in qs.filter(cur | prev)
        .values(field)
        .annotate(n=Count("id", filter=cur), p=Count("id", filter=prev))
        .order_by()
    }
    return [
        [c.label, got.get(c.value, {}).get("n", 0), got.get(c.value, {}).get("p", 0)]
        for c in choices
    ]


#: The count columns of a table comparing the period with the same dates a year earlier.
PERIOD_COLUMNS = ("This period", "Previous year")
#: The same, for a table counting what stood at the period's end.
AT_END_COLUMNS = ("At period end", "At previous period end")


def total_table(
    key: str, title: str, columns: list[str], body: list[list[Any]], note: str = ""
) -> Table:
    """A table of counts in every column after the first, with a "Total" row."""
    counts = len(columns) - 1
    return Table(
        key=key,
        title=title,
        columns=columns,
        rows=with_total(body, columns=counts),
        count_columns=list(range(1, counts + 1)),
        total_row=True,
        note=note,
    )


def measure_table(
    key: str, title: str, got: dict[str, Any], rows: dict[str, str], **shape: Any
) -> Table:
    """A table of measures at the period end and the previous one, a measure a row.

    ``rows`` maps each row's label to its key in ``got``, which holds the value at the period
    end under that key and the previous one under ``p_`` and the key; ``shape`` gives the
    :class:`Table`'s ``derived``, ``parts`` and ``note``."""
    body: list[list[Any]] = [[label, got[k], got[f"p_{k}"]] for label, k in rows.items()]
    return Table(key, title, ["Measure", *AT_END_COLUMNS], body, count_columns=[1, 2], **shape)


def aggregate_counts(qs: Any, measures: dict[str, Q]) -> dict[str, int]:
    """One query counting the rows of ``qs`` that match each of ``measures``."""
    got: dict[str, int] = qs.aggregate(**{k: Count("id", filter=q) for k, q in measures.items()})
    return got
