"""The safeguarding board's figures for a period, beside the same period a year earlier.

Selectors only: every figure is one grouped or conditionally aggregated query, so the whole
report is a constant handful of queries whatever the number of cases (see
``tests/reports/test_figures.py``). Python touches rows only for medians (and, on SQLite,
for counting referral reasons: see :func:`_reason_counts`).

Dates: a period is ``start`` to ``end`` inclusive, counted by *local* (Europe/London) date.
A datetime column is compared with the aware local midnights that bound the period, so a
referral at 23:59 on the last day is in and one at 00:00 the next day is out.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, IntegerField, Max, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework.filters import dob_range_for_nc_year
from casework.models import Case, Category, Outcome
from cme.statutory import latest_dob_of_compulsory_school_age, working_days_between
from referrals.models import Reason, Referral, ReferrerType
from referrals.vocabulary import REPORTED_FLAGS
from schools.models import (
    DeletionGround,
    LeaverReturn,
    PartTimeTimetable,
    ReturnKind,
    ReturnStatus,
    SchoolReturn,
)

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
    """Open at ``d``, past its enquiry due date, initial investigation not completed by then."""
    after = midnight(d + timedelta(days=1))
    return (
        open_at(d)
        & Q(due_date__lt=d)
        & (Q(investigation_completed_at__isnull=True) | Q(investigation_completed_at__gte=after))
    )


def untraceable_at(d: date) -> Q:
    # The case keeps no date for the untraceable decision: today's state, for cases open then.
    return open_at(d) & Q(outcome=Outcome.UNTRACEABLE)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


class Median(Aggregate):
    """PostgreSQL ``percentile_cont(0.5)``: the median, averaging the middle two."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


# ------------------------------------------------------------------------------ figures


def case_totals(cur: Period, prev: Period) -> dict[str, int]:
    """Headline counts of cases, this period (``x``) and a year earlier (``p_x``)."""
    measures: dict[str, Q] = {}
    for tag, period in (("", cur), ("p_", prev)):
        measures |= {
            f"{tag}opened": period.on("received_on"),
            f"{tag}open_end": open_at(period.end),
            f"{tag}overdue": overdue_at(period.end),
            f"{tag}untraceable": untraceable_at(period.end),
            f"{tag}untraceable_review": untraceable_at(period.end) & Q(review_date__lt=period.end),
        }
    return Case.objects.aggregate(**{k: Count("id", filter=q) for k, q in measures.items()})


def category_counts(cur: Period, prev: Period) -> Table:
    rows = {
        r["category"]: r
        for r in Case.objects.values("category")
        .annotate(
            opened=Count("id", filter=cur.on("received_on")),
            closed=Count("id", filter=cur.at("closed_at")),
            open_end=Count("id", filter=open_at(cur.end)),
            p_opened=Count("id", filter=prev.on("received_on")),
            p_closed=Count("id", filter=prev.at("closed_at")),
            p_open_end=Count("id", filter=open_at(prev.end)),
        )
        .order_by()
    }
    keys = ["opened", "closed", "open_end", "p_opened", "p_closed", "p_open_end"]
    body: list[list[Any]] = [
        [c.label, *(rows.get(c.value, {}).get(k, 0) for k in keys)] for c in Category
    ]
    body = _with_total(body, columns=6)
    return Table(
        key="cases_by_category",
        title="Cases by category",
        columns=[
            "Category",
            "Opened",
            "Closed",
            "Open at period end",
            "Opened (previous year)",
            "Closed (previous year)",
            "Open at previous period end",
        ],
        rows=body,
        count_columns=[1, 2, 3, 4, 5, 6],
        total_row=True,
        note="By each case's category today: a case can move between WASP and missing.",
    )


#: (label, youngest NC year, oldest NC year); None is open-ended.
AGE_GROUPS: list[tuple[str, int | None, int | None]] = [
    ("Under 5", None, -1),
    ("Reception–KS1 (5–7)", 0, 2),  # noqa: RUF001
    ("KS2 (7–11)", 3, 6),  # noqa: RUF001
    ("KS3 (11–14)", 7, 9),  # noqa: RUF001
    ("KS4 (14–16)", 10, 11),  # noqa: RUF001
    ("Over compulsory age", 12, None),
]


