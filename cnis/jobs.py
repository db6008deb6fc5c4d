"""Scheduled checks on the children-not-in-school register (cme.jobs registry; times in
settings.CME_JOB_TIMES). Each claims its rows with ONE conditional UPDATE ... RETURNING (the
casework/jobs.py pattern), so running it twice, or twice at once, acts once; Python loops
only over the rows claimed in this run. Nothing runs while CME_CNIS_ENABLED is off."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse

from cme.audit import record_history
from cme.jobs import JobResult, claim_flag, job
from cme.models import Role
from cme.notifications import insert_summaries
from cme.outbox import queue_email
from cme.selectors import active_users
from cnis.consent import cnis_enabled
from cnis.models import Provider, ProviderRequest, RegisterEntry
from cnis.rules import HOME_VISIT_REQUEST_DAYS
from cnis.services import REASON_INFORMATION_NOT_GIVEN, request_body
from ehe.signals import notice_route_requested


def _preview(result: JobResult, due: QuerySet[Any], prefix: str) -> JobResult:
    """A dry run: the references the job would act on, changing nothing."""
    result.flagged = [f"{prefix}{pk}" for pk in due.order_by("pk").values_list("pk", flat=True)]
    return result


@job("cnis_chase", "Chase s436E requests to providers unanswered by their deadline")
def cnis_chase(*, today: date, dry_run: bool = False) -> JobResult:
    result = JobResult(name="cnis_chase", dry_run=dry_run)
    if not cnis_enabled():
        return result
    due = ProviderRequest.objects.filter(
        answered_on__isnull=True, chased_at__isnull=True, due_on__lt=today
    )
    if dry_run:
        return _preview(result, due, "CNIS-REQ-")
    qn = connection.ops.quote_name
    with transaction.atomic():
        rows = claim_flag(
            ProviderRequest._meta.db_table,
            "chased_at",
            f"{qn('answered_on')} IS NULL AND {qn('due_on')} < %s",
            [today],
            qn("id"),
        )
        ids = sorted(pk for (pk,) in rows)
        requests = ProviderRequest.objects.filter(pk__in=ids).select_related("provider")
        for request in requests:
            provider: Provider = request.provider
            if provider.email:
                queue_email(
                    provider.email,
                    "Reminder: request for information, children not in school",
                    request_body(provider, request, chase=True),
                    key=f"cnis-chase-{request.pk}",
                    kind="cnis_provider_request",
                )
                result.notified += 1
        result.flagged = [f"CNIS-REQ-{pk}" for pk in ids]
    return result


@job(
    "cnis_information_overdue",
    "Start the notice route where a parent has not given the information asked for",
)
def cnis_information_overdue(*, today: date, dry_run: bool = False) -> JobResult:
    result = JobResult(name="cnis_information_overdue", dry_run=dry_run)
    if not cnis_enabled():
        return result
    due = RegisterEntry.objects.filter(
        information_due_on__lt=today,
        information_received_on__isnull=True,
        notice_route_requested_at__isnull=True,
    )
    if dry_run:
        return _preview(result, due, "CNIS-")
    qn = connection.ops.quote_name
    with transaction.atomic():
        rows = claim_flag(
            RegisterEntry._meta.db_table,
            "notice_route_requested_at",
            f"{qn('information_due_on')} < %s AND {qn('information_received_on')} IS NULL",
            [today],
            f"{qn('id')}, {qn('child_id')}",
        )
        rows.sort()
        claimed = RegisterEntry.objects.filter(pk__in=[pk for pk, _ in rows])
        claimed.update(notice_route_reason=REASON_INFORMATION_NOT_GIVEN)
        # An UPDATE sends no signal: the history rows of what it changed, in one INSERT.
        record_history(list(claimed.order_by("pk")))
        for _, child_id in rows:
            notice_route_requested.send(
                sender=RegisterEntry,
                child_id=child_id,
                reason=REASON_INFORMATION_NOT_GIVEN,
                by=None,
            )
        result.flagged = [f"CNIS-{pk}" for pk, _ in rows]
        result.notified = len(rows)
    return result


@job("cnis_home_visits", "Tell the team of children whose home visit was not asked for in time")
def cnis_home_visits(*, today: date, dry_run: bool = False) -> JobResult:
    result = JobResult(name="cnis_home_visits", dry_run=dry_run)
    if not cnis_enabled():
        return result
    # Registered more than 15 days ago, with no request for a home visit yet.
    latest = today - timedelta(days=HOME_VISIT_REQUEST_DAYS)
    due = RegisterEntry.objects.filter(
        visit_requested_on__isnull=True,
        registered_on__lt=latest,
        visit_overdue_flagged_at__isnull=True,
    )
    if dry_run:
        return _preview(result, due, "CNIS-")
    qn = connection.ops.quote_name
    with transaction.atomic():
        rows = claim_flag(
            RegisterEntry._meta.db_table,
            "visit_overdue_flagged_at",
            f"{qn('visit_requested_on')} IS NULL AND {qn('registered_on')} < %s",
            [latest],
            qn("id"),
        )
        refs = [f"CNIS-{pk}" for pk in sorted(pk for (pk,) in rows)]
        if refs:
            people = active_users(Role.OFFICER, Role.MANAGER).values_list("pk", flat=True)
            recipients = dict.fromkeys(people, refs)
            result.notified = insert_summaries(
                "cnis_home_visits",
                today,
                recipients,
                noun="child record",
                what="not yet asked for a home visit within 15 days of registration",
                url_for=lambda _pk: reverse("cnis:register"),
            )
        result.flagged = refs
    return result
