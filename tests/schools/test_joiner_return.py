from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cme.models import AccessAction, AccessLog, User
from schools.models import JoinerReturn, ReturnStatus, School
from tests.conftest import NOW
from tests.factories import JoinerReturnFactory

START = reverse("schools:return_start", kwargs={"kind": "joiner"})
CHECK = reverse("schools:return_check", kwargs={"kind": "joiner"})


def joiner_post(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Maya",
        "last_name": "Patel",
        "date_of_birth_0": "14",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2016",
        "gender": "F",
        "upn": "",
        "address_line_1": "12 Oak Road",
        "town": "Exampleton",
        "postcode": "ex1 2ab",
        "admission_date_0": "20",
        "admission_date_1": "11",
        "admission_date_2": "2026",
        "parent_1_name": "Priya Patel",
        "parent_1_relationship": "Mother",
        "parent_1_phone": "07700 900456",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_school_staff_send_a_joiner_return_through_check_your_answers(
    client_a: Client, school_a: School, staff_a: User
) -> None:
    response = client_a.post(START, joiner_post())
    assert response.status_code == 302
    assert response["Location"] == CHECK

    check = client_a.get(CHECK)
    assert check.status_code == 200
    assert b"Check your answers" in check.content
    assert b"Maya" in check.content
    assert b"EX1 2AB" in check.content

    sent = client_a.post(CHECK)
    saved = JoinerReturn.objects.get()
    assert sent["Location"] == reverse("schools:return_submitted", args=[saved.reference])
    assert saved.school == school_a
    assert saved.created_by == staff_a
    assert saved.status == ReturnStatus.RECEIVED
    assert saved.is_late is False
    assert saved.postcode == "EX1 2AB"
    assert saved.parents.get().name == "Priya Patel"
    receipt = client_a.get(sent["Location"])
    assert saved.reference.encode() in receipt.content


@time_machine.travel(NOW, tick=False)
def test_the_receipt_is_logged_as_a_view_of_the_return(client_a: Client, staff_a: User) -> None:
    client_a.post(START, joiner_post())
    sent = client_a.post(CHECK)
    saved = JoinerReturn.objects.get()
    receipt = client_a.get(sent["Location"])
    assert b"Return sent" in receipt.content
    row = AccessLog.objects.get()
    assert (row.action, row.user, row.object_id) == (AccessAction.VIEW_RETURN, staff_a, saved.pk)


@time_machine.travel(NOW, tick=False)
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


@time_machine.travel(NOW, tick=False)
def test_joiner_return_after_the_fifth_day_is_flagged_late(client_a: Client) -> None:
    # Admitted 17 Nov: due by the end of 22 Nov; sent 23 Nov.
    client_a.post(START, joiner_post(admission_date_0="17"))
    check = client_a.get(CHECK)
    assert b"This return is late" in check.content
    client_a.post(CHECK)
    assert JoinerReturn.objects.get().is_late is True


@time_machine.travel(NOW, tick=False)
def test_joiner_return_on_the_fifth_day_is_on_time(client_a: Client) -> None:
    client_a.post(START, joiner_post(admission_date_0="18"))
    client_a.post(CHECK)
    assert JoinerReturn.objects.get().is_late is False


@time_machine.travel(NOW, tick=False)
def test_errors_show_the_summary_and_keep_what_was_typed(client_a: Client) -> None:
    response = client_a.post(START, joiner_post(last_name="", date_of_birth_1="13", upn="A12345"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the last name" in html
    assert "must be a real date" in html
    assert "Enter a UPN of 13 characters" in html
    assert 'value="Maya"' in html
    assert 'value="12 Oak Road"' in html
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    assert not JoinerReturn.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_change_link_returns_to_the_form_with_answers_kept(client_a: Client) -> None:
    client_a.post(START, joiner_post())
    response = client_a.get(START)
    assert 'value="Maya"' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_dob_outside_compulsory_school_age_warns_but_does_not_block(client_a: Client) -> None:
    client_a.post(START, joiner_post(date_of_birth_2="2008"))
    check = client_a.get(CHECK)
    assert b"not of compulsory school age" in check.content
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