def _age_q(low: int | None, high: int | None, on: date) -> Q:
    q = Q(child__date_of_birth__isnull=False)
    if low is not None:  # born on or before the youngest of NC year ``low``
        q &= Q(child__date_of_birth__lte=dob_range_for_nc_year(low, on)[1])
    if high is not None:  # born on or after the oldest of NC year ``high``
        q &= Q(child__date_of_birth__gte=dob_range_for_nc_year(high, on)[0])
    return q


def _by_choice(qs: Any, field: str, cur: Q, prev: Q, choices: Iterable[Any]) -> list[list[Any]]:
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


def _with_total(body: list[list[Any]], columns: int = 2) -> list[list[Any]]:
    """The rows and a "Total" row adding up each of the `columns` count columns."""
    return [*body, ["Total", *(sum(r[i] for r in body) for i in range(1, columns + 1))]]


def age_counts(cur: Period, prev: Period) -> Table:
    groups = [*AGE_GROUPS, ("Date of birth not known", None, None)]
    measures: dict[str, Q] = {}
    for i, (_, low, high) in enumerate(groups):
        for tag, period in (("c", cur), ("p", prev)):
            age = (
                _age_q(low, high, period.end)
                if i < len(AGE_GROUPS)
                else Q(child__date_of_birth__isnull=True)
            )
            measures[f"{tag}{i}"] = open_at(period.end) & age
    got = Case.objects.aggregate(**{k: Count("id", filter=q) for k, q in measures.items()})
    body: list[list[Any]] = [
        [label, got[f"c{i}"], got[f"p{i}"]] for i, (label, _, _) in enumerate(groups)
    ]
    body = _with_total(body)
    return Table(
        key="open_by_age",
        title="Open cases at the period end by age group (key stage)",
        columns=["Age group", "Open at period end", "Open at previous period end"],
        rows=body,
        count_columns=[1, 2],
        total_row=True,
        note="Key stage by National Curriculum year group on the period's last day.",
    )


VULNERABILITY_FLAGS: list[tuple[str, str]] = [(f.field, f.label) for f in REPORTED_FLAGS]


def vulnerability_counts(cur: Period, prev: Period) -> Table:
    measures = {
        f"{tag}_{flag}": open_at(period.end) & Q(**{f"child__{flag}": True})
        for flag, _ in VULNERABILITY_FLAGS
        for tag, period in (("c", cur), ("p", prev))
    }
    got = Case.objects.aggregate(**{k: Count("id", filter=q) for k, q in measures.items()})
    return Table(
        key="vulnerability",
        title="Vulnerability among open cases",
        columns=["Flag", "Open at period end", "Open at previous period end"],
        rows=[[label, got[f"c_{f}"], got[f"p_{f}"]] for f, label in VULNERABILITY_FLAGS],
        count_columns=[1, 2],
        note="A child may have several flags, so the rows do not add up to the open cases.",
    )


def outcome_counts(cur: Period, prev: Period) -> Table:
    body = _with_total(
        _by_choice(
            Case.objects,
            "outcome",
            cur.at("closed_at"),
            prev.at("closed_at"),
            [o for o in Outcome if o != Outcome.UNTRACEABLE],
        )
    )
    return Table(
        key="outcomes",
        title="Outcomes of cases closed",
        columns=["Outcome", "Closed in period", "Closed in previous year"],
        rows=body,
        count_columns=[1, 2],
        total_row=True,
        note="Untraceable is not a closure: those children stay on the register (see below).",
    )


