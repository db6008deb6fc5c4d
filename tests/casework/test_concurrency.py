"""Two people working one case at once (issue 6): optimistic locking on ``Case.version``.

The second to save gets a clear conflict message and keeps what they typed; nothing of
theirs is saved and the first save is intact. Through the forms (two signed-in clients), and
at service level with two threads at once on PostgreSQL (on SQLite, which serialises writers
for the whole file, the same two saves run one after the other with the same assertions).
"""

from __future__ import annotations

import threading
from html import unescape

import pytest
from django.db import connection, connections
from django.urls import reverse

from casework.models import Case, CaseStatus, Category, Event, EventKind
from casework.services import cases as svc
from cme.models import User
from tests.conftest import client_for
from tests.factories import CaseFactory


def test_the_second_form_submitted_gets_a_conflict_and_keeps_its_input(
    officer: User, manager: User
) -> None:
    case = CaseFactory.create(allocated_to=officer)
    officer_client, manager_client = client_for(officer), client_for(manager)
    category_url = reverse("cases:category", args=[case.reference])
    close_url = reverse("cases:close", args=[case.reference])
    # Both open their form on version 1.
    assert 'name="version" value="1"' in officer_client.get(category_url).content.decode()
    assert 'name="version" value="1"' in manager_client.get(close_url).content.decode()

    first = officer_client.post(
        category_url,
        {
            "category": "missing",
            "primary_reason": "not-recorded",
            "reason": "Not at the address",
            "version": "1",
        },
    )
    assert first.status_code == 302

    second = manager_client.post(
        close_url,
        {
            "outcome": "moved_abroad",
            "outcome_country": "Ireland",
            "outcome_notes": "Manager's note about the move to Cork",
            "version": "1",
        },
    )
    assert second.status_code == 200
    html = unescape(second.content.decode())
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert svc.ERROR_CONFLICT in html
    # What the manager typed is still on the page, to check and submit again.
    assert "Manager's note about the move to Cork" in html
    assert 'value="Ireland"' in html

    case.refresh_from_db()
    assert case.version == 2
    assert case.category == Category.MISSING  # the first change is intact
    assert case.status == CaseStatus.OPEN
    assert case.outcome == ""
    assert case.outcome_notes == ""
    assert list(Event.objects.filter(case=case).values_list("kind", flat=True)) == [
        EventKind.CATEGORY
    ]


def _two_saves_at_once(case_pk: int, officer: User, manager: User, *, parallel: bool) -> list[str]:
    """The officer changes the category and the manager escalates, both from version 1."""
    saves = {
        "officer": lambda c: svc.case_category_change(
            case=c, by=officer, category=Category.MISSING, reason="Officer's reason", version=1
        ),
        "manager": lambda c: svc.case_escalate(
            case=c, by=manager, reason="Manager's reason", social_care_referred=True, version=1
        ),
    }
    outcomes: dict[str, str] = {}
    barrier = threading.Barrier(len(saves))

    def work(who: str) -> None:
        try:
            case = Case.objects.get(pk=case_pk)  # each reads version 1 first
            if parallel:
                barrier.wait(timeout=10)
            saves[who](case)
            outcomes[who] = "saved"
        except svc.CaseError as exc:
            outcomes[who] = str(exc)
        finally:
            if parallel:
                connections.close_all()

    if parallel:
        threads = [threading.Thread(target=work, args=(who,)) for who in saves]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    else:
        for who in saves:
            work(who)
    return sorted(outcomes.values())


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_version_one_wins_one_is_told(officer: User, manager: User) -> None:
    case = CaseFactory.create(allocated_to=officer)
    parallel = connection.vendor == "postgresql"

    outcomes = _two_saves_at_once(case.pk, officer, manager, parallel=parallel)

    assert outcomes == sorted(["saved", svc.ERROR_CONFLICT])
    case.refresh_from_db()
    assert case.version == 2
    events = list(Event.objects.filter(case=case).values_list("kind", flat=True))
    assert len(events) == 1  # the loser's event was rolled back with its transaction
    if events == [EventKind.CATEGORY]:
        assert case.category == Category.MISSING
        assert case.escalated_at is None
        assert case.escalation_reason == ""
    else:
        assert events == [EventKind.ESCALATED]
        assert case.category == Category.WASP
        assert case.escalation_reason == "Manager's reason"
