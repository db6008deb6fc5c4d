"""The audit trail: history of changes (django-simple-history), the access log of views and
exports, and the audit search that managers and administrators read (issue 6)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from casework.models import Case, Child, EventKind
from casework.services.restriction import child_set_restricted
from casework.services.triage import referral_reject_not_cme
from casework.views.audit import PAGE_SIZE
from cme.audit import record_history
from cme.models import AccessAction, AccessLog, Role, User
from referrals.models import NotCmeReason, Referral
from schools.models import School
from tests.factories import CaseFactory, LeaverReturnFactory, ReferralFactory, UserFactory

SEARCH = reverse("audit:search")


pytestmark = pytest.mark.usefixtures("frozen")


def logged(**kw: Any) -> list[tuple[str, str, int | None]]:
    return list(AccessLog.objects.filter(**kw).values_list("action", "user__email", "child_id"))


# -- history -------------------------------------------------------------------------------


def test_a_change_through_a_service_records_who_made_it(manager: User) -> None:
    referral = ReferralFactory.create()
    referral_reject_not_cme(
        referral=referral,
        by=manager,
        reason=NotCmeReason.ON_ROLL_ATTENDING,
        notes="On roll at Alder",
    )
    latest = Referral.history.filter(id=referral.pk).latest("history_date", "history_id")
    assert latest.status == "not_cme"
    assert latest.history_type == "~"
    # Outside a request (a job, a shell) there is no request user: history_user is empty,
    # and the record's own updated_by still says who.
    assert latest.updated_by == manager


def test_the_restriction_service_names_the_manager_in_the_history(manager: User) -> None:
    case = CaseFactory.create()
    child_set_restricted(child=case.child, restricted=True, reason="Refuge", by=manager)
    latest = Child.history.filter(id=case.child.pk).latest("history_date", "history_id")
    assert latest.restricted is True
    assert latest.history_user == manager


def test_a_change_made_in_a_request_records_the_request_user(
    manager: User, manager_client: Client
) -> None:
    case = CaseFactory.create()
    child_set_restricted(child=case.child, restricted=True, reason="Refuge", by=manager)
    response = manager_client.post(
        reverse("cases:open_restricted", args=[case.child.pk]),
        {"reason": "Supervision", "next": reverse("cases:restrict", args=[case.child.pk])},
    )
    assert response.status_code == 302
    manager_client.post(reverse("cases:restrict", args=[case.child.pk]), {"reason": "Moved out"})
    latest = Child.history.filter(id=case.child.pk).latest("history_date", "history_id")
    assert latest.restricted is False
    assert latest.history_user == manager


def test_every_kind_of_school_return_keeps_its_history(staff_a: User, school_a: School) -> None:
    leaver = LeaverReturnFactory.create(school=school_a)
    leaver.status_detail = "Checked"
    leaver.save()
    assert leaver.history.count() == 2


def test_record_history_writes_a_row_for_a_queryset_update(manager: User) -> None:
    case = CaseFactory.create()
    Case.objects.filter(pk=case.pk).update(category="missing")
    record_history([Case.objects.get(pk=case.pk)], by=manager)
    latest = Case.history.filter(id=case.pk).latest("history_date", "history_id")
    assert latest.category == "missing"
    assert latest.history_user == manager


# -- the access log ------------------------------------------------------------------------


def test_viewing_a_case_logs_who_saw_which_child(officer: User, officer_client: Client) -> None:
    case = CaseFactory.create()
    assert officer_client.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    assert logged(object_id=case.pk) == [("view_case", officer.email, case.child_id)]


@pytest.mark.parametrize(
    ("name", "action"),
    [("cases:child", "view_child"), ("cases:chronology", "view_chronology")],
)
def test_viewing_a_child_or_chronology_is_logged(
    officer: User, officer_client: Client, name: str, action: str
) -> None:
    case = CaseFactory.create()
    assert officer_client.get(reverse(name, args=[case.child_id])).status_code == 200
    assert logged(action=action) == [(action, officer.email, case.child_id)]


def test_each_register_page_is_one_row_not_one_per_child(
    officer: User, officer_client: Client
) -> None:
    for _ in range(3):
        CaseFactory.create()
    officer_client.get(reverse("cases:register"), {"category": "wasp"})
    rows = AccessLog.objects.filter(action=AccessAction.VIEW_REGISTER)
    assert rows.count() == 1
    # The query string (which may hold a name typed into a filter) is never stored.
    assert rows.get().path == reverse("cases:register")


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("cases:register_csv", "export_register_csv"),
        ("cases:register_xlsx", "export_register_xlsx"),
    ],
)
def test_an_export_is_one_row_per_child_in_one_insert(
    officer: User, officer_client: Client, manager_client: Client, name: str, action: str
) -> None:
    cases = [CaseFactory.create() for _ in range(3)]
    response = officer_client.get(reverse(name))
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    rows = AccessLog.objects.filter(action=action)
    assert sorted(r.child_id or 0 for r in rows) == sorted(c.child_id for c in cases)
    assert {(r.user, r.detail) for r in rows} == {(officer, "3 children")}
    # So each child's audit page shows the export.
    page = manager_client.get(reverse("audit:child", args=[cases[0].child_id]))
    assert AccessAction(action).label.encode() in page.content


@pytest.mark.parametrize("n", [1, 4])
def test_an_export_writes_its_rows_in_one_insert(officer_client: Client, n: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(n):
        CaseFactory.create()
    with CaptureQueriesContext(connection) as queries:
        officer_client.get(reverse("cases:register_xlsx"))
    inserts = [q for q in queries if 'INSERT INTO "cme_accesslog"' in q["sql"]]
    assert len(inserts) == 1
    assert AccessLog.objects.filter(action="export_register_xlsx").count() == n


def test_viewing_a_referral_and_a_return_is_logged(
    officer: User, officer_client: Client, staff_a: User, client_a: Client, school_a: School
) -> None:
    case = CaseFactory.create()
    officer_client.get(reverse("triage:detail", args=[case.referral.reference]))
    assert logged(action="view_referral") == [("view_referral", officer.email, case.child_id)]
    school_return = LeaverReturnFactory.create(school=school_a)
    officer_client.get(reverse("schools:la_return_detail", args=[school_return.reference]))
    client_a.get(reverse("schools:return_detail", args=[school_return.reference]))
    assert sorted(logged(action="view_return")) == sorted(
        [("view_return", officer.email, None), ("view_return", staff_a.email, None)]
    )


def test_a_returns_page_is_logged_against_the_child_it_referred(
    officer: User, officer_client: Client, staff_a: User, client_a: Client, school_a: School
) -> None:
    school_return = LeaverReturnFactory.create(school=school_a)
    case = CaseFactory.create(referral__source_return=school_return)

    officer_client.get(reverse("schools:la_return_detail", args=[school_return.reference]))
    client_a.get(reverse("schools:return_detail", args=[school_return.reference]))

    assert sorted(logged(action="view_return")) == sorted(
        [
            ("view_return", officer.email, case.child_id),
            ("view_return", staff_a.email, case.child_id),
        ]
    )


def test_the_la_list_of_returns_is_logged(
    officer: User, officer_client: Client, school_a: School
) -> None:
    LeaverReturnFactory.create(school=school_a)

    assert officer_client.get(reverse("schools:la_returns")).status_code == 200

    row = AccessLog.objects.get(action=AccessAction.VIEW_RETURN_LIST)
    assert (row.user, row.detail, row.path) == (officer, "page 1", reverse("schools:la_returns"))


# -- the audit search ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_client", "client_a"])
def test_officers_and_school_staff_cannot_read_the_audit(
    request: pytest.FixtureRequest, persona: str
) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(SEARCH).status_code == 403
    case = CaseFactory.create()
    assert client.get(reverse("audit:child", args=[case.child_id])).status_code == 403


@pytest.mark.parametrize("persona", ["manager_client", "admin_client_"])
def test_managers_and_administrators_can_search_the_audit(
    request: pytest.FixtureRequest, persona: str, officer: User, officer_client: Client
) -> None:
    case = CaseFactory.create()
    other = CaseFactory.create()
    officer_client.get(reverse("cases:detail", args=[case.reference]))
    officer_client.get(reverse("cases:detail", args=[other.reference]))
    client = request.getfixturevalue(persona)
    response = client.post(
        SEARCH, {"child": case.reference, "user": "olive", "action": "view_case"}
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert client.post(SEARCH, {"child": str(other.child_id)}).context["page"].paginator.count == 1


def test_a_non_ascii_digit_in_the_child_search_is_not_a_server_error(
    manager_client: Client,
) -> None:
    # "²".isdigit() is True but int("²") raises: it must be read as a (matching nothing)
    # case reference, not crash the page.
    response = manager_client.post(SEARCH, {"child": "²"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_the_audit_search_filters_by_date(manager_client: Client, officer_client: Client) -> None:
    case = CaseFactory.create()
    officer_client.get(reverse("cases:detail", args=[case.reference]))
    today = timezone.localdate()
    yesterday = (today - timedelta(days=1)).isoformat()
    assert manager_client.post(SEARCH, {"date_to": yesterday}).context["page"].paginator.count == 0
    assert (
        manager_client.post(SEARCH, {"date_from": today.isoformat()})
        .context["page"]
        .paginator.count
        == 1
    )


def test_a_search_with_a_date_that_does_not_exist_shows_why_and_finds_nothing(
    manager_client: Client, officer_client: Client
) -> None:
    officer_client.get(reverse("cases:detail", args=[CaseFactory.create().reference]))
    officer_client.get(reverse("cases:detail", args=[CaseFactory.create().reference]))
    response = manager_client.post(SEARCH, {"action": "view_case", "date_from": "2026-02-31"})
    html = response.content.decode()
    assert response.context["page"].paginator.count == 0  # not the whole log
    assert "govuk-error-summary" in html
    assert 'href="#id_date_from"' in html
    assert "<title>Error: " in html
    assert "Correct the search to see the records." in html
    assert 'value="view_case" selected' in html  # what was chosen is kept


@pytest.mark.parametrize("rows", [5, 50])
def test_the_audit_search_runs_a_constant_number_of_queries(
    rows: int,
    officer: User,
    manager_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    AccessLog.objects.bulk_create(
        AccessLog(user=officer, action=AccessAction.VIEW_CHILD, child_id=i, path=f"/children/{i}/")
        for i in range(rows)
    )
    # session, user, count, page, notifications (+ 2 savepoints each side of the session save)
    with django_assert_max_num_queries(10):
        response = manager_client.get(SEARCH)
    assert response.status_code == 200
    cell = '<td class="govuk-table__cell">Viewed a child&#x27;s record</td>'
    assert response.content.decode().count(cell) == rows


def test_the_child_audit_lists_views_and_changes_read_only(
    manager: User, manager_client: Client, officer_client: Client
) -> None:
    case = CaseFactory.create()
    officer_client.get(reverse("cases:child", args=[case.child_id]))
    child_set_restricted(child=case.child, restricted=True, reason="Refuge", by=manager)
    child = Child.objects.get(pk=case.child_id)
    child.postcode = "ZZ9 9ZZ"
    child.save()
    response = manager_client.get(reverse("audit:child", args=[case.child_id]))
    html = response.content.decode()
    assert "Viewed a child&#x27;s record" in html
    assert "Olive Officer" in html
    assert "Restricted: No → Yes" in html
    # A restricted record's history says the address changed, never what it is.
    assert "ZZ9 9ZZ" not in html
    assert "Address withheld (restricted record)" in html
    assert manager_client.post(reverse("audit:child", args=[case.child_id])).status_code == 405
    assert manager_client.put(SEARCH).status_code == 405
    assert manager_client.delete(SEARCH).status_code == 405


def test_reading_a_childs_audit_is_itself_logged_once(
    manager: User, manager_client: Client
) -> None:
    case = CaseFactory.create()
    other = CaseFactory.create()
    response = manager_client.get(reverse("audit:child", args=[case.child_id]))
    assert response.status_code == 200
    assert logged() == [("view_child_audit", manager.email, case.child_id)]
    row = AccessLog.objects.get()
    assert (row.object_type, row.object_id) == ("child", case.child_id)
    assert not AccessLog.objects.filter(child_id=other.child_id).exists()


def test_the_restriction_is_an_event_on_the_chronology(manager: User) -> None:
    case = CaseFactory.create()
    child_set_restricted(child=case.child, restricted=True, reason="Refuge", by=manager)
    event = case.child.events.get()
    assert event.kind == EventKind.RESTRICTED
    assert event.detail == "Refuge"


@pytest.mark.parametrize("rows", [2, 30])
def test_the_child_audit_runs_a_constant_number_of_queries(
    rows: int, manager_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    case = CaseFactory.create()
    child = Child.objects.get(pk=case.child_id)
    # Each row by someone else: the names come with the rows, not one by one.
    people = [
        UserFactory.create(role=Role.OFFICER, full_name=f"Officer {i:02d}") for i in range(rows)
    ]
    AccessLog.objects.bulk_create(
        AccessLog(user=person, action=AccessAction.VIEW_CHILD, child_id=child.pk, path="/")
        for person in people
    )
    for i, person in enumerate(people):
        child._history_user = person  # type: ignore[attr-defined]  # simple_history's author
        child.town = f"Town {i:02d}"
        child.save()
        case._history_user = person  # type: ignore[attr-defined]
        case.allocated_to = person
        case.save()
    # session, user, child, access rows, child history, case history, the access log row, the
    # unread count, the session save (+ 4 savepoints)
    with django_assert_max_num_queries(13):
        response = manager_client.get(reverse("audit:child", args=[child.pk]))
    assert response.status_code == 200
    assert len(response.context["accesses"]) == rows
    assert len(response.context["child_changes"]) == rows + 1  # and the one that made it
    html = response.content.decode()
    assert all(f"Town {i:02d}" in html for i in range(rows))
    assert html.count("Officer 00") == 3  # a view, a change to the child, one to the case


# -- nobody changes or deletes the log -----------------------------------------------------


def test_there_is_no_url_to_change_or_delete_an_audit_row() -> None:
    for name in ("audit:edit", "audit:delete", "audit:change", "audit:update"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])


def test_the_admin_refuses_to_add_change_or_delete_access_log_rows(
    administrator: User, officer: User, admin_client_: Client
) -> None:
    row = AccessLog.objects.create(
        user=officer, action=AccessAction.VIEW_REGISTER, path="/register/"
    )
    model_admin = site._registry[AccessLog]
    request = RequestFactory().get("/")
    request.user = administrator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
    delete_url = reverse("admin:cme_accesslog_delete", args=[row.pk])
    admin_client_.post(delete_url, {"post": "yes"})
    assert AccessLog.objects.filter(pk=row.pk).exists()


# -- Issue 12: the search is POSTed, so no staff name or email goes into a URL ---------------


def test_the_search_is_a_post_form_with_a_csrf_token(manager_client: Client) -> None:
    html = manager_client.get(SEARCH).content.decode()
    form = html.split('class="app-filter"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in html.split('class="app-filter"')[1].split("</form>")[0]


def test_a_get_with_a_search_in_the_query_string_is_not_used(
    manager_client: Client, officer_client: Client
) -> None:
    case = CaseFactory.create()
    officer_client.get(reverse("cases:detail", args=[case.reference]))
    manager_client.get(reverse("cases:detail", args=[case.reference]))
    response = manager_client.get(SEARCH, {"user": "olive.officer@example.gov.uk", "q": "Olive"})
    assert response.status_code == 200
    # Not filtered by it, and not echoed back into the form or any link.
    assert response.context["page"].paginator.count == AccessLog.objects.count()
    assert not response.context["form"].is_bound
    html = response.content.decode()
    assert 'value="olive.officer@example.gov.uk"' not in html
    assert "olive.officer%40example.gov.uk" not in html


def test_the_post_finds_results_and_pages_through_them_by_post(
    manager_client: Client, officer: User, officer_client: Client
) -> None:
    for _ in range(PAGE_SIZE + 3):
        officer_client.get(reverse("cases:detail", args=[CaseFactory.create().reference]))
    response = manager_client.post(SEARCH, {"user": officer.email, "action": "view_case"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == PAGE_SIZE + 3
    html = response.content.decode()
    assert f'value="{officer.email}"' in html  # kept in the form, and in the paging form
    assert "?page=" not in html
    assert "user=" not in html
    assert 'name="page" value="2"' in html
    second = manager_client.post(
        SEARCH, {"user": officer.email, "action": "view_case", "page": "2"}
    )
    assert second.context["page"].number == 2
    assert len(second.context["page"].object_list) == 3