def investigation_figures(cur: Period, prev: Period) -> tuple[Table, dict[str, Number]]:
    """Initial investigations completed in the period: how many within the enquiry clock,
    and the median working days from referral to completion."""
    done = Case.objects.annotate(done_on=TruncDate("investigation_completed_at"))
    in_time = Q(done_on__lte=F("due_date"))
    got = done.aggregate(
        n=Count("id", filter=cur.at("investigation_completed_at")),
        w=Count("id", filter=cur.at("investigation_completed_at") & in_time),
        p=Count("id", filter=prev.at("investigation_completed_at")),
        pw=Count("id", filter=prev.at("investigation_completed_at") & in_time),
    )
    # Working days need the bank-holiday calendar, which the database does not have: the
    # medians are computed over one (date, datetime) pair per completed investigation.
    days: dict[bool, list[int]] = {True: [], False: []}
    for received, completed in Case.objects.filter(
        cur.at("investigation_completed_at") | prev.at("investigation_completed_at")
    ).values_list("received_on", "investigation_completed_at"):
        local = timezone.localdate(completed)
        days[local >= cur.start].append(working_days_between(received, local))
    figures: dict[str, Number] = {
        "pct": _pct(got["w"], got["n"]),
        "p_pct": _pct(got["pw"], got["p"]),
        "median": _median(days[True]),
        "p_median": _median(days[False]),
    }
    clock = settings.CME_ENQUIRY_WORKING_DAYS
    table = Table(
        key="investigations",
        title="Initial investigations",
        columns=["Measure", "This period", "Previous year"],
        rows=[
            ["Initial investigations completed", got["n"], got["p"]],
            [f"Completed within {clock} working days", got["w"], got["pw"]],
            [f"Share within {clock} working days (%)", figures["pct"], figures["p_pct"]],
            ["Median working days taken", figures["median"], figures["p_median"]],
        ],
        count_columns=[1, 2],
        derived={2: (0, 1), 3: (0,)},
        parts=((1, 0),),
    )
    return table, figures


def duration_figures(cur: Period, prev: Period) -> Table:
    """Median and longest time open, in calendar days, of the cases open at the period end."""
    result: dict[str, Number] = {}
    for tag, period in (("c", cur), ("p", prev)):
        open_cases = Case.objects.filter(open_at(period.end)).order_by()
        if connection.vendor == "postgresql":
            # date - date is a whole number of days in PostgreSQL.
            days = RawSQL("%s::date - received_on", (period.end,), output_field=IntegerField())
            got = open_cases.aggregate(median=Median(days), longest=Max(days), n=Count("id"))
            result[f"{tag}_median"], result[f"{tag}_longest"] = got["median"], got["longest"]
            result[f"{tag}_n"] = got["n"]
        else:
            durations = [
                (period.end - d).days for d in open_cases.values_list("received_on", flat=True)
            ]
            result[f"{tag}_median"] = _median(durations)
            result[f"{tag}_longest"] = max(durations) if durations else None
            result[f"{tag}_n"] = len(durations)
    return Table(
        key="durations",
        title="How long open cases have been open (days)",
        columns=["Measure", "At period end", "At previous period end"],
        rows=[
            ["Median days open", result["c_median"], result["p_median"]],
            ["Longest days open", result["c_longest"], result["p_longest"]],
            ["Cases open at period end", result["c_n"], result["p_n"]],
        ],
        # The median and the longest of fewer than 5 cases single a child out: hidden with
        # the count in the board's copy.
        count_columns=[1, 2],
        derived={0: (2,), 1: (2,)},
    )


def untraceable_table(totals: dict[str, int]) -> Table:
    return Table(
        key="untraceable",
        title="Children untraceable after reasonable enquiries",
        columns=["Measure", "At period end", "At previous period end"],
        rows=[
            ["On the register as untraceable", totals["untraceable"], totals["p_untraceable"]],
            [
                "Of whom, review date passed",
                totals["untraceable_review"],
                totals["p_untraceable_review"],
            ],
        ],
        count_columns=[1, 2],
        parts=((1, 0),),
        note="Untraceable children stay on the register as CME-missing and are reviewed.",
    )


def referral_source_counts(cur: Period, prev: Period) -> Table:
    body = _with_total(
        _by_choice(
            Referral.objects,
            "referrer_type",
            cur.at("received_at"),
            prev.at("received_at"),
            ReferrerType,
        )
    )
    return Table(
        key="referrals_by_source",
        title="Referrals received by source",
        columns=["Source", "This period", "Previous year"],
        rows=body,
        count_columns=[1, 2],
        total_row=True,
    )


