"""Issue 12, A14: officers pick up unallocated cases; whoever gets a case is notified."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseStatus, Event, EventKind
from casework.services.allocation import (
    ERROR_ALREADY_ALLOCATED,
    AllocationError,
    case_allocate,
    case_pick_up,
)
from cme.models import Notification, Role, User
from tests.conftest import client_for
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_case_page_offers_pick_up_only_for_an_open_unallocated_case(
    officer: User, officer_client: Client
) -> None:
    free = CaseFactory.create(allocated_to=None)
    taken = CaseFactory.create(allocated_to=UserFactory.create(role=Role.OFFICER))
    closed = CaseFactory.create(
        allocated_to=None, status=CaseStatus.CLOSED, outcome="died", closed_at=timezone.now()
    )
    url = reverse("cases:pick_up", args=[free.reference])
    assert (
        url in officer_client.get(reverse("cases:detail", args=[free.reference])).content.decode()
    )
    for case in (taken, closed):
        page = officer_client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert reverse("cases:pick_up", args=[case.reference]) not in page


def test_an_officer_picks_up_a_case_recorded_in_chronology_and_history(
    officer: User, officer_client: Client
) -> None:
    case = CaseFactory.create(allocated_to=None)
    response = officer_client.post(
        reverse("cases:pick_up", args=[case.reference]), {"version": str(case.version)}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    case.refresh_from_db()
    assert case.allocated_to == officer
    event = Event.objects.get(case=case, kind=EventKind.ALLOCATED)
    assert "Picked up by Olive Officer" in event.summary
    assert event.by == officer
    assert case.history.filter(allocated_to=officer, history_user=officer).exists()
    (note,) = Notification.objects.filter(user=officer)
    assert note.url == reverse("cases:detail", args=[case.reference])
    assert case.reference in note.title


def test_a_case_already_allocated_cannot_be_picked_up(
    officer: User, officer_client: Client
) -> None:
    other = UserFactory.create(role=Role.OFFICER)
    case = CaseFactory.create(allocated_to=other)
    with pytest.raises(AllocationError, match=ERROR_ALREADY_ALLOCATED):
        case_pick_up(case=case, by=officer)
    response = officer_client.post(
        reverse("cases:pick_up", args=[case.reference]), {"version": str(case.version)}
    )
    assert response.status_code == 200
    assert "already allocated" in response.content.decode()
    assert Case.objects.get(pk=case.pk).allocated_to == other


def test_school_staff_cannot_pick_up(staff_a: User) -> None:
    case = CaseFactory.create(allocated_to=None)
    response = client_for(staff_a).post(
        reverse("cases:pick_up", args=[case.reference]), {"version": str(case.version)}
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).allocated_to is None


def test_the_officer_a_manager_allocates_to_is_notified_with_a_link_to_the_case(
    officer: User, manager: User
) -> None:
    case = CaseFactory.create(allocated_to=None)
    case_allocate(case=case, officer=officer, by=manager)
    (note,) = Notification.objects.filter(user=officer)
    assert note.url == reverse("cases:detail", args=[case.reference])
    assert note.title == f"Case {case.reference} allocated to you"
    assert not Notification.objects.filter(user=manager).exists()
    assert mail.outbox == []  # its email goes through the outbox, after commit
    # Allocating again to the same person tells nobody twice.
    case_allocate(case=case, officer=officer, by=manager)
    assert Notification.objects.filter(user=officer).count() == 1
