"""Figures about referrals received: by source and by reason."""

from __future__ import annotations

from collections import Counter

from django.db import connection

from referrals.models import Reason, Referral, ReferrerType
from reports.figures.common import PERIOD_COLUMNS, Period, Table, by_choice, total_table


def referral_source_counts(cur: Period, prev: Period) -> Table:
    when = cur.at("received_at"), prev.at("received_at")
    body = by_choice(Referral.objects, "referrer_type", *when, ReferrerType)
    return total_table(
        "referrals_by_source", "Referrals received by source", ["Source", *PERIOD_COLUMNS], body
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
        columns=["Reason", *PERIOD_COLUMNS],
        rows=[
            [labels.get(code, code), now[code], before[code]]
            for code in codes
            if now[code] or before[code]
        ],
        count_columns=[1, 2],
        note="A referral may give several reasons, so the rows do not add up to the referrals.",
    )