def _reason_counts(cur: Period, prev: Period) -> tuple[Counter[str], Counter[str]]:
    """Reason codes in the referrals of each period (a referral may give several).

    PostgreSQL unnests the JSON list in the database; SQLite (development and tests) counts
    over one ``reasons`` value per referral, acceptable at a few thousand referrals a year.
    """
    now: Counter[str] = Counter()
    before: Counter[str] = Counter()
    if connection.vendor == "postgresql":
        table = Referral._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.reason,"  # noqa: S608 - only the table name is interpolated
                f" COUNT(DISTINCT {table}.id) FILTER (WHERE received_at >= %s AND received_at < %s),"
                f" COUNT(DISTINCT {table}.id) FILTER (WHERE received_at >= %s AND received_at < %s)"
                f" FROM {table}, jsonb_array_elements_text({table}.reasons) AS r(reason)"
                " WHERE jsonb_typeof(reasons) = 'array' AND ("
                " (received_at >= %s AND received_at < %s)"
                " OR (received_at >= %s AND received_at < %s))"
                " GROUP BY r.reason",
                [cur.since, cur.until, prev.since, prev.until] * 2,
            )
            for reason, n, p in cursor.fetchall():
                now[reason], before[reason] = n, p
        return now, before
    for received_at, reasons in Referral.objects.filter(
        cur.at("received_at") | prev.at("received_at")
    ).values_list("received_at", "reasons"):
        target = now if received_at >= cur.since else before
        target.update(set(reasons or []))  # each reason once per referral, as on PostgreSQL
    return now, before


def referral_reason_counts(cur: Period, prev: Period) -> Table:
    now, before = _reason_counts(cur, prev)
    labels = dict(Reason.choices)
    codes = [r.value for r in Reason] + sorted((set(now) | set(before)) - set(labels))
    return Table(
        key="referrals_by_reason",
        title="Referrals received by reason",
        columns=["Reason", "This period", "Previous year"],
        rows=[
            [labels.get(code, code), now[code], before[code]]
            for code in codes
            if now[code] or before[code]
        ],
        count_columns=[1, 2],
        note="A referral may give several reasons, so the rows do not add up to the referrals.",
    )


def deletion_ground_counts(cur: Period, prev: Period) -> Table:
    body = _with_total(
        _by_choice(
            LeaverReturn.objects,
            "ground",
            cur.on("deletion_date"),
            prev.on("deletion_date"),
            DeletionGround,
        )
    )
    return Table(
        key="deletions_by_ground",
        title="Deletions from school registers by ground (regulation 9(1))",
        columns=["Ground", "This period", "Previous year"],
        rows=body,
        count_columns=[1, 2],
        total_row=True,
        note="Leaver returns by the date the pupil was deleted from the admission register.",
    )


def deletion_school_counts(cur: Period, prev: Period) -> Table:
    got = (
        LeaverReturn.objects.filter(cur.on("deletion_date") | prev.on("deletion_date"))
        .values("school_id", "school__name")
        .annotate(
            n=Count("id", filter=cur.on("deletion_date")),
            p=Count("id", filter=prev.on("deletion_date")),
        )
        .order_by("school__name", "school_id")
    )
    body = _with_total([[r["school__name"], r["n"], r["p"]] for r in got])
    return Table(
        key="deletions_by_school",
        title="Deletions from school registers by school",
        columns=["School", "This period", "Previous year"],
        rows=body,
        count_columns=[1, 2],
        total_row=True,
    )


