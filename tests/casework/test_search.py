"""Find a child (issue 14 item 3): officers and managers search every child record by name
(with typos and other spellings), date of birth, UPN, NHS number or postcode; results say
what matched, best first; every search and every record opened is in the access log; a
restricted child is "a restricted record" until a reason is given; school staff never see it.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from casework.forms_search import ERROR_EMPTY, ERROR_NAME_SHORT
from casework.matching import child_keys_save
from casework.models import Child
from casework.selectors.search import (
    SearchResult,
    SearchTerms,
    find_children,
    find_children_for_bench,
    register_sqlite_functions,
    trigram_similarity,
    trigram_word_similarity,
)
from casework.services.merge import child_merge
from cme.models import AccessAction, AccessLog, User
from cme.statutory import upn_check_letter
from tests.factories import ChildFactory
from tests.support.people import person

pytestmark = pytest.mark.usefixtures("frozen")

FIND = reverse("cases:find_child")
RESULTS = reverse("cases:find_child_results")
NHS = "9434765919"  # the NHS's own example, with a correct check digit
UPN_REST = "999123426001"
UPN = upn_check_letter(UPN_REST) + UPN_REST


def child(**fields: Any) -> Child:
    """A child with its matching keys filled, as every service that writes one does."""
    return child_keys_save(ChildFactory.create(**fields))


@pytest.fixture
def amira(db: None) -> Child:
    return child(
        **person("Amira Khan", middle_names="Noor", other_names="Amira Begum"),
        date_of_birth=date(2015, 3, 27),
        upn=UPN,
        nhs_number=NHS,
        postcode="EX2 3CC",
    )


@pytest.fixture
def others(db: None) -> list[Child]:
    return [
        child(
            first_name="Oliver",
            last_name="Whitlock",
            date_of_birth=date(2013, 1, 2),
            postcode="EX9 9ZZ",
        ),
        child(
            first_name="Zofia",
            last_name="Kowalska",
            date_of_birth=date(2012, 6, 5),
            postcode="PL1 1AA",
        ),
        child(
            first_name="Rhys",
            last_name="Pritchard",
            date_of_birth=date(2014, 9, 9),
            postcode="CF1 2AB",
        ),
    ]


def search(user: User, **terms: Any) -> list[SearchResult]:
    return find_children(user=user, terms=SearchTerms(**terms))


def names(results: list[SearchResult]) -> list[str]:
    return [r.child.full_name for r in results]


def post(client: Client, **data: str) -> Any:
    return client.post(FIND, data, follow=True)


# -- each kind of term -------------------------------------------------------------------


def test_a_name_finds_the_child_and_says_what_matched(
    officer: User, amira: Child, others: list[Child]
) -> None:
    results = search(officer, name="Amira Khan")
    assert results[0].child == amira
    assert {"Same surname", "Same first name"} <= set(results[0].matched)


def test_the_names_may_come_in_any_order(officer: User, amira: Child, others: list[Child]) -> None:
    assert search(officer, name="Khan Amira")[0].child == amira


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Khann", "Surname sounds the same"),  # a letter doubled
        ("Kahn", "Surname sounds the same"),  # two letters swapped
        ("Cowalska", "Surname sounds the same"),  # another spelling
        ("Kowalaka", "Surname similar"),  # a letter wrong
    ],
)
def test_a_surname_with_a_typo_or_another_spelling_is_found(
    officer: User, amira: Child, others: list[Child], typed: str, reason: str
) -> None:
    results = search(officer, name=typed)
    assert results, typed
    assert results[0].child.last_name in {"Khan", "Kowalska"}
    assert reason in results[0].matched


@pytest.mark.parametrize(
    ("typed", "last_name"), [("Coehn", "Cohen"), ("Joye", "Joyce"), ("Fodr", "Ford")]
)
def test_a_short_surname_with_letters_swapped_or_missing_is_found_with_the_first_name(
    officer: User, others: list[Child], typed: str, last_name: str
) -> None:
    wanted = child(first_name="Glenn", last_name=last_name)
    child(first_name="Mary", last_name=last_name)
    results = search(officer, name=f"Glenn {typed}")
    assert [r.child for r in results[:1]] == [wanted]


def test_each_word_is_either_the_surname_or_the_first_name_not_both(
    officer: User, others: list[Child]
) -> None:
    cohen = child(first_name="Glenn", last_name="Cohen")
    # Gillen sounds like Glenn: but Glenn is the first name typed, not the surname too.
    child(first_name="Glenn", last_name="Gillen")
    results = search(officer, name="Glenn Coehn")
    assert results[0].child == cohen
    assert results[0].matched == ["Surname similar", "Same first name"]


@pytest.mark.parametrize(
    ("typed", "first_name", "reason"),
    [
        ("Amria", "Amira", "First name sounds the same"),  # two letters swapped
        ("Olivet", "Oliver", "First name similar"),  # a letter wrong
    ],
)
def test_a_first_name_alone_with_a_typo_is_found(
    officer: User, amira: Child, others: list[Child], typed: str, first_name: str, reason: str
) -> None:
    results = search(officer, name=typed)
    assert results[0].child.first_name == first_name
    assert reason in results[0].matched


def test_a_full_name_finds_the_children_with_both_names_alike(officer: User, amira: Child) -> None:
    mohammed = child(first_name="Mohammed", last_name="Khan")
    results = search(officer, name="Muhammad Kahn")
    assert [r.child for r in results] == [mohammed]
    assert results[0].matched == ["Surname sounds the same", "First name sounds the same"]


#: What is typed, and the one reason it finds Amira (and nobody else) for.
AMIRA_ALONE: dict[str, tuple[dict[str, str], str]] = {
    "a full name whose first name nobody has finds the surname": (
        {"name": "Bob Khan"},
        "Same surname",
    ),
    "a upn finds the one child": ({"upn": UPN.lower()}, "Same UPN"),
    "an nhs number finds the one child": ({"nhs_number": "943 476 5919"}, "Same NHS number"),
    "a postcode with the space": ({"postcode": "EX2 3CC"}, "Same postcode"),
    "a postcode in lower case without the space": ({"postcode": "ex23cc"}, "Same postcode"),
    "a postcode without the space": ({"postcode": "EX23CC"}, "Same postcode"),
}


@pytest.mark.parametrize(("typed", "reason"), AMIRA_ALONE.values(), ids=AMIRA_ALONE)
def test_what_is_typed_finds_the_one_child_for_its_reason(
    officer: User, amira: Child, others: list[Child], typed: dict[str, str], reason: str
) -> None:
    results = search(officer, **typed)
    assert [r.child for r in results] == [amira]
    assert results[0].matched == [reason]


def test_a_middle_or_other_name_finds_the_child(
    officer: User, amira: Child, others: list[Child]
) -> None:
    for typed in ("Begum", "Noor"):
        results = search(officer, name=typed)
        assert [r.child for r in results] == [amira], typed
        assert results[0].matched == ["Matches a middle or other name"]


def test_a_middle_or_other_name_with_a_typo_finds_the_child(
    officer: User, amira: Child, others: list[Child]
) -> None:
    # Found by exact word among the child's other_name_keys, the words like the one typed
    # coming from the table of names (which holds middle and other names' words too).
    assert amira.other_name_keys == "amira begum noor"
    for typed in ("Begun", "Nour Khan"):
        results = search(officer, name=typed)
        assert [r.child for r in results] == [amira], typed


def test_accents_and_punctuation_do_not_matter(officer: User, others: list[Child]) -> None:
    zoe = child(first_name="Zoë", last_name="O'Brien-Smith")
    assert search(officer, name="zoe obriensmith")[0].child == zoe


def test_a_date_of_birth_finds_the_children_born_that_day(
    officer: User, amira: Child, others: list[Child]
) -> None:
    twin = child(first_name="Zara", last_name="Khan", date_of_birth=date(2015, 3, 27))
    results = search(officer, date_of_birth=date(2015, 3, 27))
    assert {r.child for r in results} == {amira, twin}
    assert all(r.matched == ["Same date of birth"] for r in results)


def test_a_date_of_birth_with_day_and_month_swapped_is_found_lower(
    officer: User, others: list[Child]
) -> None:
    swapped = child(first_name="Ava", last_name="Hughes", date_of_birth=date(2014, 9, 6))
    same = child(first_name="Ava", last_name="Hughes", date_of_birth=date(2014, 6, 9))
    results = search(officer, date_of_birth=date(2014, 6, 9))
    assert [r.child for r in results] == [same, swapped]
    assert results[1].matched == ["Date of birth with day and month swapped"]


def test_a_postcode_stored_without_its_space_is_found(officer: User, others: list[Child]) -> None:
    bare = child(first_name="Ian", last_name="Moss", postcode="EX44QQ")
    assert [r.child for r in search(officer, postcode="EX4 4QQ")] == [bare]


def test_the_child_who_agrees_on_most_comes_first(officer: User, amira: Child) -> None:
    sister = child(
        first_name="Sara", last_name="Khan", date_of_birth=date(2017, 1, 1), postcode="EX2 3CC"
    )
    namesake = child(first_name="Amir", last_name="Khan", date_of_birth=date(2015, 3, 27))
    stranger = child(
        first_name="Jack", last_name="Hill", date_of_birth=date(2015, 3, 27), postcode="EX1 1AA"
    )
    results = search(officer, name="Amira Khan", date_of_birth=date(2015, 3, 27), postcode="EX23CC")
    assert [r.child for r in results] == [amira, namesake, sister, stranger]
    assert results[0].matched == [
        "Same surname",
        "Same first name",
        "Matches a middle or other name",
        "Same date of birth",
        "Same postcode",
    ]
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_nothing_found_is_an_empty_list(officer: User, others: list[Child]) -> None:
    assert search(officer, name="Xylophone") == []


def test_an_anonymised_record_is_never_found(officer: User, amira: Child) -> None:
    Child.objects.filter(pk=amira.pk).update(anonymised_at="2026-11-01T00:00:00Z")
    assert search(officer, upn=UPN) == []


def test_the_bench_entry_point_gives_the_same_results(officer: User, amira: Child) -> None:
    terms = SearchTerms(name="Amria Kahn")
    assert find_children_for_bench(terms) == find_children(user=officer, terms=terms)


def test_school_staff_cannot_use_the_selector(staff_a: User, amira: Child) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        search(staff_a, name="Khan")


# -- merged and restricted records ------------------------------------------------------


def test_a_merged_record_leads_to_the_record_it_was_merged_into(
    officer: User, manager: User, amira: Child
) -> None:
    # Referred once from an old address, before the records were found to be one child.
    duplicate = child(first_name="Amirah", last_name="Kaan", postcode="TQ1 1AA")
    child_merge(kept=amira, merged=duplicate, by=manager, reason="The same child")
    results = search(officer, postcode="TQ1 1AA")
    assert [r.child for r in results] == [amira]
    assert results[0].found_on == duplicate.pk


def test_a_child_found_on_both_records_is_shown_once(
    officer: User, manager: User, amira: Child
) -> None:
    duplicate = child(first_name="Amira", last_name="Khan", date_of_birth=None, postcode="")
    child_merge(kept=amira, merged=duplicate, by=manager, reason="The same child")
    results = search(officer, name="Amira Khan")
    assert [r.child for r in results] == [amira]
    assert results[0].found_on is None  # the kept record agrees at least as well


def test_a_restricted_child_is_only_a_restricted_record(
    officer_client: Client, amira: Child
) -> None:
    Child.objects.filter(pk=amira.pk).update(restricted=True)
    page = post(officer_client, name="Amira Khan").content.decode()
    assert "A restricted record" in page
    for secret in ("Amira", "Khan", "27 Mar 2015", "EX2 3CC", UPN, "Same postcode"):
        assert secret not in page.split('id="results"')[1].split("</table>")[0], secret


def test_opening_a_restricted_result_asks_for_a_reason_first(
    officer_client: Client, amira: Child
) -> None:
    Child.objects.filter(pk=amira.pk).update(restricted=True)
    post(officer_client, upn=UPN)
    opened = officer_client.get(reverse("cases:child", args=[amira.pk]))
    assert opened.status_code == 302
    assert opened["Location"].startswith(reverse("cases:open_restricted", args=[amira.pk]))


# -- the pages ----------------------------------------------------------------------------


def test_officers_and_managers_have_find_a_child_in_the_header(
    officer_client: Client, manager_client: Client, client_a: Client
) -> None:
    link = f'href="{FIND}"'
    assert link in officer_client.get(reverse("cases:my_cases")).content.decode()
    assert link in manager_client.get(reverse("cases:register")).content.decode()
    assert link not in client_a.get(reverse("schools:home")).content.decode()


@pytest.mark.parametrize("url", [FIND, RESULTS])
def test_school_staff_and_the_public_cannot_search(
    client_a: Client, client: Client, url: str
) -> None:
    assert client_a.get(url).status_code == 403
    assert client_a.post(FIND, {"name": "Khan"}).status_code == 403
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_a_search_is_posted_and_the_results_page_has_no_terms_in_its_url(
    officer_client: Client, amira: Child
) -> None:
    response = officer_client.post(FIND, {"name": "Amira Khan", "upn": UPN})
    assert response.status_code == 302
    assert response["Location"] == RESULTS
    page = officer_client.get(RESULTS)
    assert "Amira Noor Khan" in page.content.decode()
    assert "Same surname" in page.content.decode()


def test_the_results_page_keeps_the_terms_to_search_again(
    officer_client: Client, amira: Child
) -> None:
    page = post(
        officer_client,
        name="Amira Khan",
        date_of_birth_0="27",
        date_of_birth_1="3",
        date_of_birth_2="2015",
    )
    html = page.content.decode()
    assert 'value="Amira Khan"' in html
    assert 'name="date_of_birth_2" type="text" value="2015"' in html or 'value="2015"' in html


def test_the_results_page_without_a_search_goes_back_to_the_form(officer_client: Client) -> None:
    assert officer_client.get(RESULTS)["Location"] == FIND


def test_an_empty_search_is_a_clear_error(officer_client: Client) -> None:
    page = officer_client.post(FIND, {"name": "  "})
    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-error-summary" in html
    assert ERROR_EMPTY in html
    assert 'href="#id_name"' in html
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH_CHILDREN).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"upn": "A12345", "name": "Khan"}, "Enter a UPN of 13 characters, like A123456789012"),
        ({"nhs_number": "943 476 5910", "name": "Khan"}, "The NHS number is not valid"),
        ({"postcode": "ZZZ", "name": "Khan"}, "Enter a real postcode, like AB1 2CD"),
        (
            {
                "date_of_birth_0": "31",
                "date_of_birth_1": "2",
                "date_of_birth_2": "2015",
                "name": "Khan",
            },
            "The date of birth must be a real date",
        ),
        ({"name": "K"}, ERROR_NAME_SHORT),
    ],
)
def test_a_search_with_a_mistake_re_renders_with_the_error_and_what_was_typed(
    officer_client: Client, data: dict[str, str], message: str
) -> None:
    page = officer_client.post(FIND, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert f'value="{data["name"]}"' in html


def test_a_results_page_runs_the_same_number_of_queries_for_few_or_many_children(
    officer_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    post(officer_client, name="Khan")
    child(first_name="Ali", last_name="Khan")
    # The candidates' scores, then the best of them as records: one query more than a
    # search that sorted in SQL, the same for one child or thirty.
    with django_assert_max_num_queries(10):
        few = officer_client.get(RESULTS)
    for n in range(30):
        child(first_name=f"Child{n}", last_name="Khan", restricted=n % 5 == 0)
    kept = child(first_name="Kept", last_name="Khan")
    Child.objects.filter(last_name="Khan", first_name="Child1").update(merged_into=kept)
    with django_assert_max_num_queries(10):
        many = officer_client.get(RESULTS)
    assert few.status_code == many.status_code == 200
    assert many.content.decode().count("govuk-table__row") > few.content.decode().count(
        "govuk-table__row"
    )


# -- the access log -----------------------------------------------------------------------


def test_every_search_is_in_the_access_log_with_its_terms_and_the_children_shown(
    officer: User, officer_client: Client, amira: Child, others: list[Child]
) -> None:
    post(officer_client, name="Amira Khan", postcode="ex23cc")
    rows = list(AccessLog.objects.filter(action=AccessAction.SEARCH_CHILDREN))
    assert [r.child_id for r in rows] == [amira.pk]
    row = rows[0]
    assert row.user == officer
    assert row.search_terms == {"name": "Amira Khan", "postcode": "EX2 3CC"}
    assert row.detail == "Searched by name, postcode: 1 found"
    assert row.path == RESULTS


def test_a_search_that_finds_nobody_is_logged_too(officer_client: Client) -> None:
    post(officer_client, name="Nobody")
    row = AccessLog.objects.get(action=AccessAction.SEARCH_CHILDREN)
    assert row.child_id is None
    assert row.detail == "Searched by name: 0 found"


def test_opening_a_result_is_logged_as_a_view_of_the_child(
    officer_client: Client, amira: Child
) -> None:
    post(officer_client, upn=UPN)
    assert officer_client.get(reverse("cases:child", args=[amira.pk])).status_code == 200
    assert AccessLog.objects.filter(action=AccessAction.VIEW_CHILD, child_id=amira.pk).exists()


def test_no_term_reaches_the_application_logs(
    officer_client: Client, amira: Child, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        post(officer_client, name="Amira Khan", upn=UPN)
        officer_client.post(FIND, {"upn": "BAD", "name": "Amira Khan"})
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("django.db"))
    assert "Amira" not in text
    assert UPN not in text


# -- SQLite's stand-ins for pg_trgm -------------------------------------------------------


def test_the_python_trigram_similarity_is_pg_trgms() -> None:
    # pg_trgm: similarity('word', 'two words') = 0.363636 (4 shared of 11 trigrams)
    assert trigram_similarity("word", "two words") == pytest.approx(4 / 11)
    assert trigram_similarity("khan", "khan") == 1.0
    assert trigram_similarity("", "khan") == 0.0
    assert trigram_word_similarity("begum", "amira begum") == 1.0


def test_the_python_trigram_similarity_agrees_with_the_databases(db: None) -> None:
    """On PostgreSQL this is pg_trgm's own similarity; on SQLite, the function registered."""
    pairs = [("khan", "kahn"), ("kowalska", "cowalska"), ("smith", "smyth"), ("o brien", "obrien")]
    register_sqlite_functions()
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert trigram_similarity(a, b) == pytest.approx(cursor.fetchone()[0], abs=1e-6)


def test_managers_see_what_was_typed_in_the_audit(
    officer_client: Client, manager_client: Client, amira: Child
) -> None:
    post(officer_client, name="Amira Kahn")
    audit = manager_client.get(
        reverse("audit:search"), {"action": AccessAction.SEARCH_CHILDREN}
    ).content.decode()
    assert "Searched for a child" in audit
    assert "name “Amira Kahn”" in audit
