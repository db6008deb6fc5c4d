"""What the schools sweeps share: claiming rows, telling schools and managers.

Every sweep follows `cme.jobs`: set-based queries, a dry run that only SELECTs, and a real
run that claims what it flags before telling anyone, inside one transaction.

OUTBOX (docs/decisions/005-job-outbox.md): a sweep is set-based SQL only. It claims its rows
with ONE conditional ``UPDATE ... WHERE <pk> IN (<candidates>) AND <flag still unset>
RETURNING ...`` (`claim_returning`: on PostgreSQL a run at the same moment waits on the row
locks and re-checks the flag against the committed row, so each row is claimed once), then
writes the in-app notifications for the claimed rows with ONE ``INSERT ... SELECT ... ON
CONFLICT (user_id, key) DO NOTHING`` (`cme.notifications.insert_notifications`). No email is
built or sent in the sweep: `cme.tasks.deliver_notifications`, enqueued on commit and run
from beat, emails the outbox.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import QuerySet
from django.urls import reverse

from cme.models import Role, User
from cme.notifications import insert_summaries
from schools.models import ReturnStatus, SchoolMembership, SchoolReturn

_M = TypeVar("_M", bound=models.Model)


def claim(qs: QuerySet[_M], **values: Any) -> list[int]:
    """Set `values` on the rows of `qs` for this run and return their ids. Call it in a
    transaction, with a `qs` that excludes rows already flagged.

    The rows are read with FOR UPDATE SKIP LOCKED (PostgreSQL), so a second run at the same
    time skips the rows this one holds, and once this one commits they no longer match. On
    SQLite (development) writes are serialised but two runs may both count a row; the
    notifications (unique per user and key) and referrals (unique per return and trigger)
    still happen once.
    """
    ids = list(qs.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
    if ids:
        qs.filter(pk__in=ids).update(**values)
    return ids


def school_staff(school_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active staff of each school, by school id (one query)."""
    staff: dict[int, list[User]] = defaultdict(list)
    memberships = SchoolMembership.objects.filter(
        school_id__in=list(school_ids), user__is_active=True
    ).select_related("user")
    for membership in memberships:
        staff[membership.school_id].append(membership.user)
    return staff


