"""The scheduled checks: a registry each package adds its jobs to (in its own `jobs.py`).

A job is a set-based sweep: it claims the rows it flags with a conditional UPDATE
(`... WHERE flagged_at IS NULL`), so running it twice, or twice at once, flags and notifies
once. Every job can run as a dry run, which reports what it would flag and changes nothing.
`manage.py run_check NAME [--dry-run]` runs one by hand; `cme.tasks.run_job` runs one from beat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import FullResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass
class JobResult:
    name: str
    dry_run: bool
    flagged: list[str] = field(default_factory=list)  # references, never names
    notified: int = 0

    def summary(self) -> str:
        verb = "would flag" if self.dry_run else "flagged"
        return f"{self.name}: {verb} {len(self.flagged)}" + (
            "" if self.dry_run else f", notified {self.notified}"
        )


JobFunc = Callable[..., JobResult]


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    run: JobFunc  # run(*, today: date, dry_run: bool) -> JobResult


_REGISTRY: dict[str, Job] = {}


def job(name: str, description: str) -> Callable[[JobFunc], JobFunc]:
    def register(func: JobFunc) -> JobFunc:
        _REGISTRY[name] = Job(name=name, description=description, run=func)
        return func

    return register


def all_jobs() -> dict[str, Job]:
    autodiscover_modules("jobs")
    return dict(sorted(_REGISTRY.items()))


def run_job(name: str, *, today: date, dry_run: bool = False) -> JobResult:
    jobs = all_jobs()
    if name not in jobs:
        raise KeyError(f"No job called {name!r}; known: {', '.join(jobs)}")
    return jobs[name].run(today=today, dry_run=dry_run)


def claim_flag(
    table: str, flag: str, where: str, params: list[Any], returning: str
) -> list[tuple[Any, ...]]:
    """Set ``flag`` to now on the rows of ``table`` matching ``where`` whose flag is unset, in
    ONE ``UPDATE ... RETURNING``, and return ``returning`` of the rows this statement set
    (none another run did: on PostgreSQL a run at the same moment waits on the row locks and
    re-checks the flag). ``table`` and ``flag`` are names from ``_meta``; ``where`` and
    ``returning`` are SQL written with quoted names, ``params`` fill ``where``."""
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(table)} SET {qn(flag)} = %s "  # noqa: S608 - names from _meta
        f"WHERE {qn(flag)} IS NULL AND ({where}) RETURNING {returning}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(timezone.now()), *params])
        return [tuple(row) for row in cursor.fetchall()]


def claim_due(queryset: QuerySet[Any], flag: str, *returning: str) -> list[tuple[Any, ...]]:
    """:func:`claim_flag` on the rows ``queryset`` filters: its WHERE, compiled by Django, is
    the claim's condition, so a sweep writes its condition once, as the queryset its dry run
    lists. Returns the ``returning`` columns of the rows claimed, sorted."""
    query = queryset.query
    if len(query.alias_map) > 1:
        # An UPDATE names one table: a condition across a relation would name another.
        raise ValueError("claim_due needs a condition on the queryset's own table")
    try:
        where, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:  # no condition: it would claim every row
        where = ""
    if not where:
        raise ValueError("claim_due needs a filtered queryset")
    qn = connection.ops.quote_name
    table = queryset.model._meta.db_table
    columns = ", ".join(qn(column) for column in returning)
    return sorted(claim_flag(table, flag, where, list(params), columns))
