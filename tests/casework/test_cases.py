"""Work on a case: every service transition, the illegal ones refused, the case pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from casework.models import (
    Case,
    CaseStatus,
    Category,
    Enquiry,
    EnquiryResult,
    EnquiryType,
    Event,
    EventKind,
    Outcome,
)
from casework.services import cases as svc
from casework.services import closing
from cme.models import AccessAction, AccessLog, Role, User
from tests.conftest import SIGN_IN, TODAY, answers
from tests.factories import CaseFactory, ChildFactory, SchoolFactory, UserFactory
from tests.forms import day
from tests.support.pages import form_with_errors, post_from_version_1

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def case(officer: User) -> Case:
    case: Case = CaseFactory.create(
        allocated_to=officer, referral__referrer_email="referrer@example.org"
    )
    return case


def enquire(case: Case, by: User, **kw: Any) -> Enquiry:
    defaults = dict(
        enquiry_type=EnquiryType.HOME_VISIT,
        made_on=TODAY,
        result=EnquiryResult.NOT_FOUND,
        contact="Neighbour",
        notes="",
    )
    return svc.enquiry_record(case=case, by=by, **{**defaults, **kw})


def kinds(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).values_list("kind", flat=True))


# -- services ---------------------------------------------------------------------------


def test_recording_an_enquiry_bumps_the_version_and_records_an_event(
    case: Case, officer: User
) -> None:
    enquiry = enquire(case, officer)
    case.refresh_from_db()
    assert enquiry.made_by == officer
    assert case.version == 2
    assert kinds(case) == [EventKind.ENQUIRY]


def test_an_enquiry_cannot_be_dated_in_the_future(case: Case, officer: User) -> None:
    with pytest.raises(svc.CaseError, match=svc.ERROR_MADE_ON_FUTURE):
        enquire(case, officer, made_on=TODAY + timedelta(days=1))
    assert not Enquiry.objects.exists()


def test_an_enquiry_cannot_be_recorded_on_a_closed_case(case: Case, officer: User) -> None:
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    with pytest.raises(svc.CaseError, match=svc.ERROR_NOT_OPEN):
        enquire(case, officer)


def test_a_note_is_added_with_an_event(case: Case, officer: User) -> None:
    svc.case_note_add(case=case, by=officer, text="Spoke to the school")
    assert case.notes.get().text == "Spoke to the school"
    assert kinds(case) == [EventKind.NOTE]


def test_completing_the_investigation_stops_the_clock(case: Case, officer: User) -> None:
    enquire(case, officer)
    svc.investigation_complete(case=case, by=officer)
    case.refresh_from_db()
    assert case.investigation_completed_at is not None
    assert EventKind.INVESTIGATION in kinds(case)


def test_the_investigation_cannot_complete_without_an_enquiry(case: Case, officer: User) -> None:
    with pytest.raises(svc.CaseError, match=svc.ERROR_NO_ENQUIRIES):
        svc.investigation_complete(case=case, by=officer)


def test_the_investigation_cannot_complete_twice(case: Case, officer: User) -> None:
    enquire(case, officer)
    svc.investigation_complete(case=case, by=officer)
    with pytest.raises(svc.CaseError, match=svc.ERROR_ALREADY_COMPLETE):
        svc.investigation_complete(case=case, by=officer)


def test_changing_category_needs_a_reason_and_records_old_and_new(
    case: Case, officer: User
) -> None:
    with pytest.raises(svc.CaseError, match=svc.ERROR_REASON_REQUIRED):
        svc.case_category_change(case=case, by=officer, category=Category.MISSING, reason=" ")
    svc.case_category_change(case=case, by=officer, category=Category.MISSING, reason="Moved out")
    case.refresh_from_db()
    assert case.category == Category.MISSING
    event = Event.objects.get(case=case, kind=EventKind.CATEGORY)
    assert "CME-WASP" in event.summary
    assert "CME-missing" in event.summary


def test_changing_to_the_same_category_is_refused(case: Case, officer: User) -> None:
    with pytest.raises(svc.CaseError, match=svc.ERROR_SAME_CATEGORY):
        svc.case_category_change(case=case, by=officer, category=Category.WASP, reason="x")


def test_escalating_emails_the_managers_without_personal_data(
    case: Case,
    officer: User,
    manager: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        svc.case_escalate(case=case, by=officer, reason="CP plan", social_care_referred=True)
    case.refresh_from_db()
    assert case.escalated_at
    assert case.social_care_referred_at
    assert case.escalation_reason == "CP plan"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert case.reference in message.subject
    assert case.child.first_name not in message.subject
    assert case.child.last_name not in str(message.subject) + str(message.body)


def test_escalating_without_social_care_referral_leaves_that_date_empty(
    case: Case, officer: User
) -> None:
    svc.case_escalate(case=case, by=officer, reason="Concern", social_care_referred=False)
    case.refresh_from_db()
    assert case.escalated_at
    assert case.social_care_referred_at is None


def test_closing_sets_status_and_tells_the_referrer(
    case: Case, officer: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    school = SchoolFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        closing.case_close(
            case=case, by=officer, outcome=Outcome.ON_ROLL_IN_AREA, outcome_school=school
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_at
    assert case.outcome_school == school
    assert EventKind.CLOSED in kinds(case)
    assert [m.to for m in mail.outbox] == [["referrer@example.org"]]
    assert case.child.last_name not in mail.outbox[0].subject


def test_an_anonymous_referrer_is_not_emailed(
    officer: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    case = CaseFactory.create(referral__referrer_email="anon@example.org", referral__anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("outcome", "details", "message"),
    [
        (Outcome.ON_ROLL_IN_AREA, {}, svc.ERROR_OUTCOME_SCHOOL),
        (Outcome.PLACE_STARTED, {}, svc.ERROR_OUTCOME_SCHOOL),
        (Outcome.ON_ROLL_OTHER_LA, {"outcome_la": "Leeds"}, svc.ERROR_OUTCOME_SCHOOL_NAME),
        (Outcome.ON_ROLL_OTHER_LA, {"outcome_school_name": "X"}, svc.ERROR_OUTCOME_LA),
        (Outcome.MOVED_OTHER_LA, {"outcome_la": "Leeds"}, svc.ERROR_OUTCOME_LA_ACCEPTED),
        (Outcome.MOVED_OTHER_LA, {"outcome_la_accepted": True}, svc.ERROR_OUTCOME_LA),
        (Outcome.MOVED_ABROAD, {}, svc.ERROR_OUTCOME_COUNTRY),
    ],
)
def test_closing_without_the_details_an_outcome_needs_is_refused(
    case: Case, officer: User, outcome: str, details: dict[str, Any], message: str
) -> None:
    with pytest.raises(svc.CaseError, match=message):
        closing.case_close(case=case, by=officer, outcome=outcome, **details)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.outcome == ""
    assert case.version == 1


@pytest.mark.parametrize(
    ("outcome", "details"),
    [
        (Outcome.ON_ROLL_OTHER_LA, {"outcome_la": "Leeds", "outcome_school_name": "Leeds High"}),
        (Outcome.MOVED_OTHER_LA, {"outcome_la": "Leeds", "outcome_la_accepted": True}),
        (Outcome.MOVED_ABROAD, {"outcome_country": "Poland"}),
        (Outcome.EHE_SUITABLE, {}),
        (Outcome.CEASED_COMPULSORY_AGE, {}),
    ],
)
def test_closing_with_the_details_closes(
    case: Case, officer: User, outcome: str, details: dict[str, Any]
) -> None:
    closing.case_close(case=case, by=officer, outcome=outcome, **details)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.outcome == outcome


def test_a_case_cannot_be_closed_twice(case: Case, officer: User) -> None:
    closing.case_close(case=case, by=officer, outcome=Outcome.DIED)
    with pytest.raises(svc.CaseError, match=svc.ERROR_NOT_OPEN):
        closing.case_close(case=case, by=officer, outcome=Outcome.DIED)


def test_untraceable_stays_open_as_cme_missing_with_a_review_date(
    case: Case, officer: User
) -> None:
    enquire(case, officer)
    svc.investigation_complete(case=case, by=officer)
    review = TODAY + timedelta(days=90)
    closing.case_close(case=case, by=officer, outcome=Outcome.UNTRACEABLE, review_date=review)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.outcome == Outcome.UNTRACEABLE
    assert case.category == Category.MISSING
    assert case.review_date == review
    assert case.closed_at is None
    from casework.selectors.cases import register_cases

    assert list(register_cases(officer)) == [case]


def test_untraceable_needs_a_completed_investigation_and_a_future_review_date(
    case: Case, officer: User
) -> None:
    with pytest.raises(svc.CaseError, match=svc.ERROR_INVESTIGATION_INCOMPLETE):
        closing.case_close(
            case=case,
            by=officer,
            outcome=Outcome.UNTRACEABLE,
            review_date=TODAY + timedelta(days=30),
        )
    enquire(case, officer)
    svc.investigation_complete(case=case, by=officer)
    for bad in (None, TODAY):
        with pytest.raises(svc.CaseError, match=svc.ERROR_REVIEW_DATE):
            closing.case_close(case=case, by=officer, outcome=Outcome.UNTRACEABLE, review_date=bad)


def test_reopening_clears_the_outcome(case: Case, officer: User) -> None:
    closing.case_close(case=case, by=officer, outcome=Outcome.MOVED_ABROAD, outcome_country="Spain")
    closing.case_reopen(case=case, by=officer, reason="Seen locally")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.outcome == ""
    assert case.outcome_country == ""
    assert case.closed_at is None
    assert kinds(case)[0] == EventKind.REOPENED


def test_a_case_is_not_reopened_while_the_child_has_another_open_case(
    case: Case, officer: User
) -> None:
    closing.case_close(case=case, by=officer, outcome=Outcome.MOVED_ABROAD, outcome_country="Spain")
    other = CaseFactory.create(child=case.child)
    with pytest.raises(svc.CaseError, match=other.reference):
        closing.case_reopen(case=case, by=officer, reason="Seen locally")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_an_open_case_cannot_be_reopened(case: Case, officer: User) -> None:
    with pytest.raises(svc.CaseError, match=svc.ERROR_NOT_CLOSED):
        closing.case_reopen(case=case, by=officer, reason="x")


def test_a_stale_version_is_refused_with_a_conflict(
    case: Case, officer: User, manager: User
) -> None:
    svc.case_note_add(case=case, by=manager, text="First", version=1)
    with pytest.raises(svc.CaseError, match="changed by someone else"):
        svc.case_category_change(
            case=case, by=officer, category=Category.MISSING, reason="r", version=1
        )


def test_a_stale_in_memory_case_is_refused_even_without_a_version(
    case: Case, officer: User, manager: User
) -> None:
    from casework.models import Case

    other = Case.objects.get(pk=case.pk)
    svc.case_note_add(case=other, by=manager, text="First")
    with pytest.raises(svc.CaseError, match="changed by someone else"):
        svc.case_note_add(case=case, by=officer, text="Second")


# -- pages ------------------------------------------------------------------------------


def test_the_case_page_shows_identity_checklist_and_overdue(
    officer_client: Client, officer: User
) -> None:
    child = ChildFactory.create(
        first_name="Amara", last_name="Okafor", upn="A123456789012", date_of_birth=date(2014, 2, 3)
    )
    case = CaseFactory.create(
        child=child,
        allocated_to=officer,
        received_on=TODAY - timedelta(days=20),
        due_date=TODAY - timedelta(days=2),
    )
    enquire(case, officer, enquiry_type=EnquiryType.HEALTH, result=EnquiryResult.INFORMATION)
    html = officer_client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Amara Okafor" in html
    assert "A123456789012" in html
    assert "age 12" in html
    assert "Year 8" in html
    assert "Overdue" in html
    assert "CME-WASP" in html
    assert officer.full_name in html
    assert "Information received" in html
    assert html.count("Not done") == 8


@pytest.mark.parametrize("n", [2, 30])
def test_the_case_page_runs_a_constant_number_of_queries(
    officer_client: Client,
    officer: User,
    n: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    case = CaseFactory.create(allocated_to=officer)
    for i in range(n):
        # Each by someone else: the names come with the rows, not one by one.
        colleague = UserFactory.create(role=Role.OFFICER, full_name=f"Colleague {i:02d}")
        enquire(case, colleague)
        svc.case_note_add(case=case, by=colleague, text=f"Note number {i:02d}")
    # session, user, case, the access log row, enquiries, the unread count (+ 2 savepoints);
    # the notes tab also reads the notes. The first page also saves the session (+ 2 more
    # savepoints): once a minute, and the clock is stopped here.
    for section, queries in (("detail", 11), ("enquiries", 8), ("notes", 9)):
        with django_assert_max_num_queries(queries):
            response = officer_client.get(reverse(f"cases:{section}", args=[case.reference]))
        assert response.status_code == 200
    html = response.content.decode()  # the notes tab
    assert all(f"Note number {i:02d}" in html for i in range(n))
    assert all(f"Colleague {i:02d}" in html for i in range(n))
    html = officer_client.get(reverse("cases:enquiries", args=[case.reference])).content.decode()
    assert all(f"Colleague {i:02d}" in html for i in range(n))


def test_recording_an_enquiry_through_the_form(officer_client: Client, case: Case) -> None:
    url = reverse("cases:enquiry_new", args=[case.reference])
    response = post_from_version_1(
        officer_client,
        url,
        {
            "enquiry_type": "s2s",
            **day("made_on", date(2026, 11, 20)),
            "result": "not_found",
            "contact": "DfE",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert case.enquiries.get().enquiry_type == "s2s"


def test_an_invalid_form_shows_the_error_summary_and_keeps_input(
    officer_client: Client, case: Case
) -> None:
    url = reverse("cases:enquiry_new", args=[case.reference])
    response = officer_client.post(url, {"contact": "Aunt Jo", "version": "1"})
    form_with_errors(response, "Select who or what you checked", 'value="Aunt Jo"')


def test_a_future_enquiry_date_is_shown_against_the_date(
    officer_client: Client, case: Case
) -> None:
    url = reverse("cases:enquiry_new", args=[case.reference])
    html = officer_client.post(
        url,
        {
            "enquiry_type": "s2s",
            "made_on_0": "1",
            "made_on_1": "12",
            "made_on_2": "2026",
            "result": "not_found",
            "version": "1",
        },
    ).content.decode()
    assert svc.ERROR_MADE_ON_FUTURE in html
    assert "#id_made_on_0" in html


def test_a_stale_form_gets_a_clear_conflict_message(
    officer_client: Client, case: Case, manager: User
) -> None:
    svc.case_note_add(case=case, by=manager, text="Meanwhile")
    response = officer_client.post(
        reverse("cases:category", args=[case.reference]),
        {"category": "missing", "primary_reason": "other", "reason": "Gone", "version": "1"},
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    case.refresh_from_db()
    assert case.category == Category.WASP


def test_closing_through_the_form_needs_the_outcome_details(
    officer_client: Client, case: Case
) -> None:
    url = reverse("cases:close", args=[case.reference])
    html = officer_client.post(url, {"outcome": "moved_abroad", "version": "1"}).content.decode()
    assert svc.ERROR_OUTCOME_COUNTRY in html
    assert "#id_outcome_country" in html
    response = officer_client.post(
        url, {"outcome": "moved_abroad", "outcome_country": "Ireland", "version": "1"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_each_action_form_posts_to_its_service(
    officer_client: Client, officer: User, case: Case
) -> None:
    def post(name: str, data: dict[str, str]) -> None:
        case.refresh_from_db()
        response = officer_client.post(
            reverse(f"cases:{name}", args=[case.reference]), {**data, "version": str(case.version)}
        )
        assert response.status_code == 302, response.content.decode()

    post("note_new", {"text": "Called mum"})
    case.refresh_from_db()
    enquire(case, officer)
    post("investigation_complete", {})
    post("escalate", {"reason": "Concern", "social_care_referred": "no"})
    post("category", {"category": "missing", "primary_reason": "other", "reason": "Not at address"})
    post("close", {"outcome": "died"})
    post("reopen", {"reason": "Recorded in error"})
    assert kinds(case)[:6] == [
        EventKind.REOPENED,
        EventKind.CLOSED,
        EventKind.CATEGORY,
        EventKind.ESCALATED,
        EventKind.INVESTIGATION,
        EventKind.ENQUIRY,
    ]


# -- access -----------------------------------------------------------------------------

CASE_URLS = [
    "detail",
    "enquiries",
    "notes",
    "enquiry_new",
    "note_new",
    "investigation_complete",
    "category",
    "escalate",
    "close",
    "reopen",
]


ACTION_URLS = [
    ("enquiry_new", "Record an enquiry"),
    ("note_new", "Add a note"),
    ("investigation_complete", "Complete the initial investigation"),
    ("category", "Change the category"),
    ("escalate", "Escalate the case"),
    ("close", "Record the outcome"),
    ("reopen", "Reopen the case"),
    ("allocate", "Allocate the case"),  # CaseFactory: not allocated (issue 12)
]


@pytest.mark.parametrize(("name", "title"), ACTION_URLS)
def test_an_action_page_names_the_child_so_showing_it_is_logged(
    manager: User, manager_client: Client, name: str, title: str
) -> None:
    case = CaseFactory.create()
    response = manager_client.get(reverse(f"cases:{name}", args=[case.reference]))
    assert response.status_code == 200
    assert escape(case.child.full_name) in response.content.decode()  # O'Connor escaped
    row = AccessLog.objects.get()
    assert (row.action, row.user, row.child_id) == (AccessAction.VIEW_CASE, manager, case.child_id)
    assert (row.object_type, row.object_id, row.detail) == ("case", case.pk, title)


def test_a_successful_action_post_logs_no_view(officer_client: Client, case: Case) -> None:
    url = reverse("cases:note_new", args=[case.reference])
    response = officer_client.post(url, {"text": "Called mum", "version": str(case.version)})
    assert response.status_code == 302
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("name", CASE_URLS)
def test_case_urls_by_persona(
    client: Client, client_a: Client, officer_client: Client, manager_client: Client, name: str
) -> None:
    case = CaseFactory.create()
    url = reverse(f"cases:{name}", args=[case.reference])
    assert answers(
        url, anonymous=client, school=client_a, officer=officer_client, manager=manager_client
    ) == {"anonymous": SIGN_IN, "school": 403, "officer": 200, "manager": 200}


def test_an_unknown_case_is_404(officer_client: Client) -> None:
    assert officer_client.get(reverse("cases:detail", args=["CS-NOPE"])).status_code == 404


def test_administrators_cannot_work_cases(admin_client_: Client) -> None:
    case = CaseFactory.create()
    assert admin_client_.get(reverse("cases:detail", args=[case.reference])).status_code == 403
