"""The managers' termly CME return screen: the figures with their checks, each count opening
as the register's list of exactly those children, the CSV in the published columns (escaped
and in the access log), and "Mark as submitted" freezing figures that later changes leave be."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from casework.models import Case, CaseStatus, Outcome
from casework.services import closing
from casework.services.cme_details import case_cme_details_change
from cme.models import AccessAction, AccessLog, User
from reports.census_csv import COLUMNS
from reports.models import CensusDate, CensusSubmission
from tests.reports.census_population import build_population

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def population(officer: User) -> dict[str, Case]:
    return build_population(officer)


@pytest.fixture
def autumn(db: None) -> CensusDate:
    return CensusDate.objects.get(academic_year=2025, term="autumn")


def return_url(census: CensusDate) -> str:
    return f"{reverse('dashboard:cme_return')}?census={census.pk}"


def references_listed(client: Client, url: str) -> set[str]:
    html = client.get(url).content.decode()
    return set(re.findall(r"CS-[A-Z0-9]{4}-[A-Z0-9]{4}", html))


def test_the_census_days_of_2025_26_are_there_for_the_administrator_to_keep(db: None) -> None:
    days = list(CensusDate.objects.values_list("term", "census_date"))
    assert days == [
        ("autumn", date(2025, 10, 2)),
        ("spring", date(2026, 1, 15)),
        ("summer", date(2026, 5, 21)),
    ]


def test_the_return_shows_every_breakdown_and_the_checks(
    manager_client: Client,
    population: dict[str, Case],
    autumn: CensusDate,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_max_num_queries(20):
        html = manager_client.get(return_url(autumn)).content.decode()
    for topic in ("Total", "Sex", "Year group", "Duration", "Reason"):
        assert f'data-topic="{topic}"' in html
    assert "At any time in the previous academic year" in html
    assert "Children without a date of birth" in html
    assert "Check these before you submit the return" in html


def test_each_count_and_check_opens_as_exactly_those_children(
    manager_client: Client, population: dict[str, Case], autumn: CensusDate
) -> None:
    html = manager_client.get(return_url(autumn)).content.decode()
    links = {
        label: url.replace("&amp;", "&")
        for url, label in re.findall(
            r'<a class="govuk-link" href="([^"]+)">\d+<span class="govuk-visually-hidden"> children: ([^<]+)</span>',
            html,
        )
    }
    ref = {k: c.reference for k, c in population.items()}
    assert references_listed(manager_client, links["Total, Total"]) == {ref[k] for k in "abcde"}
    assert references_listed(manager_client, links["Sex, Female"]) == {ref["a"], ref["d"]}
    assert references_listed(manager_client, links["Reason, Mental health"]) == {ref["a"], ref["d"]}
    assert references_listed(manager_client, links["Year group, Unknown"]) == {ref["c"]}
    assert references_listed(manager_client, links["Duration, Over 52 weeks"]) == {ref["d"]}
    checks = re.findall(r'<a class="govuk-link" href="([^"]+)">See the children', html)
    listed = [references_listed(manager_client, u.replace("&amp;", "&")) for u in checks]
    assert listed == [{ref["c"]}, {ref["c"]}, {ref["b"]}, {ref["c"]}]


def test_a_child_counted_then_and_closed_since_is_still_on_the_census_list(
    manager_client: Client, officer: User, population: dict[str, Case], autumn: CensusDate
) -> None:
    closing.case_close(case=population["a"], by=officer, outcome=Outcome.DIED)
    url = f"{reverse('cases:register')}?census=2025-10-02"
    assert population["a"].reference in references_listed(manager_client, url)
    assert population["a"].reference not in references_listed(
        manager_client, reverse("cases:register")
    )


@override_settings(CME_LA_NAME='=HYPERLINK("http://x")', CME_LA_NEW_CODE="E10000999")
def test_the_csv_has_the_published_columns_escaped_and_is_in_the_access_log(
    manager_client: Client, manager: User, population: dict[str, Case], autumn: CensusDate
) -> None:
    response = manager_client.get(f"{reverse('dashboard:cme_return_csv')}?census={autumn.pk}")
    assert response["Content-Disposition"] == 'attachment; filename="cme-return-2025-10-02.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1] == [
        "202526",
        "Autumn term",
        "Local authority",
        "E10000999",
        '\'=HYPERLINK("http://x")',
        "Total",
        "Total",
        "5",
    ]
    assert ["Sex", "Unknown", "1"] in [r[5:] for r in rows]
    assert rows[-1][5:] == ["At any time in the previous academic year", "Total", "3"]
    log = AccessLog.objects.get(action=AccessAction.EXPORT_FIGURES_CSV)
    assert log.user == manager
    assert log.detail == "CME return, census 2025-10-02, live figures"


def test_marking_as_submitted_freezes_the_figures_and_the_children_counted(
    manager_client: Client,
    manager: User,
    officer: User,
    population: dict[str, Case],
    autumn: CensusDate,
) -> None:
    response = manager_client.post(reverse("dashboard:cme_return_submit"), {"census": autumn.pk})
    submission = CensusSubmission.objects.get()
    assert response.url == reverse("dashboard:cme_submission", args=[submission.pk])  # type: ignore[attr-defined]
    assert submission.submitted_by == manager
    assert sorted(r[0] for r in submission.children) == sorted(population[k].pk for k in "abcde")
    csv_url = f"{reverse('dashboard:cme_return_csv')}?submission={submission.pk}"
    before = manager_client.get(csv_url).content
    page_before = manager_client.get(reverse("dashboard:cme_submission", args=[submission.pk]))
    assert population["a"].reference in page_before.content.decode()
    # The cases change: one closed as if on the census date's eve is impossible, so change
    # what can change: a reason corrected, a case closed today, a new case backdated.
    case_cme_details_change(
        case=population["b"],
        by=officer,
        became_cme_on=date(2025, 9, 18),
        primary_reason="mental-health",
        reason="Found out",
    )
    closing.case_close(case=population["a"], by=officer, outcome=Outcome.DIED)
    live = manager_client.get(f"{reverse('dashboard:cme_return_csv')}?census={autumn.pk}").content
    assert live != before  # the live return has moved on...
    assert manager_client.get(csv_url).content == before  # ...the submitted one has not
    log = AccessLog.objects.filter(
        action=AccessAction.VIEW_REGISTER, child_id=population["a"].child_id
    )
    assert log.exists()  # the submission's list of children is a view of each
    assert Case.objects.get(pk=population["a"].pk).status == CaseStatus.CLOSED


def test_only_managers_see_the_return(officer_client: Client, autumn: CensusDate) -> None:
    assert officer_client.get(return_url(autumn)).status_code == 403
