"""The reminder when another LA has not answered a transfer (registered in cme.jobs by
TransfersConfig.ready; its time in settings.CME_JOB_TIMES["transfer_answers"]).

The casework/jobs.py shape: ONE conditional ``UPDATE ... WHERE reminder_flagged_at IS NULL
... RETURNING`` claims the transfers this run reminds about (a second run, or two at once,
claims none of them again: PostgreSQL re-checks the WHERE against the committed row), then
ONE ``INSERT ... ON CONFLICT DO NOTHING`` of the in-app notifications (each case's officer, or
the sender when the case has none, and the managers), in one transaction. Emails follow
through the outbox. Nothing names a child: references only.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse

from casework.models import Case
from cme.jobs import JobResult, claim_flag, job
from cme.models import Role
from cme.notifications import insert_summaries
from cme.selectors import active_users
from transfers.models import AWAITING, Transfer

JOB = "transfer_answers"


def unanswered_candidates(today: date) -> QuerySet[Transfer]:
    """Transfers still waiting for a decision after their answer day, not yet reminded. The
    same condition as the claim in :func:`transfer_answers`."""
    return Transfer.objects.filter(
        status__in=AWAITING, answer_due__lt=today, reminder_flagged_at__isnull=True
    )


def _claim(today: date) -> list[tuple[str, int | None]]:
    """Flag the unanswered transfers in one statement; (reference, the person to remind)."""
    qn = connection.ops.quote_name
    table = qn(Transfer._meta.db_table)
    cases = qn(Case._meta.db_table)
    awaiting = ", ".join(["%s"] * len(AWAITING))
    # The case's officer, read in the same statement.
    case_officer = (
        f"(SELECT {qn('allocated_to_id')} FROM {cases} "  # noqa: S608 - names from _meta
        f"WHERE {cases}.{qn('id')} = {table}.{qn('case_id')})"
    )
    rows = claim_flag(
        Transfer._meta.db_table,
        "reminder_flagged_at",
        f"{qn('status')} IN ({awaiting}) AND {qn('answer_due')} < %s",
        [*[str(s) for s in AWAITING], connection.ops.adapt_datefield_value(today)],
        f"{qn('reference')}, {qn('sent_by_id')}, {case_officer}",
    )
    rows.sort()
    return [(ref, officer if officer is not None else sender) for ref, sender, officer in rows]


@job(JOB, "Remind officers and managers of transfers another LA has not answered")
def transfer_answers(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name=JOB, dry_run=dry_run)
    if dry_run:
        found = unanswered_candidates(today).order_by("reference")
        result.flagged = list(found.values_list("reference", flat=True))
        return result
    with transaction.atomic():
        rows = _claim(today)
        result.flagged = [ref for ref, _ in rows]
        if rows:
            managers = set(active_users(Role.MANAGER).values_list("pk", flat=True))
            everyone = [ref for ref, _ in rows]
            refs: dict[int, list[str]] = dict.fromkeys(managers, everyone)
            for ref, person in rows:
                if person is not None and person not in managers:
                    refs.setdefault(person, []).append(ref)
            result.notified += insert_summaries(
                JOB,
                today,
                refs,
                noun="transfer",
                what="not answered by the other local authority in time: chase it",
                url_for=lambda _pk: reverse("transfers:list") + "?awaiting=overdue",
            )
    return result
