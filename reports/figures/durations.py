"""How long things take: initial investigations against the enquiry clock, days open."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, IntegerField, Max, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework.models import Case
from cme.statutory import working_days_between
from reports.figures.common import (
    PERIOD_COLUMNS,
    Median,
    Number,
    Period,
    Table,
    measure_table,
    median,
    open_at,
    pct,
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
        "pct": pct(got["w"], got["n"]),
        "p_pct": pct(got["pw"], got["p"]),
        "median": median(days[True]),
        "p_median": median(days[False]),
    }
    clock = settings.CME_ENQUIRY_WORKING_DAYS
    table = Table(
        key="investigations",
        title="Initial investigations",
        columns=["Measure", *PERIOD_COLUMNS],
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
    for tag, period in (("", cur), ("p_", prev)):
        open_cases = Case.objects.filter(open_at(period.end)).order_by()
        if connection.vendor == "postgresql":
            # date - date is a whole number of days in PostgreSQL.
            days = RawSQL("%s::date - received_on", (period.end,), output_field=IntegerField())
            got = open_cases.aggregate(median=Median(days), longest=Max(days), n=Count("id"))
            result[f"{tag}median"], result[f"{tag}longest"] = got["median"], got["longest"]
            result[f"{tag}n"] = got["n"]
        else:
            durations = [
                (period.end - d).days for d in open_cases.values_list("received_on", flat=True)
            ]
            result[f"{tag}median"] = median(durations)
            result[f"{tag}longest"] = max(durations) if durations else None
            result[f"{tag}n"] = len(durations)
    rows = {"Median days open": "median", "Longest days open": "longest"}
    rows["Cases open at period end"] = "n"
    # The median and the longest of fewer than 5 cases single a child out: hidden with the
    # count in the board's copy.
    title = "How long open cases have been open (days)"
    return measure_table("durations", title, result, rows, derived={0: (2,), 1: (2,)})
