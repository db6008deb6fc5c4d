"""Scheduled checks on cases (registered in cme.jobs; times in settings.CME_JOB_TIMES).

Each flagging job claims its cases with ONE conditional ``UPDATE ... WHERE <flag> IS NULL
RETURNING id``: on PostgreSQL a second run at the same moment waits on the first one's row
locks and then re-checks the WHERE against the committed row, so each case is claimed by
exactly one run; the notifications that follow are idempotent by key as well. Python only
loops over the rows claimed in this run (to format their text), never over the table.

OUTBOX (docs/decisions/005-job-outbox.md): the sweep is the claim plus ONE
``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` of the in-app notifications for the claimed
cases (their officer and the managers: `cme.notifications.insert_notifications`), in one
transaction. Nothing is emailed here: `cme.tasks.deliver_notifications`, enqueued on commit
and run from beat, emails the outbox. The digest uses `notify`, which writes to the same
outbox.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseStatus, Child
from casework.workload import week_end
from cme.jobs import JobResult, job
from cme.models import CASEWORK_ROLES, Role
from cme.notifications import insert_notifications, insert_summaries
from cme.selectors import active_users
from cme.statutory import compulsory_school_age

#: At most this many references per list in a digest (the app has the full lists).
DIGEST_MAX_REFERENCES = 50


# ----------------------------------------------------------------------------- helpers


def _claim(
    flag: str, where: str, params: list[Any], now: datetime
) -> list[tuple[int, str, int | None, date]]:
    """Set ``flag`` to ``now`` on the open cases matching ``where`` whose flag is unset, in
    one statement, and return (id, reference, allocated officer id, due date) for the cases
    this statement set (none that another run set)."""
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(Case._meta.db_table)} SET {qn(flag)} = %s "  # noqa: S608 - names from _meta
        f"WHERE {qn('status')} = %s AND {qn(flag)} IS NULL AND ({where}) "
        f"RETURNING {qn('id')}, {qn('reference')}, {qn('allocated_to_id')}, {qn('due_date')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [connection.ops.adapt_datetimefield_value(now), CaseStatus.OPEN, *params]
        )
        rows = sorted(cursor.fetchall(), key=lambda row: row[1])
    return [
        (pk, ref, officer, date.fromisoformat(due) if isinstance(due, str) else due)
        for pk, ref, officer, due in rows
    ]


def _notify_cases(
    rows: list[tuple[int, str, int | None, date]],
    job: str,
    *,
    today: date,
    what: str,
    manager_url: str,
    officer_url: str | None = None,
) -> int:
    """ONE notification per recipient for this run (docs/decisions/005-job-outbox.md): each
    case's officer gets the count and references of their cases, with a link to their list;
    each manager gets all of them, with a link to the filtered register (``officer_url``:
    the officers' link, if not their own cases)."""
    if not rows:
        return 0
    managers = set(active_users(Role.MANAGER).values_list("pk", flat=True))
    all_refs = [ref for _, ref, _, _ in rows]
    refs: dict[int, list[str]] = dict.fromkeys(managers, all_refs)
    for _, ref, officer, _ in rows:
        if officer is not None and officer not in managers:
            refs.setdefault(officer, []).append(ref)
    officer_url = officer_url or reverse("cases:my_cases")
    return insert_summaries(
        job,
        today,
        refs,
        noun="case",
        what=what,
        url_for=lambda pk: manager_url if pk in managers else officer_url,
    )


def _d(value: date) -> str:
    return f"{value:%-d %B %Y}"


# ---------------------------------------------------------------------- overdue enquiries


def overdue_candidates(today: date) -> QuerySet[Case]:
    """Open cases whose initial investigation was due before ``today`` and is not complete,
    not yet flagged. The same condition as the claim in :func:`overdue_enquiries`."""
    return Case.objects.filter(
        status=CaseStatus.OPEN,
        investigation_completed_at__isnull=True,
        due_date__lt=today,
        overdue_flagged_at__isnull=True,
    )


@dataclass(frozen=True)
class _FlagRun:
    """A flagging job: the cases it would flag, and the claim that flags them."""

    name: str
    candidates: QuerySet[Case]
    flag: str
    where: str
    day: date
    what: str
    manager_url: str
    officer_url: str | None = None


def _flag_and_notify(run: _FlagRun, *, today: date, dry_run: bool) -> JobResult:
    """Dry run: the references the job would flag. Otherwise flag them (``_claim``: a case
    another run flagged is not claimed twice) and send the one summary per recipient."""
    result = JobResult(name=run.name, dry_run=dry_run)
    if dry_run:
        refs = run.candidates.order_by("reference").values_list("reference", flat=True)
        result.flagged = list(refs)
        return result
    with transaction.atomic():
        params = [connection.ops.adapt_datefield_value(run.day)]
        ids = _claim(run.flag, run.where, params, timezone.now())
        result.flagged = [ref for _, ref, _, _ in ids]
        result.notified += _notify_cases(
            ids,
            run.name,
            today=today,
            what=run.what,
            manager_url=run.manager_url,
            officer_url=run.officer_url,
        )
    return result


@job("overdue_enquiries", "Flag open cases whose initial investigation is overdue")
def overdue_enquiries(*, today: date, dry_run: bool) -> JobResult:
    qn = connection.ops.quote_name
    run = _FlagRun(
        name="overdue_enquiries",
        candidates=overdue_candidates(today),
        flag="overdue_flagged_at",
        where=f"{qn('investigation_completed_at')} IS NULL AND {qn('due_date')} < %s",
        day=today,
        what="with the initial investigation overdue",
        manager_url=reverse("cases:register") + "?overdue=on",
    )
    return _flag_and_notify(run, today=today, dry_run=dry_run)


# ------------------------------------------------------------- end of compulsory school age


def latest_dob_past_csa(today: date) -> date:
    """The latest date of birth whose compulsory school age has ended on or before ``today``.

    Education Act 1996 s8(3): compulsory school age ends on the last Friday in June of the
    school year (1 September - 31 August) in which the child turns 16. Children born
    1 September (Y-16) to 31 August (Y-15) turn 16 in the school year ending in Y, so they
    leave on the last Friday of June Y; the end date only grows with the date of birth.
    So "end <= today" is "born on or before 31 August (Y-16)", Y being the latest year
    whose leaving date is on or before ``today``. (A 29 February birth turns 16 on 1 March,
    inside the same school year: no exception.)
    """
    cutoff = date(today.year - 16, 8, 31)  # the cohort that leaves in June of this year
    if compulsory_school_age(cutoff)[1] <= today:
        return cutoff
    return date(today.year - 17, 8, 31)


def csa_end_candidates(today: date) -> QuerySet[Case]:
    """Open cases whose child's compulsory school age has ended, not yet flagged."""
    return Case.objects.filter(
        status=CaseStatus.OPEN,
        csa_end_flagged_at__isnull=True,
        child__date_of_birth__lte=latest_dob_past_csa(today),
    )


@job("end_of_compulsory_age", "Flag open cases whose child is past compulsory school age")
def end_of_compulsory_age(*, today: date, dry_run: bool) -> JobResult:
    qn = connection.ops.quote_name
    children = (
        f"SELECT {qn('id')} FROM {qn(Child._meta.db_table)} "  # noqa: S608 - names from _meta
        f"WHERE {qn('date_of_birth')} <= %s"
    )
    run = _FlagRun(
        name="end_of_compulsory_age",
        candidates=csa_end_candidates(today),
        flag="csa_end_flagged_at",
        where=f"{qn('child_id')} IN ({children})",
        day=latest_dob_past_csa(today),
        what="past compulsory school age (Education Act 1996 s8(3)): review for closure",
        manager_url=reverse("cases:register"),
        officer_url=reverse("cases:register"),
    )
    return _flag_and_notify(run, today=today, dry_run=dry_run)


# ---------------------------------------------------------------------------- daily digest


def _pending_counts(prefix: str, today: date) -> dict[str, Any]:
    """Count expressions over open cases with the investigation not complete."""
    pending = Q(**{f"{prefix}status": CaseStatus.OPEN}) & Q(
        **{f"{prefix}investigation_completed_at__isnull": True}
    )
    field = prefix.rstrip("_") or "pk"
    return {
        "open_count": Count(field, filter=Q(**{f"{prefix}status": CaseStatus.OPEN})),
        "due_today": Count(field, filter=pending & Q(**{f"{prefix}due_date": today})),
        "due_this_week": Count(
            field,
            filter=pending
            & Q(**{f"{prefix}due_date__gte": today, f"{prefix}due_date__lte": week_end(today)}),
        ),
        "overdue": Count(field, filter=pending & Q(**{f"{prefix}due_date__lt": today})),
    }


def _lists() -> dict[str, list[str]]:
    return {"overdue": [], "due": []}


def _refs(refs: list[str]) -> dict[str, Any]:
    return {
        "shown": refs[:DIGEST_MAX_REFERENCES],
        "more": max(0, len(refs) - DIGEST_MAX_REFERENCES),
    }


@job("daily_digest", "Email each officer their due and overdue cases, each manager the team's")
def daily_digest(*, today: date, dry_run: bool) -> JobResult:
    """One digest a day per person (notification key ``digest:<date>``): officers with open
    cases get theirs; managers get the team's (and their own, if they hold cases). The body
    carries references and counts only, never a child's name."""
    result = JobResult(name="daily_digest", dry_run=dry_run)
    # The cases a digest lists: pending investigations overdue or due by Sunday. Python only
    # groups these rows, which the emails print anyway.
    listed = (
        Case.objects.filter(
            status=CaseStatus.OPEN,
            investigation_completed_at__isnull=True,
            due_date__lte=week_end(today),
        )
        .order_by("due_date", "reference")
        .values_list("allocated_to_id", "reference", "due_date")
    )
    mine: dict[int | None, dict[str, list[str]]] = defaultdict(_lists)
    team = _lists()
    for user_id, reference, due in listed:
        section = "overdue" if due < today else "due"
        mine[user_id][section].append(reference)
        team[section].append(reference)
    # The digest flags nothing; for run_check it reports the references it would list.
    result.flagged = sorted(team["overdue"] + team["due"])
    if dry_run:
        return result

    own_fields = _pending_counts("allocated_cases__", today)
    people = active_users(*CASEWORK_ROLES).annotate(**own_fields).order_by("pk")
    team_counts = Case.objects.aggregate(
        **_pending_counts("", today),
        unallocated=Count("pk", filter=Q(status=CaseStatus.OPEN, allocated_to__isnull=True)),
    )
    title = f"Your daily digest for {_d(today)}"
    notes = []
    for person in people:
        is_manager = person.role == Role.MANAGER
        counts = {name: getattr(person, name) for name in own_fields}
        if not counts["open_count"] and not (is_manager and team_counts["open_count"]):
            continue
        own = mine.get(person.pk) or _lists()
        body = render_to_string(
            "emails/digest.txt",
            {
                "today": today,
                "mine": {
                    **counts,
                    "overdue_refs": _refs(own["overdue"]),
                    "due_refs": _refs(own["due"]),
                }
                if counts["open_count"]
                else None,
                "team": {
                    **team_counts,
                    "overdue_refs": _refs(team["overdue"]),
                    "due_refs": _refs(team["due"]),
                }
                if is_manager
                else None,
            },
        ).strip()
        notes.append(
            {
                "user_id": person.pk,
                "key": f"digest:{today.isoformat()}",
                "title": title,
                "body": body,
                "url": reverse("cases:team" if is_manager else "cases:my_cases"),
            }
        )
    with transaction.atomic():
        result.notified += len(insert_notifications(notes))
    return result


@job("matching_priors", "Measure how often known children have a twin or a sibling (matching)")
def matching_priors(*, today: date, dry_run: bool) -> JobResult:
    """The twin and sibling rates the matcher weighs a twin-shaped candidate with
    (casework.matching.priors, ADR 010): two GROUP BY queries over the Child table, stored
    in the cache; safe to run twice (the second run stores the same figures). Nothing is
    flagged or notified; the dry run measures and stores nothing."""
    from casework.matching import priors

    result = JobResult(name="matching_priors", dry_run=dry_run)
    if not dry_run:
        priors.refresh(today)
    return result


from casework import retention as _retention  # noqa: E402,F401 - registers retention_anonymise
