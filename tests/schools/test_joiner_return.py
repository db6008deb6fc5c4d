from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cme.models import AccessAction, AccessLog, User
from schools.models import JoinerReturn, ReturnStatus, School
from tests.conftest import NOW
from tests.factories import JoinerReturnFactory
from tests.forms import answers, child_answers, parent_answers, shows
from tests.schools.helpers import checked, return_pages, send, sent

KIND = "joiner"
START, CHECK = return_pages(KIND)

# Every test runs with the clock stopped at NOW.
pytestmark = pytest.mark.usefixtures("frozen")


JOINER: dict[str, Any] = {
    **child_answers(
        ("Maya", "Patel"), date(2016, 3, 14), "12 Oak Road", "ex1 2ab", gender="F", upn=""
    ),
    "admission_date": date(2026, 11, 20),
    **parent_answers("Priya Patel", "07700 900456"),
}


def joiner_post(**overrides: str) -> dict[str, str]:
    return answers(JOINER, overrides)


def test_school_staff_send_a_joiner_return_through_check_your_answers(
    client_a: Client, school_a: School, staff_a: User
) -> None:
    check = checked(client_a, KIND, joiner_post())
    assert "Maya" in check
    assert "EX1 2AB" in check

    saved = sent(client_a, KIND, JoinerReturn, school_a, staff_a)
    assert saved.status == ReturnStatus.RECEIVED
    assert saved.is_late is False
    assert saved.postcode == "EX1 2AB"
    assert saved.parents.get().name == "Priya Patel"


def test_the_receipt_is_logged_as_a_view_of_the_return(client_a: Client, staff_a: User) -> None:
    client_a.post(START, joiner_post())
    sent = client_a.post(CHECK)
    saved = JoinerReturn.objects.get()
    receipt = client_a.get(sent["Location"])
    assert b"Return sent" in receipt.content
    row = AccessLog.objects.get()
    assert (row.action, row.user, row.object_id) == (AccessAction.VIEW_RETURN, staff_a, saved.pk)


def test_a_receipt_not_sent_from_this_session_is_the_returns_own_page(
    client_a: Client, client_b: Client, staff_a: User, school_a: School
) -> None:
    joiner = JoinerReturnFactory.create(school=school_a)
    url = reverse("schools:return_submitted", args=[joiner.reference])
    response = client_a.get(url)
    assert response.status_code == 200
    assert "schools/return_detail.html" in [t.name for t in response.templates]
    assert b"Return sent" not in response.content
    assert list(AccessLog.objects.values_list("action", "user", "object_id")) == [
        (AccessAction.VIEW_RETURN, staff_a.pk, joiner.pk)
    ]
    # Another school's return is still a 404, receipt or not.
    assert client_b.get(url).status_code == 404


def test_joiner_return_after_the_fifth_day_is_flagged_late(client_a: Client) -> None:
    # Admitted 17 Nov: due by the end of 22 Nov; sent 23 Nov.
    assert "This return is late" in checked(client_a, KIND, joiner_post(admission_date_0="17"))
    client_a.post(CHECK)
    assert JoinerReturn.objects.get().is_late is True


def test_joiner_return_on_the_fifth_day_is_on_time(client_a: Client) -> None:
    data = joiner_post(admission_date_0="18")
    assert send(client_a, KIND, data, JoinerReturn).is_late is False


def test_errors_show_the_summary_and_keep_what_was_typed(client_a: Client) -> None:
    response = client_a.post(START, joiner_post(last_name="", date_of_birth_1="13", upn="A12345"))
    assert response.status_code == 200
    html = response.content.decode()
    shows(
        html,
        "There is a problem",
        "Enter the last name",
        "must be a real date",
        "Enter a UPN of 13 characters",
        'value="Maya"',
        'value="12 Oak Road"',
    )
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    assert not JoinerReturn.objects.exists()


def test_change_link_returns_to_the_form_with_answers_kept(client_a: Client) -> None:
    client_a.post(START, joiner_post())
    response = client_a.get(START)
    assert 'value="Maya"' in response.content.decode()


def test_dob_outside_compulsory_school_age_warns_but_does_not_block(client_a: Client) -> None:
    check = checked(client_a, KIND, joiner_post(date_of_birth_2="2008"))
    assert "not of compulsory school age" in check
    client_a.post(CHECK)
    assert JoinerReturn.objects.get().dob_outside_compulsory_age is True


def test_school_staff_cannot_see_other_schools_returns(
    client_b: Client, school_a: School, staff_b: User
) -> None:
    theirs = JoinerReturnFactory.create(school=school_a)
    url = reverse("schools:return_detail", args=[theirs.reference])
    assert client_b.get(url).status_code == 404


def test_school_staff_see_their_own_returns(client_a: Client, school_a: School) -> None:
    mine = JoinerReturnFactory.create(school=school_a, first_name="Zed")
    assert client_a.get(reverse("schools:return_detail", args=[mine.reference])).status_code == 200
    listing = client_a.get(reverse("schools:return_list"))
    assert mine.reference.encode() in listing.content


@pytest.mark.parametrize("persona", ["officer_client", "manager_client"])
def test_la_staff_cannot_use_the_school_forms(request: pytest.FixtureRequest, persona: str) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(START).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_valid_upn_is_accepted(client_a: Client) -> None:
    # A valid UPN: check letter computed by cme.statutory.upn_check_letter.
    from cme.statutory import upn_check_letter

    rest = "999100125001"
    upn = upn_check_letter(rest) + rest
    with time_machine.travel(NOW, tick=False):
        response = client_a.post(START, joiner_post(upn=upn))
    assert response.status_code == 302


def test_admission_date_in_future_is_refused(client_a: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client_a.post(START, joiner_post(admission_date_2="2027"))
    assert b"today or in the past" in response.content
    assert date(2026, 11, 23)  # frozen NOW documents the boundary
