"""Hostile values in URLs and admin filters give a 4xx, never a 500 (issue 12)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import client_for

NUL_URLS = [
    "/cases/%00null/",
    "/school/returns/%00null/",
    "/triage/%00null/",
    "/returns/%00null/",
    "/admin/schools/school/?la_code=%00",
    "/admin/schools/school/?school_type=%00",
    "/admin/schools/school/?phase=%00",
    "/register/?q=a%00b",
]


@pytest.mark.parametrize("url", NUL_URLS)
@pytest.mark.parametrize("persona", ["officer", "manager", "administrator", "staff_a"])
def test_a_nul_in_the_path_or_query_is_a_bad_request(
    request: pytest.FixtureRequest, persona: str, url: str
) -> None:
    user = request.getfixturevalue(persona)

    response = client_for(user).get(url)

    assert response.status_code == 400


def test_a_nul_is_refused_before_sign_in_too(db: None) -> None:
    assert Client().get("/cases/%00null/").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/schools/term/?start__year=99999999999999999999",
        "/admin/schools/closure/?date__year=99999999999999999999",
        "/admin/cme/accesslog/?at__year=99999999999999999999",
    ],
)
def test_a_date_hierarchy_year_too_big_for_a_date_is_a_bad_lookup(
    admin_client_: Client, url: str
) -> None:
    response = admin_client_.get(url)

    # Django's answer to any bad changelist lookup: back to the list with ?e=1.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