def return_counts(cur: Period, prev: Period) -> Table:
    """Late returns (decided at submission) and leavers flagged because no joiner return
    came in time (the unmatched-leavers job), per school."""
    measures: dict[str, Q] = {}
    for tag, period in (("", cur), ("p_", prev)):
        late = period.at("submitted_at") & Q(is_late=True)
        measures |= {
            f"{tag}joiners": late & Q(kind=ReturnKind.JOINER),
            f"{tag}leavers": late & Q(kind=ReturnKind.LEAVER),
            f"{tag}missing": period.at("leaverreturn__transition_flagged_at"),
        }
    keys = list(measures)
    got = (
        SchoolReturn.objects.filter(
            (cur.at("submitted_at") | prev.at("submitted_at")) & Q(is_late=True)
            | cur.at("leaverreturn__transition_flagged_at")
            | prev.at("leaverreturn__transition_flagged_at")
        )
        .values("school_id", "school__name")
        .annotate(**{k: Count("id", filter=q) for k, q in measures.items()})
        .order_by("school__name", "school_id")
    )
    body: list[list[Any]] = [[r["school__name"], *(r[k] for k in keys)] for r in got]
    body = _with_total(body, columns=len(keys))
    return Table(
        key="returns_by_school",
        title="Late and missing school returns by school",
        columns=[
            "School",
            "Late new-pupil returns",
            "Late leaver returns",
            "Leavers with no new-school return",
            "Late new-pupil returns (previous year)",
            "Late leaver returns (previous year)",
            "Leavers with no new-school return (previous year)",
        ],
        rows=body,
        count_columns=list(range(1, len(keys) + 1)),
        total_row=True,
        note="Missing: a leaver whose new school sent no new-pupil return in time.",
    )


def part_time_counts(cur: Period, prev: Period) -> Table:
    def open_q(d: date) -> Q:
        return (
            Q(start_date__lte=d)
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=d))
            & ~Q(status=ReturnStatus.CLOSED)
        )

    measures: dict[str, Q] = {}
    for tag, period in (("", cur), ("p_", prev)):
        measures |= {
            f"{tag}open": open_q(period.end),
            f"{tag}review": open_q(period.end) & Q(next_review_date__lt=period.end),
            f"{tag}ended": open_q(period.end) & Q(planned_end_date__lt=period.end),
        }
    got = PartTimeTimetable.objects.aggregate(
        **{k: Count("id", filter=q) for k, q in measures.items()}
    )
    return Table(
        key="part_time",
        title="Part-time timetables",
        columns=["Measure", "At period end", "At previous period end"],
        rows=[
            ["Open", got["open"], got["p_open"]],
            ["Overdue for review", got["review"], got["p_review"]],
            ["Past the planned end date", got["ended"], got["p_ended"]],
        ],
        count_columns=[1, 2],
        parts=((1, 0), (2, 0)),
    )


def _month_starts(end: date) -> list[date]:
    months = []
    year, month = end.year, end.month
    for _ in range(12):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def trend(end: date) -> Trend:
    months = _month_starts(end)
    periods = []
    for first in months:
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        periods.append(Period(first, min(last, end)))
    referrals = Referral.objects.aggregate(
        **{f"m{i}": Count("id", filter=p.at("received_at")) for i, p in enumerate(periods)}
    )
    open_cases = Case.objects.aggregate(
        **{f"m{i}": Count("id", filter=open_at(p.end)) for i, p in enumerate(periods)}
    )
    return Trend(
        months=months,
        referrals=[referrals[f"m{i}"] for i in range(12)],
        open_cases=[open_cases[f"m{i}"] for i in range(12)],
    )


