"""What the checks share (schools.jobs.sweeps): a row is claimed by one run."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from schools.jobs import claim
from schools.models import SchoolReturn
from tests.factories import JoinerReturnFactory
from tests.schools.jobs.helpers import at as on


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_claim_a_row_once() -> None:
    """PostgreSQL: the second run skips the rows the first holds, and they no longer match once
    it commits (SQLite serialises writes; the notification and referral keys cover it there)."""
    with on(date(2026, 11, 20)):
        late = JoinerReturnFactory.create(admission_date=date(2026, 11, 9), is_late=True)
    if connection.vendor != "postgresql":
        # SQLite has one writer at a time: the runs can only follow each other. The second
        # must still find nothing to claim.
        with transaction.atomic():
            first_claim = claim(
                SchoolReturn.objects.filter(is_late=True, late_notified_at__isnull=True),
                late_notified_at=timezone.now(),
            )
        with transaction.atomic():
            second_claim = claim(
                SchoolReturn.objects.filter(is_late=True, late_notified_at__isnull=True),
                late_notified_at=timezone.now(),
            )
        assert (first_claim, second_claim) == ([late.pk], [])
        return
    claimed_first = threading.Event()
    second_done = threading.Event()
    results: dict[str, list[int]] = {}

    def unflagged() -> QuerySet[SchoolReturn]:
        return SchoolReturn.objects.filter(is_late=True, late_notified_at__isnull=True)

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = claim(unflagged(), late_notified_at=timezone.now())
                claimed_first.set()
                second_done.wait(timeout=10)
        finally:
            connection.close()

    def second() -> None:
        try:
            claimed_first.wait(timeout=10)
            with transaction.atomic():
                results["second"] = claim(unflagged(), late_notified_at=timezone.now())
            second_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert results == {"first": [late.pk], "second": []}
    with transaction.atomic():
        assert claim(unflagged(), late_notified_at=timezone.now()) == []
