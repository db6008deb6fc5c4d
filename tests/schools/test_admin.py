"""The admin for schools, term dates and closures: administrators only."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cme.models import Role, User
from schools.models import Closure, School, SchoolMembership, Term
from tests.conftest import client_for
from tests.factories import ClosureFactory, TermFactory, UserFactory

CHANGELISTS = [
    "admin:schools_school_changelist",
    "admin:schools_term_changelist",
    "admin:schools_closure_changelist",
    "admin:schools_schoolmembership_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_administrator_opens_the_changelists(
    admin_client_: Client, school_a: School, name: str
) -> None:
    TermFactory.create(school=school_a)
    ClosureFactory.create()

    response = admin_client_.get(reverse(name))

    assert response.status_code == 200


def lists(client: Client, url: str, query: dict[str, str], shown: str, not_shown: str) -> None:
    """The changelist at `url`, filtered by `query`, lists `shown` and not `not_shown`."""
    content = client.get(url, query).content.decode()
    assert shown in content
    assert not_shown not in content


def test_school_changelist_searches_and_filters(
    admin_client_: Client, school_a: School, school_b: School
) -> None:
    url = reverse("admin:schools_school_changelist")

    lists(admin_client_, url, {"q": "Alder"}, "Alder Primary School", "Birch Academy")
    lists(admin_client_, url, {"q": "100002"}, "Birch Academy", "Alder Primary School")
    assert admin_client_.get(url, {"is_open__exact": "1", "la_code": "999"}).status_code == 200


def test_term_changelist_filters_la_wide_terms(admin_client_: Client, school_a: School) -> None:
    TermFactory.create(name="LA Autumn 2026")
    TermFactory.create(name="Alder Autumn 2026", school=school_a)
    url = reverse("admin:schools_term_changelist")

    lists(admin_client_, url, {"applies_to": "la"}, "LA Autumn 2026", "Alder Autumn 2026")
    lists(admin_client_, url, {"applies_to": "school"}, "Alder Autumn 2026", "LA Autumn 2026")


def test_administrator_adds_an_la_term_and_is_recorded(
    admin_client_: Client, administrator: User
) -> None:
    response = admin_client_.post(
        reverse("admin:schools_term_add"),
        {"school": "", "name": "Spring 2027", "start": "04/01/2027", "end": "26/03/2027"},
    )

    assert response.status_code == 302
    term = Term.objects.get()
    assert (term.school, term.start, term.end) == (None, date(2027, 1, 4), date(2027, 3, 26))
    assert term.created_by == administrator
    assert term.updated_by == administrator


def test_a_term_ending_before_it_starts_is_refused(admin_client_: Client) -> None:
    response = admin_client_.post(
        reverse("admin:schools_term_add"),
        {"school": "", "name": "Backwards", "start": "26/03/2027", "end": "04/01/2027"},
    )

    assert response.status_code == 200
    assert not Term.objects.exists()


def test_administrator_adds_a_school_closure_and_a_second_edit_keeps_the_creator(
    admin_client_: Client, administrator: User, school_a: School
) -> None:
    admin_client_.post(
        reverse("admin:schools_closure_add"),
        {"school": school_a.pk, "date": "01/09/2026", "reason": "INSET day"},
    )
    closure = Closure.objects.get()
    other_admin = UserFactory.create(email="eve@la.gov.uk", role=Role.ADMINISTRATOR, is_staff=True)

    client_for(other_admin).post(
        reverse("admin:schools_closure_change", args=[closure.pk]),
        {"school": school_a.pk, "date": "01/09/2026", "reason": "Polling station"},
    )

    closure.refresh_from_db()
    assert (closure.school, closure.reason) == (school_a, "Polling station")
    assert closure.created_by == administrator
    assert closure.updated_by == other_admin


def test_a_second_la_wide_closure_on_the_same_day_is_refused(admin_client_: Client) -> None:
    ClosureFactory.create(school=None, date=date(2026, 9, 1))

    response = admin_client_.post(
        reverse("admin:schools_closure_add"),
        {"school": "", "date": "01/09/2026", "reason": "INSET day"},
    )

    assert response.status_code == 200
    assert b"already an LA-wide closure on this date" in response.content
    assert Closure.objects.count() == 1


@pytest.mark.parametrize("name", ["admin:schools_term_add", "admin:schools_closure_add"])
def test_an_add_page_with_a_school_that_is_not_a_number_still_shows(
    admin_client_: Client, name: str
) -> None:
    assert admin_client_.get(reverse(name), {"school": "abc"}).status_code == 200

    posted = admin_client_.post(
        reverse(name),
        {"school": "abc", "name": "Spring", "start": "04/01/2027", "end": "26/03/2027",
         "date": "04/01/2027", "reason": "INSET day"},
    )  # fmt: skip

    assert posted.status_code == 200
    assert b"Select a valid choice" in posted.content
    assert not Term.objects.exists()
    assert not Closure.objects.exists()


@pytest.fixture
def user_admin(administrator: User) -> Client:
    """The User admin (cme/admin.py) follows the role: an administrator needs nothing more."""
    return client_for(administrator)


def test_user_page_lists_and_adds_the_schools_they_act_for(
    user_admin: Client, administrator: User, staff_a: User, school_b: School
) -> None:
    url = reverse("admin:cme_user_change", args=[staff_a.pk])
    page = user_admin.get(url)
    assert page.status_code == 200
    assert b"schools this person acts for" in page.content.lower()
    membership = SchoolMembership.objects.get(user=staff_a)
    prefix = "memberships"

    response = user_admin.post(
        url,
        {
            "email": staff_a.email, "full_name": staff_a.full_name, "job_title": "",
            "phone": "", "role": Role.SCHOOL_STAFF, "is_active": "on",
            f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-id": membership.pk, f"{prefix}-0-user": staff_a.pk,
            f"{prefix}-0-school": membership.school_id,
            f"{prefix}-1-id": "", f"{prefix}-1-user": staff_a.pk,
            f"{prefix}-1-school": school_b.pk,
        },
    )  # fmt: skip

    assert response.status_code == 302, response.content
    assert set(staff_a.memberships.values_list("school", flat=True)) == {
        membership.school_id,
        school_b.pk,
    }
    added = SchoolMembership.objects.get(user=staff_a, school=school_b)
    assert added.created_by == administrator


def test_the_add_user_page_still_works(user_admin: Client) -> None:
    assert user_admin.get(reverse("admin:cme_user_add")).status_code == 200


@pytest.mark.parametrize("signed_in", ["officer_client", "manager_client", "client_a"])
@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/schools/school/", "/admin/schools/term/", "/admin/schools/term/add/"],
)
def test_other_roles_are_refused_the_admin(
    request: pytest.FixtureRequest, signed_in: str, url: str
) -> None:
    assert request.getfixturevalue(signed_in).get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.SCHOOL_STAFF])
def test_staff_flag_without_the_administrator_role_is_not_enough(db: None, role: str) -> None:
    user = UserFactory.create(email=f"{role}@la.gov.uk", role=role, is_staff=True)

    response = client_for(user).get("/admin/schools/term/")

    assert response.status_code == 403


def test_other_roles_cannot_post_a_term(officer: User) -> None:
    response = client_for(officer).post(
        "/admin/schools/term/add/",
        {"school": "", "name": "Sneaky", "start": "04/01/2027", "end": "26/03/2027"},
    )

    assert response.status_code == 403
    assert not Term.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "admin:schools_term_add",
        "admin:schools_closure_add",
        "admin:schools_schoolmembership_add",
    ],
)
def test_no_admin_form_lists_the_directory_as_options(admin_client_: Client, name: str) -> None:
    """A school is chosen by the admin's autocomplete (a search), not from a <select> of every
    school: with the national directory (50,000) such a page would be megabytes."""
    from tests.factories import SchoolFactory

    schools = SchoolFactory.create_batch(30)

    page = admin_client_.get(reverse(name)).content.decode()

    assert 'data-model-name="school"' in page or "admin-autocomplete" in page
    assert not [s for s in schools if f">{s.name}</option>" in page]


def test_a_persons_page_lists_none_of_the_directory_as_options(
    admin_client_: Client, school_a: School
) -> None:
    from tests.factories import SchoolFactory

    schools = SchoolFactory.create_batch(30)
    person = UserFactory.create(role=Role.SCHOOL_STAFF)
    SchoolMembership.objects.create(user=person, school=school_a)

    page = admin_client_.get(reverse("admin:cme_user_change", args=[person.pk])).content.decode()

    assert "admin-autocomplete" in page
    assert not [s for s in schools if f">{s.name}</option>" in page]
