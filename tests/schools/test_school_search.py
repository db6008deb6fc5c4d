"""The school picker's search: name, URN, postcode or town; the school meant first; one
query whatever the directory's size; JSON for the widget, a page without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from cme.models import User
from schools.directory_search import MAX_RESULTS, directory_search
from schools.models import School
from tests.factories import SchoolFactory

URL = reverse("schools:school_search")

pytestmark = pytest.mark.django_db


def found(client: Client, q: str, **extra: str) -> list[dict[str, Any]]:
    response = client.get(URL, {"q": q, **extra}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def urns(client: Client, q: str, **extra: str) -> list[int]:
    return [r["urn"] for r in found(client, q, **extra)]


DIRECTORY: list[dict[str, Any]] = [
    {"urn": 990101, "name": "Alder Park Primary", "town": "Exampleton", "postcode": "EX4 2QT"},
    {"urn": 990102, "name": "Birch Academy", "town": "Sampleford", "postcode": "SA1 9ZZ", "la_code": "888"},
    {"urn": 990103, "name": "Old Alder School", "town": "Exampleton", "postcode": "EX4 7AB", "is_open": False},
    {"urn": 990104, "name": "Alder Community College", "town": "Faraway", "postcode": "FA2 1CD", "la_code": "201"},
    {"urn": 990105, "name": "Alder Further Education College", "gias_type": "Further education", "town": "Exampleton", "postcode": "EX4 9FE"},
    {"urn": 123456, "name": "Cedar Centre", "town": "Alderton", "postcode": "EX2 8PD"},
]  # fmt: skip


@pytest.fixture
def directory(db: None) -> None:
    for school in DIRECTORY:
        SchoolFactory.create(**school)


def test_a_name_is_found_anywhere_in_it_and_the_json_has_what_the_widget_needs(
    client_a: Client, directory: None
) -> None:
    results = found(client_a, "birch")

    assert len(results) == 1
    birch = School.objects.get(urn=990102)
    assert results[0] == {
        "id": birch.pk,
        "urn": 990102,
        "name": "Birch Academy",
        "town": "Sampleford",
        "postcode": "SA1 9ZZ",
        "la_code": "888",
        "is_open": True,
        "in_area": False,
        "label": "Birch Academy (990102), Sampleford, SA1 9ZZ",
    }


def test_open_schools_come_first_then_the_las_own_then_names_starting_with_the_words(
    client_a: Client, directory: None
) -> None:
    # Open in the LA and starting "Alder", by name: the college, Alder Park, school A's Alder
    # Primary School (100001); Cedar Centre (in Alderton); then open elsewhere (Alder
    # Community College, in 201); then closed (Old Alder School).
    assert urns(client_a, "alder") == [990105, 990101, 100001, 123456, 990104, 990103]


def test_an_exact_urn_comes_first_and_a_closed_school_says_so(
    client_a: Client, directory: None
) -> None:
    results = found(client_a, "990103")

    assert [r["urn"] for r in results] == [990103]
    assert results[0]["label"] == "Old Alder School (990103), Exampleton, EX4 7AB (closed)"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("EX4 2QT", [990101]),
        ("ex42qt", [990101]),
        ("EX4", [990105, 990101, 990103]),
        ("sampleford", [990102]),
        ("alder exampleton", [990105, 990101, 990103]),
        ("123456", [123456]),
    ],
)
def test_postcode_town_urn_and_several_words(
    client_a: Client, directory: None, q: str, expected: list[int]
) -> None:
    assert urns(client_a, q) == expected


def test_schools_only_leaves_out_colleges_but_keeps_schools_added_by_hand(
    client_a: Client, directory: None
) -> None:
    assert 990105 not in urns(client_a, "alder", schools="1")
    assert 990101 in urns(client_a, "alder", schools="1")  # no GIAS type: added by hand


@pytest.mark.parametrize("q", ["", "a", " a ", "%", "__"])
def test_too_short_or_wildcards_find_nothing(client_a: Client, directory: None, q: str) -> None:
    assert urns(client_a, q) == []


def test_results_are_limited_and_say_there_are_more(client_a: Client) -> None:
    SchoolFactory.create_batch(MAX_RESULTS + 5, name="Hazel School")

    response = client_a.get(URL, {"q": "hazel", "format": "json"}).json()

    assert len(response["results"]) == MAX_RESULTS
    assert response["more"] is True


def test_one_query_whatever_the_size_of_the_directory(
    client_a: Client, django_assert_max_num_queries: DjangoAssertNumQueries, staff_a: User
) -> None:
    SchoolFactory.create_batch(300, name="Rowan Primary")
    client_a.get(URL, {"q": "rowan", "format": "json"})  # the session and user are read

    with django_assert_max_num_queries(1):
        results = directory_search(staff_a, "rowan")

    assert len(results) == MAX_RESULTS + 1


def test_without_javascript_the_page_lists_the_schools(client_a: Client, directory: None) -> None:
    response = client_a.get(URL, {"q": "alder"})

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'id="school-results"' in body
    assert "Alder Park Primary" in body
    assert body.index("Alder Park Primary") < body.index("Old Alder School")
    assert 'value="alder"' in body


def test_the_page_asks_for_more_when_too_little_is_typed(client_a: Client) -> None:
    body = client_a.get(URL, {"q": "a"}).content.decode()

    assert "govuk-error-summary" in body
    assert "Enter at least 2 characters" in body
    assert "<title>Error: " in body
    assert 'id="school-results"' not in body


def test_the_page_with_no_search_yet_is_just_the_form(client_a: Client) -> None:
    body = client_a.get(URL).content.decode()

    assert 'id="id_q"' in body
    assert "govuk-error-summary" not in body


def test_hostile_text_is_escaped_and_does_not_break_the_search(client_a: Client) -> None:
    SchoolFactory.create(name="<script>alert(1)</script> Academy")

    body = client_a.get(URL, {"q": "<script>"}).content.decode()

    assert "<script>alert(1)</script>" not in body
    # A bidirectional control is taken out before the search, not matched or shown.
    assert len(urns(client_a, "\u202e<script>")) == 1
    assert client_a.get(URL, {"q": "x" * 5000, "format": "json"}).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in_and_post_is_refused(
    client: Client, client_a: Client
) -> None:
    response = client.get(URL, {"q": "alder"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_a.post(URL, {"q": "alder"}).status_code == 405


@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        ("alder", {"school_name_upper_trgm", "school_town_upper_prefix"}),
        ("ex1 2ab", {"school_postcode_compact_prefix", "school_name_upper_trgm"}),
    ],
)
def test_the_search_is_served_by_the_directory_s_indexes_on_postgresql(
    query: str, indexes: set[str]
) -> None:
    """The lookups render exactly the expressions schools migrations 0011 and 0014 indexed:
    with sequential scans priced out (a test directory is too small for the planner to
    choose an index by itself, the national one is not), the plan reads those indexes and
    no sequential scan of the directory. Were an expression to drift from its index, the
    plan would fall back to a sequential scan whatever the price."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    SchoolFactory.create_batch(3)
    with CaptureQueriesContext(connection) as ran:
        directory_search(User(), query)
    (search,) = (q["sql"] for q in ran.captured_queries if "schools_school" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN {search}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "Seq Scan on schools_school" not in plan
    assert {name for name in indexes if f"Index Scan on {name}" in plan} == indexes