def ids_param(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """SQL for "the set of these ids" and its parameter: ``= ANY(%s)`` on PostgreSQL, a
    json_each over one JSON list on SQLite (no limit on the number of ids either way)."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(ids)]
    return "IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]


def claim_returning(
    qs: QuerySet[_M],
    *,
    set_sql: str,
    guard_sql: str,
    params: Sequence[Any] = (),
    returning: Sequence[str] = (),
    parent_returning: Sequence[str] = (),
    also: Sequence[QuerySet[_M]] = (),
) -> list[tuple[Any, ...]]:
    """Claim the rows of ``qs`` in ONE ``UPDATE <table> SET <set_sql> WHERE <pk> IN (qs)
    AND (<guard_sql>) RETURNING <pk>, <returning>`` and return the rows this statement
    changed, with ``parent_returning`` columns of the multi-table parent appended.

    ``guard_sql`` must repeat, on the updated table's own columns, the condition that the
    claim makes false ("flag IS NULL"): PostgreSQL re-checks it against the committed row
    when a run at the same moment held the row, so a row is claimed by one run only.
    ``params`` fill ``set_sql`` then ``guard_sql``; ``also``: more candidates (UNION ALL).
    Call it inside a transaction.
    """
    qn = connection.ops.quote_name
    meta = qs.model._meta
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    try:
        parts = [q.order_by().values("pk").query.sql_with_params() for q in (qs, *also)]
    except EmptyResultSet:  # the candidates are provably none (e.g. `pk__in=[]`)
        return []
    sub_sql = " UNION ALL ".join(sql for sql, _ in parts)
    sub_params = tuple(p for _, params in parts for p in params)
    cols = ", ".join([pk, *returning])
    update = (
        f"UPDATE {table} SET {set_sql} WHERE {pk} IN ({sub_sql}) "  # noqa: S608 - from _meta
        f"AND ({guard_sql}) RETURNING {cols}"
    )
    # The sub-query's parameters come after the SET and before the guard's: reorder.
    n_set = set_sql.count("%s")
    all_params = [*params[:n_set], *sub_params, *params[n_set:]]
    related = meta.pk.related_model if meta.pk.is_relation else None
    parent = related if isinstance(related, type) else None
    with connection.cursor() as cursor:
        if not parent_returning:
            cursor.execute(update, all_params)
            return [tuple(row) for row in cursor.fetchall()]
        if parent is None:
            raise ValueError(f"{qs.model.__name__} has no multi-table parent")
        ptable = qn(parent._meta.db_table)
        extra = ", ".join(f"p.{qn(c)}" for c in parent_returning)
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH c AS ({update}) SELECT c.*, {extra} FROM c "  # noqa: S608
                f"JOIN {ptable} p ON p.id = c.{pk}",
                all_params,
            )
            return [tuple(row) for row in cursor.fetchall()]
        cursor.execute(update, all_params)
        rows = {row[0]: tuple(row) for row in cursor.fetchall()}
        if not rows:
            return []
        where, ids = ids_param(list(rows))
        cursor.execute(
            f"SELECT p.id, {extra} FROM {ptable} p WHERE p.id {where}",  # noqa: S608
            ids,
        )
        return [rows[pk_value] + tuple(more) for pk_value, *more in cursor.fetchall()]


def claim_where(
    model: Any,
    alias: str,
    *,
    flag: str,
    value: Any,
    where: tuple[str, list[Any]],
    columns: Sequence[str],
    return_columns: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Set ``flag`` = ``value`` on the rows of ``model`` (a return's child table, ``alias`` in
    ``where``, the return being ``r``) that ``where`` selects and that are not flagged yet;
    return (id, *``columns`` of the child, *``return_columns`` of the return) for each row
    flagged by this statement.

    PostgreSQL: ONE ``UPDATE ... FROM`` the returns, the shape of a hand-written UPDATE. A run
    at the same moment waits on the row locks and re-checks ``flag IS NULL`` on the committed
    row, so a row is flagged once. SQLite (development, tests): the same WHERE, then the
    returns' columns by id."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    returns = qn(SchoolReturn._meta.db_table)
    sql, params = where
    child = [f"{alias}.{c}" for c in ("schoolreturn_ptr_id", *columns)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cols = ", ".join([*child, *(f"r.{c}" for c in return_columns)])
            cursor.execute(
                f"UPDATE {table} {alias} SET {flag} = %s "  # noqa: S608 - names from _meta
                f"FROM {returns} r WHERE {sql} RETURNING {cols}",
                [value, *params],
            )
            return [tuple(row) for row in cursor.fetchall()]
        cursor.execute(
            f"UPDATE {table} SET {flag} = %s "  # noqa: S608 - names from _meta
            f"WHERE schoolreturn_ptr_id IN (SELECT {alias}.schoolreturn_ptr_id FROM "
            f"{table} {alias}, {returns} r WHERE {sql}) AND {flag} IS NULL "
            f"RETURNING {', '.join(['schoolreturn_ptr_id', *columns])}",
            [value, *params],
        )
        flagged = {row[0]: tuple(row) for row in cursor.fetchall()}
        if not flagged:
            return []
        ids_sql, ids = ids_param(list(flagged))
        cursor.execute(
            f"SELECT id, {', '.join(return_columns)} FROM {returns} "  # noqa: S608
            f"WHERE id {ids_sql}",
            ids,
        )
        return [flagged[pk] + tuple(more) for pk, *more in cursor.fetchall()]


def references_where(model: Any, alias: str, where: str, params: list[Any]) -> list[str]:
    """A dry run: the references of the returns a claim would flag, ``where`` being the
    claim's WHERE over ``alias`` (the return's child table, ``model``) and ``r`` (the return)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.reference FROM {qn(model._meta.db_table)} {alias}, "  # noqa: S608
            f"{qn(SchoolReturn._meta.db_table)} r WHERE {where} ORDER BY r.reference",
            params,
        )
        return [reference for (reference,) in cursor.fetchall()]


def insert_school_summaries(
    job: str,
    today: Any,
    refs_by_school: Mapping[int, Sequence[str]],
    *,
    noun: str,
    what: str,
    school_url: str | None = None,
    la_url: str | None = None,
    note: str = "",
) -> int:
    """`insert_summaries` for a sweep over school returns: each member of staff of a school
    with flagged returns gets their school's (their schools', if several), with a link to
    ``school_url`` (default: the school's submissions); each active manager all of them,
    with a link to ``la_url`` (default: the LA's returns list). The managers
    and the schools' staff are read in ONE query. Returns how many were stored."""
    if not refs_by_school:
        return 0
    qn = connection.ops.quote_name
    schools = list(refs_by_school)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, NULL FROM {qn(User._meta.db_table)} "  # noqa: S608 - names from _meta
            "WHERE role = %s AND is_active UNION ALL "
            f"SELECT user_id, school_id FROM {qn(SchoolMembership._meta.db_table)} "
            f"WHERE school_id IN ({', '.join(['%s'] * len(schools))})",
            [Role.MANAGER, *schools],
        )
        audience = cursor.fetchall()
    managers = {user_id for user_id, school_id in audience if school_id is None}
    school = school_url or reverse("schools:return_list")
    la = la_url or reverse("schools:la_returns")
    everything = [ref for refs in refs_by_school.values() for ref in refs]
    refs: dict[int, list[str]] = dict.fromkeys(managers, everything)
    for user_id, school_id in audience:
        if school_id is not None and user_id not in managers:
            refs.setdefault(user_id, []).extend(refs_by_school[school_id])
    return insert_summaries(
        job,
        today,
        refs,
        noun=noun,
        what=what,
        url_for=lambda pk: la if pk in managers else school,
        note=note,
    )


#: Every status but closed, spelt out: an IN list uses the (kind, status) index, "<> closed"
#: cannot (return_status_valid allows no other value).
NOT_CLOSED = [s for s in ReturnStatus.values if s != ReturnStatus.CLOSED]
