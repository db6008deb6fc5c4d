"""The signed-in door: school staff and LA users, prefilled from the account; a school's list."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import resolve, reverse
from pytest_django import DjangoAssertNumQueries

from cme.models import Role, User
from referrals.models import Channel, Referral, ReferrerType
from schools.models import School
from tests.conftest import NOW
from tests.factories import ReferralFactory
from tests.referrals.helpers import referral_post, school_referral_post

NEW = reverse("referrals:new")
CHECK = reverse("referrals:new_check")
MINE = reverse("referrals:mine")


def test_the_signed_in_door_is_for_every_role_and_the_list_for_school_staff() -> None:
    for url in (NEW, CHECK, reverse("referrals:new_sent", args=["RF-AAAA-BBBB"])):
        # cme.access.role_required sets allowed_roles on the view function.
        assert resolve(url).func.allowed_roles == frozenset(Role)  # type: ignore[attr-defined]
    assert resolve(MINE).func.allowed_roles == frozenset({Role.SCHOOL_STAFF})  # type: ignore[attr-defined]


def test_anonymous_people_are_sent_to_sign_in(db: None) -> None:
    for url in (NEW, CHECK, MINE):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_school_staff_find_their_details_filled_in(
    client_a: Client, staff_a: User, school_a: School
) -> None:
    staff_a.job_title = "Designated safeguarding lead"
    staff_a.phone = "01632 960123"
    staff_a.save()
    form = client_a.get(NEW).context["form"]
    assert form.initial["referrer_name"] == "Alice Alder"
    assert form.initial["referrer_email"] == "alice@alder.sch.uk"
    assert form.initial["referrer_phone"] == "01632 960123"
    assert form.initial["referrer_relationship"] == "Designated safeguarding lead"
    assert form.initial["referrer_organisation"] == "Alder Primary School"
    assert form.initial["referrer_type"] == ReferrerType.SCHOOL
    assert form.initial["last_school"] == school_a.pk
    html = client_a.get(NEW).content.decode()
    assert 'value="Alice Alder"' in html
    assert "Do you want to stay anonymous?" not in html
    assert 'name="website"' not in html


def test_la_users_record_who_referred_not_themselves(officer_client: Client) -> None:
    # Issue 12, A15: an officer records someone else's referral; nothing of theirs is filled in.
    form = officer_client.get(NEW).context["form"]
    assert "referrer_name" not in form.initial
    assert "referrer_organisation" not in form.initial


@time_machine.travel(NOW, tick=False)
def test_school_staff_make_a_referral_through_check_your_answers(
    client_a: Client, staff_a: User, school_a: School
) -> None:
    response = client_a.post(NEW, school_referral_post(school_a.pk))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == CHECK
    check = client_a.get(CHECK)
    assert "Alder Primary School" in check.content.decode()
    sent = client_a.post(CHECK)
    referral = Referral.objects.get()
    assert sent["Location"] == reverse("referrals:new_sent", args=[referral.reference])
    assert referral.channel == Channel.SIGNED_IN
    assert referral.referrer_user == staff_a
    assert referral.created_by == staff_a
    assert referral.referring_school == school_a
    assert referral.last_school == school_a
    assert referral.referrer_type == ReferrerType.SCHOOL
    page = client_a.get(sent["Location"])
    assert referral.reference in page.content.decode()
    assert reverse("referrals:mine") in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_an_officer_makes_a_referral(officer_client: Client, officer: User) -> None:
    data = referral_post(
        referrer_type="la_service",
        referrer_name="Olive Officer",
        received_via="phone",
        date_received=date(2026, 11, 23),
    )
    assert officer_client.post(NEW, data).status_code == 302
    assert officer_client.post(CHECK).status_code == 302
    referral = Referral.objects.get()
    # The officer recorded it: the referrer is who they typed in, not their account.
    assert referral.referrer_user is None
    assert referral.created_by == officer
    assert referral.referring_school is None
    assert referral.channel == Channel.SIGNED_IN


def test_the_check_page_without_answers_goes_back_to_the_form(client_a: Client) -> None:
    response = client_a.get(CHECK)
    assert response.status_code == 302
    assert response["Location"] == NEW


@time_machine.travel(NOW, tick=False)
def test_another_user_cannot_see_someone_elses_confirmation(
    client_a: Client, client_b: Client
) -> None:
    client_a.post(NEW, referral_post())
    sent = client_a.post(CHECK)["Location"]
    assert client_a.get(sent).status_code == 200
    assert client_b.get(sent).status_code == 404


# -- the school's list ------------------------------------------------------------------------


@pytest.fixture
def referrals_of_both_schools(
    school_a: School, school_b: School, staff_a: User
) -> dict[str, Referral]:
    return {
        "a": ReferralFactory.create(
            referring_school=school_a,
            channel=Channel.SIGNED_IN,
            first_name="Annie",
            last_name="Ash",
            referrer_user=staff_a,
        ),
        "a_system": ReferralFactory.create(
            referring_school=school_a,
            channel=Channel.SYSTEM,
            first_name="Sam",
            last_name="Sycamore",
        ),
        "b": ReferralFactory.create(
            referring_school=school_b,
            channel=Channel.SIGNED_IN,
            first_name="Bertie",
            last_name="Beech",
        ),
        "public": ReferralFactory.create(first_name="Polly", last_name="Public"),
    }


def test_school_staff_see_their_own_schools_referrals_with_status(
    client_a: Client, referrals_of_both_schools: dict[str, Referral]
) -> None:
    html = client_a.get(MINE).content.decode()
    assert "Annie Ash" in html
    assert "Sam Sycamore" in html
    assert referrals_of_both_schools["a"].reference in html
    assert "Received" in html
    assert "Bertie Beech" not in html
    assert "Polly Public" not in html


def test_school_b_staff_cannot_see_school_a_referrals(
    client_b: Client, referrals_of_both_schools: dict[str, Referral]
) -> None:
    html = client_b.get(MINE).content.decode()
    assert "Bertie Beech" in html
    assert "Annie Ash" not in html
    assert "Sam Sycamore" not in html
    assert referrals_of_both_schools["a"].reference not in html


@pytest.mark.parametrize("rows", [2, 20])
def test_the_schools_list_runs_a_constant_number_of_queries(
    client_a: Client,
    staff_a: User,
    school_a: School,
    rows: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(rows):
        ReferralFactory.create(
            referring_school=school_a,
            channel=Channel.SYSTEM if i % 2 else Channel.SIGNED_IN,
            referrer_user=None if i % 2 else staff_a,
            first_name="Pupil",
            last_name=f"Number{i:02d}",
        )
    # session, user, the count, the unread count, the page, the session save (+ 4 savepoints)
    with django_assert_max_num_queries(10):
        response = client_a.get(MINE)
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f"Pupil Number{i:02d}" in html for i in range(rows))


def test_la_users_do_not_get_the_schools_list(officer_client: Client) -> None:
    assert officer_client.get(MINE).status_code == 403
