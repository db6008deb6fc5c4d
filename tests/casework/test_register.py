"""The central CME register, its exports, my cases and the team page."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from casework.events import record_event
from casework.models import Case, CaseStatus, Category, EventKind, Outcome
from cme.models import Role, User
from tests.casework.register_rows import cells
from tests.conftest import SIGN_IN, TODAY, answers
from tests.factories import CaseFactory, ChildFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.usefixtures("frozen")

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

URL = reverse("cases:register")
CSV_URL = reverse("cases:register_csv")
XLSX_URL = reverse("cases:register_xlsx")


def refs(response: TestResponse) -> set[Case]:
    return set(response.context["page"].object_list)


def csv_rows(response: TestResponse) -> list[list[str]]:
    text = response.getvalue().decode()
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response: TestResponse) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def overdue_case(**kw: Any) -> Case:
    case: Case = CaseFactory.create(
        received_on=TODAY - timedelta(days=20), due_date=TODAY - timedelta(days=1), **kw
    )
    return case


# -- filters ----------------------------------------------------------------------------


def test_the_register_lists_open_cases_only_including_untraceable(officer_client: Client) -> None:
    open_ = CaseFactory.create()
    untraceable = CaseFactory.create(
        outcome=Outcome.UNTRACEABLE,
        category=Category.MISSING,
        review_date=TODAY + timedelta(days=60),
    )
    CaseFactory.create(status=CaseStatus.CLOSED, outcome=Outcome.DIED, closed_at=timezone.now())
    assert refs(officer_client.get(URL)) == {open_, untraceable}


def test_filter_by_category(officer_client: Client) -> None:
    wasp = CaseFactory.create(category=Category.WASP)
    missing = CaseFactory.create(category=Category.MISSING)
    assert refs(officer_client.get(URL, {"category": "missing"})) == {missing}
    assert refs(officer_client.get(URL, {"category": "wasp"})) == {wasp}


def test_filter_overdue(officer_client: Client) -> None:
    late = overdue_case()
    CaseFactory.create()
    overdue_case(investigation_completed_at=timezone.now())  # clock stopped: not overdue
    assert refs(officer_client.get(URL, {"overdue": "on"})) == {late}
    assert len(refs(officer_client.get(URL))) == 3


def test_filter_by_officer(officer_client: Client, officer: User, manager: User) -> None:
    mine = CaseFactory.create(allocated_to=officer)
    CaseFactory.create(allocated_to=manager)
    CaseFactory.create()
    assert refs(officer_client.get(URL, {"officer": officer.pk})) == {mine}


def test_filter_by_vulnerability_flags_needs_every_flag_ticked(officer_client: Client) -> None:
    both = CaseFactory.create(
        child=ChildFactory.create(child_protection_plan=True, looked_after=True)
    )
    cp = CaseFactory.create(child=ChildFactory.create(child_protection_plan=True))
    CaseFactory.create()
    assert refs(officer_client.get(URL, {"flags": ["child_protection_plan"]})) == {both, cp}
    assert refs(officer_client.get(URL, {"flags": ["child_protection_plan", "looked_after"]})) == {
        both
    }


def test_filter_by_age_range_and_nc_year(officer_client: Client) -> None:
    year8 = CaseFactory.create(
        child=ChildFactory.create(date_of_birth=date(2014, 2, 3))
    )  # 12, Year 8
    year1 = CaseFactory.create(
        child=ChildFactory.create(date_of_birth=date(2020, 10, 1))
    )  # 6, Year 1
    ten = CaseFactory.create(
        child=ChildFactory.create(date_of_birth=date(2016, 11, 23))
    )  # 10 today, Year 5
    assert refs(officer_client.get(URL, {"nc_year": "8"})) == {year8}
    assert refs(officer_client.get(URL, {"nc_year": "1"})) == {year1}
    assert refs(officer_client.get(URL, {"age_from": "10", "age_to": "12"})) == {year8, ten}
    assert refs(officer_client.get(URL, {"age_to": "9"})) == {year1}


def test_filter_by_last_school_reason_and_received_dates(officer_client: Client) -> None:
    school = SchoolFactory.create()
    at_school = CaseFactory.create(child=ChildFactory.create(last_school=school))
    exploited = CaseFactory.create(referral__reasons=["exploitation", "stopped_attending"])
    old = CaseFactory.create(received_on=date(2026, 9, 1), due_date=date(2026, 9, 15))
    assert refs(officer_client.get(URL, {"last_school": school.pk})) == {at_school}
    assert refs(officer_client.get(URL, {"reason": "exploitation"})) == {exploited}
    assert refs(officer_client.get(URL, {"received_before": "2026-10-01"})) == {old}
    assert old not in refs(officer_client.get(URL, {"received_after": "2026-10-01"}))


def test_selected_filters_are_removable_tags(officer_client: Client, officer: User) -> None:
    response = officer_client.get(
        URL, {"category": "missing", "flags": ["looked_after", "young_carer"]}
    )
    tags = {t["label"]: t["url"] for t in response.context["tags"]}
    assert "Category: CME-missing" in tags
    assert "flags=young_carer" in tags["Vulnerability: Looked after"]
    assert "category" not in tags["Category: CME-missing"]


def test_sorting_by_column(officer_client: Client) -> None:
    a = CaseFactory.create(child=ChildFactory.create(last_name="Adams"))
    z = CaseFactory.create(child=ChildFactory.create(last_name="Zephyr"))
    assert list(officer_client.get(URL, {"sort": "child"}).context["page"].object_list) == [a, z]
    assert list(officer_client.get(URL, {"sort": "-child"}).context["page"].object_list) == [z, a]
    assert officer_client.get(URL, {"sort": "bogus"}).status_code == 200


def test_the_register_pages_at_50(officer_client: Client) -> None:
    for _ in range(51):
        CaseFactory.create()
    response = officer_client.get(URL)
    assert len(response.context["page"].object_list) == 50
    assert len(officer_client.get(URL, {"page": 2}).context["page"].object_list) == 1


def test_bad_filter_values_do_not_break_the_register(officer_client: Client) -> None:
    response = officer_client.get(
        URL,
        {
            "category": "<x>",
            "officer": "abc",
            "age_from": "-3",
            "received_after": "32/13",
            "nc_year": "99",
            "page": "-1",
        },
    )
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_the_register_runs_a_constant_number_of_queries(
    officer_client: Client,
    officer: User,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    reasons = ["mental-health", "other", "not-recorded"]
    for i in range(rows):
        # A primary reason of its own a row: the register's reason column is in the one query.
        CaseFactory.create(
            allocated_to=officer,
            child=ChildFactory.create(last_school=SchoolFactory.create()),
            primary_reason_id=reasons[i % len(reasons)],
        )
    # +1 (issue 12, A8): how many of the matching children are not of compulsory school age
    # +1 (issue 15): the primary reason filter's choices, the DfE list read as data
    with django_assert_max_num_queries(15):
        response = officer_client.get(URL, {"category": "wasp", "sort": "officer"})
    assert response.status_code == 200


# -- exports ----------------------------------------------------------------------------


def test_csv_export_has_exactly_the_filtered_rows_and_neutralises_formulas(
    officer_client: Client,
) -> None:
    evil = CaseFactory.create(
        category=Category.MISSING,
        child=ChildFactory.create(first_name="=cmd|' /C calc'!A0", last_name="+Sum"),
    )
    CaseFactory.create(category=Category.WASP)
    rows = csv_rows(officer_client.get(CSV_URL, {"category": "missing"}))
    assert rows[0][0] == "Reference"
    assert [r[0] for r in rows[1:]] == [evil.reference]
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][2] == "'+Sum"


def test_xlsx_export_has_exactly_the_filtered_rows_and_neutralises_formulas(
    officer_client: Client,
) -> None:
    evil = overdue_case(child=ChildFactory.create(first_name="@SUM(A1)", last_name="-2+3"))
    CaseFactory.create()
    response = officer_client.get(XLSX_URL, {"overdue": "on"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response)
    assert [r[0] for r in rows[1:]] == [evil.reference]
    assert rows[1][1] == "'@SUM(A1)"
    assert rows[1][2] == "'-2+3"


def test_exports_follow_the_register_filters_for_every_row(officer_client: Client) -> None:
    for _ in range(3):
        CaseFactory.create(child=ChildFactory.create(looked_after=True))
    CaseFactory.create()
    params = {"flags": ["looked_after"]}
    page = {c.reference for c in officer_client.get(URL, params).context["page"].object_list}
    csv_refs = {r[0] for r in csv_rows(officer_client.get(CSV_URL, params))[1:]}
    xlsx_refs = {r[0] for r in xlsx_rows(officer_client.get(XLSX_URL, params))[1:]}
    assert page == csv_refs == xlsx_refs
    assert len(page) == 3


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_exports_run_a_constant_number_of_queries(
    officer_client: Client,
    officer: User,
    rows: int,
    url: str,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(rows):
        CaseFactory.create(allocated_to=officer)
    # +2: the count of children for the access log, and its row
    with django_assert_max_num_queries(11):
        response = officer_client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)


# -- my cases and team ------------------------------------------------------------------


def test_my_cases_has_due_today_this_week_overdue_and_newly_allocated(
    officer_client: Client, officer: User
) -> None:
    overdue = overdue_case(allocated_to=officer)
    today = CaseFactory.create(
        allocated_to=officer, received_on=TODAY - timedelta(days=14), due_date=TODAY
    )
    week = CaseFactory.create(allocated_to=officer, due_date=TODAY + timedelta(days=3))
    later = CaseFactory.create(allocated_to=officer, due_date=TODAY + timedelta(days=20))
    CaseFactory.create(due_date=TODAY)  # someone else's
    record_event(child=later.child, case=later, kind=EventKind.ALLOCATED, summary="Allocated")
    sections = dict(officer_client.get(reverse("cases:my_cases")).context["sections"])
    assert sections["Overdue"] == [overdue]
    assert sections["Due today"] == [today]
    assert sections["Due this week"] == [week]
    assert sections["Newly allocated"] == [later]


@pytest.mark.parametrize("rows", [5, 50])
def test_my_cases_runs_a_constant_number_of_queries(
    officer_client: Client,
    officer: User,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(rows):
        case = CaseFactory.create(allocated_to=officer, due_date=TODAY + timedelta(days=i % 7))
        # Allocated this week, so the "Newly allocated" section has every row too.
        record_event(child=case.child, case=case, kind=EventKind.ALLOCATED, summary="Allocated")
    # session, user, the seven sections, the open count, the unread count, the session save
    # (+ 4 savepoints)
    with django_assert_max_num_queries(16):
        response = officer_client.get(reverse("cases:my_cases"))
    assert response.status_code == 200
    sections = dict(response.context["sections"])
    assert len(sections["Newly allocated"]) == rows
    assert f"Newly allocated ({rows})" in response.content.decode()


def test_team_counts_open_due_this_week_and_overdue_per_officer(
    manager_client: Client, officer: User, manager: User
) -> None:
    overdue_case(allocated_to=officer)
    CaseFactory.create(allocated_to=officer, due_date=TODAY + timedelta(days=2))
    CaseFactory.create(allocated_to=officer, due_date=TODAY + timedelta(days=30))
    CaseFactory.create(
        allocated_to=officer,
        status=CaseStatus.CLOSED,
        outcome=Outcome.DIED,
        closed_at=timezone.now(),
    )
    officers = {o.pk: o for o in manager_client.get(reverse("cases:team")).context["officers"]}
    row = officers[officer.pk]
    assert (row.open_count, row.due_this_week, row.overdue_count) == (3, 1, 1)
    assert officers[manager.pk].open_count == 0


@pytest.mark.parametrize("rows", [5, 50])
def test_team_runs_a_constant_number_of_queries(
    manager_client: Client, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _i in range(rows):
        CaseFactory.create(allocated_to=UserFactory.create(role=Role.OFFICER))
    with django_assert_max_num_queries(9):
        assert manager_client.get(reverse("cases:team")).status_code == 200


# -- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["register", "register_csv", "register_xlsx", "my_cases"])
def test_caseworker_pages_by_persona(
    client: Client, client_a: Client, officer_client: Client, manager_client: Client, name: str
) -> None:
    url = reverse(f"cases:{name}")
    assert answers(
        url, anonymous=client, school=client_a, officer=officer_client, manager=manager_client
    ) == {"anonymous": SIGN_IN, "school": 403, "officer": 200, "manager": 200}


def test_team_is_for_managers_only(
    client: Client, client_a: Client, officer_client: Client, manager_client: Client
) -> None:
    url = reverse("cases:team")
    assert answers(
        url, anonymous=client, school=client_a, officer=officer_client, manager=manager_client
    ) == {"anonymous": SIGN_IN, "school": 403, "officer": 403, "manager": 200}


# -- the rows' markup (casework/templatetags/case_tables.py) ------------------------------


def test_each_register_row_puts_each_value_in_its_column(
    officer_client: Client, officer: User
) -> None:
    child = ChildFactory.create(
        first_name="Amira",
        middle_names="Jo",
        last_name="<b>Khan</b>",
        date_of_birth=date(2014, 2, 3),
        gender="F",
        child_protection_plan=True,
        ehcp_sen=True,
    )
    case = overdue_case(
        child=child,
        category=Category.MISSING,
        outcome=Outcome.UNTRACEABLE,
        allocated_to=officer,
        primary_reason_id="mental-health",
        became_cme_on=date(2026, 10, 1),
    )
    unallocated = CaseFactory.create(
        child__date_of_birth=date(2012, 9, 1),
        child__gender="M",
        became_cme_on=None,
        received_on=TODAY,
        due_date=TODAY + timedelta(days=14),
        category=Category.WASP,
    )
    html = officer_client.get(URL).content.decode()
    assert "&lt;b&gt;Khan&lt;/b&gt;" in html
    assert "<b>Khan</b>" not in html
    assert f'href="{reverse("cases:detail", args=[case.reference])}"' in html
    assert cells(html, case.reference) == [
        case.reference,
        "Amira Jo &lt;b&gt;Khan&lt;/b&gt; CP plan EHCP/SEN",
        "3 Feb 2014 (12)Female, Year 8",
        "CME-missing UntraceableMental healthMissing education for 4 to 8 weeks",
        officer.full_name,
        "3 Nov 2026",
        "22 Nov 2026 Overdue",
    ]
    assert cells(html, unallocated.reference) == [
        unallocated.reference,
        unallocated.child.full_name,
        "1 Sep 2012 (14)Male, Year 9",
        "CME-WASPNot recordedMissing education for Unknown",
        "Not allocated",
        "23 Nov 2026",
        "7 Dec 2026",
    ]


def test_my_cases_rows_show_no_age_and_an_empty_section_says_none(
    officer_client: Client, officer: User
) -> None:
    case = overdue_case(allocated_to=officer)
    html = officer_client.get(reverse("cases:my_cases")).content.decode()
    assert cells(html, case.reference)[2] == "3 Feb 2014"
    assert 'colspan="7">None.</td>' in html


def test_the_school_filter_is_the_picker_with_the_chosen_school_in_it_not_every_school(
    officer: User,
) -> None:
    from casework.filters import RegisterFilter

    SchoolFactory.create(name="Oak <Primary>")
    picked = SchoolFactory.create(name="Elm Academy", town="Exampleton", postcode="EX1 1AA")

    def html(params: dict[str, str]) -> str:
        return str(RegisterFilter(params, queryset=Case.objects.all()).form["last_school"])

    chosen = html({"last_school": str(picked.pk)})
    assert "<option" not in chosen  # the directory is not listed
    assert "Oak" not in chosen
    assert f'value="Elm Academy ({picked.urn}), Exampleton, EX1 1AA"' in chosen
    assert f'type="hidden" name="last_school" value="{picked.pk}"' in chosen
    assert 'name="last_school_q"' in html({})
    assert 'name="last_school" value' not in html({})


def test_a_filter_that_is_not_valid_is_shown_and_matches_nothing(officer_client: Client) -> None:
    CaseFactory.create(category=Category.WASP)
    response = officer_client.get(URL, {"category": "wasp", "received_after": "2026-13-01"})
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_received_after"' in html
    assert "<title>Error: " in html
    assert "Correct the filters to see the children on the register." in html
    assert refs(response) == set()
    assert "Download CSV" not in html  # nothing to export until the filters are right
    # The valid filter is still a tag that can be removed.
    assert "Remove this filter</span> Category: CME-WASP" in html


def test_an_export_with_a_filter_that_is_not_valid_holds_no_child(officer_client: Client) -> None:
    CaseFactory.create(category=Category.WASP)
    response = officer_client.get(
        reverse("cases:register_csv"), {"category": "wasp", "received_after": "2026-13-01"}
    )
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert len(rows) == 1  # the header only


# -- Issue 12: "1 child ... matches", "3 children ... match" --------------------------------


def test_the_count_agrees_with_its_verb(officer_client: Client) -> None:
    CaseFactory.create()
    html = officer_client.get(reverse("cases:register")).content.decode()
    assert "1 child on the register matches these filters" in html
    CaseFactory.create()
    CaseFactory.create()
    html = officer_client.get(reverse("cases:register")).content.decode()
    assert "3 children on the register match these filters" in html


def test_one_child_past_school_age_is_the_child_not_one_of_them(officer_client: Client) -> None:
    CaseFactory.create(child__date_of_birth=date(timezone.localdate().year - 18, 1, 1))
    html = officer_client.get(reverse("cases:register")).content.decode()
    assert "1 child on the register matches these filters; the child is not of compulsory" in html
    assert "1 of them" not in html
