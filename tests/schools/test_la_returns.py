from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from factory.django import DjangoModelFactory
from pytest_django import DjangoAssertNumQueries

from schools.models import School
from tests.factories import (
    AbsenceNotificationFactory,
    JoinerReturnFactory,
    LeaverReturnFactory,
    PartTimeTimetableFactory,
)
from tests.forms import shows

URL = reverse("schools:la_returns")


def make_returns(n: int, school: School) -> None:
    factories: list[type[DjangoModelFactory[Any]]] = [
        JoinerReturnFactory,
        LeaverReturnFactory,
        PartTimeTimetableFactory,
        AbsenceNotificationFactory,
    ]
    for i in range(n):
        factories[i % 4].create(school=school)


@pytest.mark.parametrize(
    ("persona", "url", "per_page"),
    [
        pytest.param("officer_client", URL, 50, id="the LA's returns"),
        pytest.param("client_a", reverse("schools:return_list"), 25, id="a school's submissions"),
    ],
)
@pytest.mark.parametrize("rows", [5, 50])
def test_return_lists_run_a_constant_number_of_queries(
    request: pytest.FixtureRequest,
    persona: str,
    url: str,
    per_page: int,
    school_a: School,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client: Client = request.getfixturevalue(persona)
    make_returns(rows, school_a)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"govuk-table__row") >= min(rows, per_page)


@pytest.mark.parametrize("rows", [2, 30])
def test_the_school_home_runs_a_constant_number_of_queries(
    client_a: Client,
    school_a: School,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    make_returns(rows, school_a)
    # session, user, the school, the unread count, the user's schools, the recent returns,
    # the session save (+ 4 savepoints)
    with django_assert_max_num_queries(11):
        response = client_a.get(reverse("schools:home"))
    assert response.status_code == 200
    recent = list(response.context["recent"])
    assert len(recent) == min(rows, 10)  # the ten latest
    html = response.content.decode()
    assert all(r.reference in html for r in recent)


def test_officers_filter_returns_by_kind_and_late(
    officer_client: Client, school_a: School, school_b: School
) -> None:
    late = JoinerReturnFactory.create(school=school_a, is_late=True, first_name="Latisha")
    JoinerReturnFactory.create(school=school_b, first_name="Ontime")
    LeaverReturnFactory.create(school=school_b, first_name="Leaving")
    response = officer_client.get(URL, {"kind": "joiner", "is_late": "on"})
    html = response.content.decode()
    assert late.reference in html
    assert "Ontime" not in html
    assert "Leaving" not in html


def test_la_staff_see_every_schools_returns(
    officer_client: Client, school_a: School, school_b: School
) -> None:
    a = JoinerReturnFactory.create(school=school_a)
    b = LeaverReturnFactory.create(school=school_b)
    html = officer_client.get(URL).content.decode()
    assert a.reference in html
    assert b.reference in html


def test_la_return_detail_shows_the_pupil_and_parents(
    officer_client: Client, school_a: School
) -> None:
    from tests.factories import ParentCarerFactory

    r = JoinerReturnFactory.create(school=school_a, first_name="Kofi", last_name="Mensah")
    ParentCarerFactory.create(school_return=r, name="Ama Mensah", position=1)
    html = officer_client.get(
        reverse("schools:la_return_detail", args=[r.reference])
    ).content.decode()
    assert "Kofi" in html
    assert "Mensah" in html
    assert "Ama Mensah" in html


def test_bad_filter_values_do_not_break_the_page(officer_client: Client) -> None:
    response = officer_client.get(
        URL, {"kind": "<script>", "school": "abc", "submitted_after": "32/13/2026", "page": "-1"}
    )
    assert response.status_code == 200


def test_a_filter_that_is_not_valid_is_shown_and_matches_nothing(
    officer_client: Client, school_a: School
) -> None:
    make_returns(4, school_a)
    html = officer_client.get(
        URL, {"kind": "leaver", "submitted_after": "2026-02-31"}
    ).content.decode()
    # The error summary, linked to the field, and the field's own message; nothing listed,
    # rather than every leaver with the date quietly dropped.
    shows(
        html,
        "govuk-error-summary",
        'href="#id_submitted_after"',
        "govuk-form-group--error",
        "Enter a valid date.",
        "<title>Error: ",
        "Correct the filters to see the returns.",
        "No returns match these filters.",
    )
    html = officer_client.get(URL, {"kind": "leaver"}).content.decode()
    assert "govuk-error-summary" not in html
    assert "1 return" in html
