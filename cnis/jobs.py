"""Scheduled checks on the children-not-in-school register (cme.jobs registry; times in
settings.CME_JOB_TIMES). Each claims its rows with ONE conditional UPDATE ... RETURNING (the
casework/jobs.py pattern), so running it twice, or twice at once, acts once; Python loops
only over the rows claimed in this run. Nothing runs while CME_CNIS_ENABLED is off."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse

from cme.audit import record_history
from cme.jobs import JobFunc, JobResult, claim_due, job
from cme.models import Role
from cme.notifications import insert_summaries
from cme.outbox import queue_email
from cme.selectors import active_users
from cnis.consent import cnis_enabled
from cnis.models import Provider, ProviderRequest, RegisterEntry
from cnis.rules import HOME_VISIT_REQUEST_DAYS
from cnis.services import REASON_INFORMATION_NOT_GIVEN, request_body
from ehe.signals import notice_route_requested

#: The reference a sweep flags a row by: its model's prefix and its id.
_PREFIX: dict[type[Model], str] = {ProviderRequest: "CNIS-REQ-", RegisterEntry: "CNIS-"}


def _references(model: type[Model], pks: Iterable[int]) -> list[str]:
    return [f"{_PREFIX[model]}{pk}" for pk in pks]


Sweep = Callable[[JobResult, date, QuerySet[Any]], list[int]]


def _sweep(description: str, due: Callable[[date], QuerySet[Any]]) -> Callable[[Sweep], JobFunc]:
    """Register a sweep of the register, named after the function: nothing while
    CME_CNIS_ENABLED is off; a dry run lists the references of ``due(today)``, changing
    nothing; a real run calls the sweep with ``due(today)``, which it claims (see
    :func:`cme.jobs.claim_due`) and acts on, filling in the result, and returns the ids it
    claimed, in one transaction. Either way the result flags the references of the rows."""

    def register(claim_and_act: Sweep) -> JobFunc:
        name = claim_and_act.__name__

        @job(name, description)
        def run(*, today: date, dry_run: bool = False) -> JobResult:
            result = JobResult(name=name, dry_run=dry_run)
            if not cnis_enabled():
                return result
            rows = due(today)
            if dry_run:
                pks = list(rows.order_by("pk").values_list("pk", flat=True))
            else:
                with transaction.atomic():
                    pks = claim_and_act(result, today, rows)
            result.flagged = _references(rows.model, pks)
            return result

        run.__name__ = run.__qualname__ = name
        run.__doc__ = description
        return run

    return register


def _requests_due(today: date) -> QuerySet[ProviderRequest]:
    return ProviderRequest.objects.filter(
        answered_on__isnull=True, chased_at__isnull=True, due_on__lt=today
    )


@_sweep(
    "Chase s436E requests to providers unanswered by their deadline",
    _requests_due,
)
def cnis_chase(result: JobResult, today: date, due: QuerySet[ProviderRequest]) -> list[int]:
    ids = [pk for (pk,) in claim_due(due, "chased_at", "id")]
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
    return ids


def _information_due(today: date) -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.filter(
        information_due_on__lt=today,
        information_received_on__isnull=True,
        notice_route_requested_at__isnull=True,
    )


@_sweep(
    "Start the notice route where a parent has not given the information asked for",
    _information_due,
)
def cnis_information_overdue(
    result: JobResult, today: date, due: QuerySet[RegisterEntry]
) -> list[int]:
    rows = claim_due(due, "notice_route_requested_at", "id", "child_id")
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
    result.notified = len(rows)
    return [pk for pk, _ in rows]


def _visits_due(today: date) -> QuerySet[RegisterEntry]:
    # Registered more than 15 days ago, with no request for a home visit yet.
    return RegisterEntry.objects.filter(
        visit_requested_on__isnull=True,
        registered_on__lt=today - timedelta(days=HOME_VISIT_REQUEST_DAYS),
        visit_overdue_flagged_at__isnull=True,
    )


@_sweep(
    "Tell the team of children whose home visit was not asked for in time",
    _visits_due,
)
def cnis_home_visits(result: JobResult, today: date, due: QuerySet[RegisterEntry]) -> list[int]:
    ids = [pk for (pk,) in claim_due(due, "visit_overdue_flagged_at", "id")]
    if ids:
        people = active_users(Role.OFFICER, Role.MANAGER).values_list("pk", flat=True)
        result.notified = insert_summaries(
            "cnis_home_visits",
            today,
            dict.fromkeys(people, _references(RegisterEntry, ids)),
            noun="child record",
            what="not yet asked for a home visit within 15 days of registration",
            url_for=lambda _pk: reverse("cnis:register"),
        )
    return ids