def definitions() -> list[tuple[str, str]]:
    clock = settings.CME_ENQUIRY_WORKING_DAYS
    return [
        (
            "Period",
            "From the first to the last day shown, inclusive, by UK local time. The previous year is the same dates one year earlier (29 February becomes 28 February).",
        ),
        ("CME-WASP", "Children without a school place: their whereabouts are known."),
        ("CME-missing", "Children whose whereabouts and circumstances are not known."),
        (
            "Referral received",
            "A referral to the CME service, counted on the date it arrived, whatever its triage decision.",
        ),
        (
            "Case opened",
            "A case opened from an accepted referral, counted on the date the referral was received.",
        ),
        (
            "Case closed",
            "A case given an outcome that closes it, counted on the date it was closed.",
        ),
        (
            "Open at period end",
            "Received on or before the period's last day and not closed by the end of it.",
        ),
        (
            "Overdue",
            f"Open at the period end, the initial investigation not completed and its due date ({clock} working days after the referral) passed.",
        ),
        (
            "Enquiry clock",
            f"The initial investigation is due within {clock} working days of the referral (Monday to Friday, not bank holidays in England and Wales). Within the clock: completed on or before that date.",
        ),
        (
            "Median working days taken",
            "For investigations completed in the period: working days from the referral to completion; half took fewer, half more.",
        ),
        (
            "Days open",
            "Calendar days from the referral to the period end, for cases open at the period end.",
        ),
        (
            "Untraceable",
            "Children not found after reasonable enquiries: their case stays open as CME-missing and is reviewed.",
        ),
        ("Vulnerability flags", "As recorded on the child at the time of the report."),
        (
            "Age group",
            "Key stage by National Curriculum year group on the period's last day (age on the 31 August before the school year).",
        ),
        (
            "Deletions",
            "Leaver returns from schools, by the date of deletion from the admission register and the regulation 9(1) ground.",
        ),
        (
            "Late returns",
            "New-pupil returns made after the 5th day after admission, and leaver returns made after the deletion, by date of submission.",
        ),
        (
            "Missing returns",
            "Leavers for whom no new-pupil return came from the new school in time, by the date they were flagged.",
        ),
        (
            "Part-time timetables",
            "Open: started, not ended and not closed. Overdue for review: the next review date passed.",
        ),
        (
            "Small numbers",
            'In the board\'s copy, counts from 1 to 4 are shown as "<5"; where one hidden count could be worked out from a total, or from the count it is part of, another count is hidden too (also shown as "<5"). A share, median or longest time worked out from a hidden count is shown as "[c]".',
        ),
    ]


def _headlines(cur: Period, prev: Period) -> tuple[list[Headline], dict[str, int], Table, Table]:
    """The headline figures, with the tables they come from (totals, investigations, sources)."""
    totals = case_totals(cur, prev)
    investigations, inv = investigation_figures(cur, prev)
    sources = referral_source_counts(cur, prev)
    referrals_now, referrals_before = sources.rows[-1][1], sources.rows[-1][2]
    headlines = [
        Headline("open_now", "Open at period end", totals["open_end"], totals["p_open_end"]),
        Headline("new_referrals", "New referrals", referrals_now, referrals_before),
        Headline("cases_opened", "Cases opened", totals["opened"], totals["p_opened"]),
        Headline("overdue", "Investigations overdue", totals["overdue"], totals["p_overdue"]),
        Headline("untraceable", "Untraceable", totals["untraceable"], totals["p_untraceable"]),
        Headline(
            "on_time_pct",
            "Investigations on time",
            inv["pct"],
            inv["p_pct"],
            unit="%",
            source=("investigations", 2, 1, 2),
        ),
    ]
    return headlines, totals, investigations, sources


def _figures(
    cur: Period, prev: Period, headlines: list[Headline], tables: list[Table]
) -> BoardFigures:
    return BoardFigures(
        start=cur.start,
        end=cur.end,
        previous_start=prev.start,
        previous_end=prev.end,
        headlines=headlines,
        tables=tables,
        trend=trend(cur.end),
        definitions=definitions(),
        suppressed=False,
        generated_at=timezone.now(),
    )


def board_figures(start: date, end: date) -> BoardFigures:
    """Every figure of the board report for ``start`` to ``end`` (inclusive), unsuppressed."""
    cur = Period(start, end)
    prev = Period(year_earlier(start), year_earlier(end))
    headlines, totals, investigations, sources = _headlines(cur, prev)
    tables = [
        sources,
        referral_reason_counts(cur, prev),
        category_counts(cur, prev),
        age_counts(cur, prev),
        vulnerability_counts(cur, prev),
        outcome_counts(cur, prev),
        investigations,
        duration_figures(cur, prev),
        untraceable_table(totals),
        deletion_ground_counts(cur, prev),
        deletion_school_counts(cur, prev),
        return_counts(cur, prev),
        part_time_counts(cur, prev),
    ]
    return _figures(cur, prev, headlines, tables)


def dashboard_figures(start: date, end: date) -> BoardFigures:
    """What the managers' dashboard shows: the board report's headlines, cases by category and
    the trend, from the same queries (the full report's other tables are not computed)."""
    cur = Period(start, end)
    prev = Period(year_earlier(start), year_earlier(end))
    headlines, _, _, _ = _headlines(cur, prev)
    return _figures(cur, prev, headlines, [category_counts(cur, prev)])
