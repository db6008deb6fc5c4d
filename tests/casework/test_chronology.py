"""The child's chronology: the MOJ timeline, newest first, merged records included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from casework.events import record_event
from casework.models import Child, EventKind
from casework.selectors.children import chronology
from cme.models import User
from tests.conftest import SIGN_IN, answers
from tests.factories import CaseFactory, ChildFactory

pytestmark = pytest.mark.usefixtures("frozen")


def url(child: Child) -> str:
    return reverse("cases:chronology", args=[child.pk])


def test_events_of_the_child_and_merged_children_newest_first(officer: User) -> None:
    case = CaseFactory.create()
    child = case.child
    duplicate = ChildFactory.create(merged_into=child)
    stranger = ChildFactory.create()
    now = timezone.now()
    old = record_event(
        child=duplicate,
        kind=EventKind.REFERRAL,
        summary="Old referral",
        occurred_at=now - timedelta(days=30),
    )
    new = record_event(child=child, case=case, kind=EventKind.NOTE, summary="Note", by=officer)
    record_event(child=stranger, kind=EventKind.NOTE, summary="Not theirs")
    assert list(chronology(child)) == [new, old]


def test_the_timeline_page_shows_events_and_filters_by_kind(
    officer_client: Client, officer: User
) -> None:
    case = CaseFactory.create()
    record_event(
        child=case.child, case=case, kind=EventKind.NOTE, summary="Phoned the GP", by=officer
    )
    record_event(child=case.child, case=case, kind=EventKind.ESCALATED, summary="Escalated now")
    html = officer_client.get(url(case.child)).content.decode()
    assert "moj-timeline__item" in html
    assert "Phoned the GP" in html
    assert "Escalated now" in html
    assert officer.full_name in html
    assert "the system" in html
    html = officer_client.get(url(case.child), {"kind": "escalated"}).content.decode()
    assert "Escalated now" in html
    assert "Phoned the GP" not in html
    assert officer_client.get(url(case.child), {"kind": "<bogus>"}).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_the_chronology_runs_a_constant_number_of_queries(
    officer_client: Client,
    officer: User,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    case = CaseFactory.create()
    for i in range(rows):
        other = (
            CaseFactory.create(child=ChildFactory.create(merged_into=case.child))
            if i % 5 == 0
            else case
        )
        record_event(
            child=other.child, case=other, kind=EventKind.NOTE, summary=f"n{i}", by=officer
        )
    # session, user, child, latest case, events, the access log row (+ savepoints and the
    # session save)
    with django_assert_max_num_queries(12):
        response = officer_client.get(url(case.child))
    assert response.status_code == 200
    assert response.content.decode().count("moj-timeline__item") == rows


def test_chronology_by_persona(
    client: Client, client_a: Client, officer_client: Client, manager_client: Client
) -> None:
    child = CaseFactory.create().child
    assert answers(
        url(child),
        anonymous=client,
        school=client_a,
        officer=officer_client,
        manager=manager_client,
    ) == {"anonymous": SIGN_IN, "school": 403, "officer": 200, "manager": 200}


def test_an_unknown_child_is_404(officer_client: Client) -> None:
    assert officer_client.get(reverse("cases:chronology", args=[999999])).status_code == 404


# -- Issue 12: the chronology does not repeat its own words -------------------------------


@pytest.mark.parametrize(
    ("kind", "summary", "title"),
    [
        (EventKind.CLOSED, "Closed: Moved abroad", "Closed: Moved abroad"),
        (
            EventKind.CASE_OPENED,
            "Case CS-1 opened: initial investigation due 7 December 2026",
            "Case CS-1 opened: initial investigation due 7 December 2026",
        ),
        (
            EventKind.RESTRICTED,
            "Record restricted: address withheld",
            "Record restricted: address withheld",
        ),
        (
            EventKind.INVESTIGATION,
            "Initial investigation completed (late)",
            "Initial investigation completed (late)",
        ),
        (EventKind.NOTE, "Note added", "Note added"),
        (
            EventKind.REOPENED,
            "Case reopened: initial investigation due 7 December 2026",
            "Case reopened: initial investigation due 7 December 2026",
        ),
        (EventKind.REFERRAL, "Referral RF-1 received (School)", "Referral RF-1 received (School)"),
        (EventKind.ESCALATED, "Escalated", "Escalated"),
        # A summary that does not say what kind of entry it is is led by the kind.
        (EventKind.ENQUIRY, "Home visit: No answer", "Enquiry: Home visit: No answer"),
        (
            EventKind.DECISION,
            "Referral RF-1 accepted as CME-WASP",
            "Triage decision: Referral RF-1 accepted as CME-WASP",
        ),
    ],
)
def test_an_entry_title_says_its_kind_once(
    db: None, kind: EventKind, summary: str, title: str
) -> None:
    case = CaseFactory.create()
    event = record_event(child=case.child, case=case, kind=kind, summary=summary)
    assert event.title == title
    assert str(event) == title


def test_the_timeline_does_not_repeat_closed(officer_client: Client) -> None:
    case = CaseFactory.create()
    record_event(child=case.child, case=case, kind=EventKind.CLOSED, summary="Closed: Moved abroad")
    html = officer_client.get(url(case.child)).content.decode()
    assert "Closed: Moved abroad" in html
    assert "Closed: Closed:" not in html
