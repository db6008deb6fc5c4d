"""Issue 12 A4: "Accept and send" is idempotent (the check page's one-time token).

A double click, or a retry after a lost answer, sends the same check page twice: one return
(or referral) is recorded and both answers show the first one's confirmation. Two requests
at the same moment (two threads, PostgreSQL) record one as well.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from cme.models import User
from referrals.models import Referral
from schools.models import ReturnKind, School, SchoolReturn
from tests.concurrency import at_once
from tests.conftest import NOW, client_for
from tests.factories import SchoolFactory, TermFactory
from tests.referrals.helpers import school_referral_post
from tests.schools.test_absence_return import absence_post
from tests.schools.test_joiner_return import joiner_post
from tests.schools.test_leaver_return import leaver_post
from tests.schools.test_part_time_return import part_time_post


def answers(kind: ReturnKind, cedar: School) -> dict[str, Any]:
    """Valid answers for each kind (the forms' own tests' defaults)."""
    if kind == ReturnKind.LEAVER:
        return leaver_post(destination_school=str(cedar.pk))
    posts: dict[ReturnKind, Callable[[], dict[str, Any]]] = {
        ReturnKind.JOINER: joiner_post,
        ReturnKind.PART_TIME: part_time_post,
        ReturnKind.ABSENCE: absence_post,
    }
    return posts[kind]()


def urls(kind: ReturnKind) -> tuple[str, str]:
    return (
        reverse("schools:return_start", kwargs={"kind": kind.value}),
        reverse("schools:return_check", kwargs={"kind": kind.value}),
    )


@pytest.fixture
def cedar(db: None) -> School:
    school: School = SchoolFactory.create(urn=100010, name="Cedar Primary School")
    return school


@pytest.fixture
def terms(db: None) -> None:
    TermFactory.create(name="Autumn 1 2026", start="2026-09-02", end="2026-10-23")
    TermFactory.create(name="Autumn 2 2026", start="2026-11-02", end="2026-12-18")


def check_page(client: Client, kind: ReturnKind, cedar: School) -> str:
    """Fill in the form, open the check page; the check page's token."""
    start, check = urls(kind)
    response = client.post(start, answers(kind, cedar))
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(check)
    assert page.status_code == 200
    return str(page.context["submission_token"])


@pytest.mark.parametrize("kind", list(ReturnKind), ids=[k.value for k in ReturnKind])
@time_machine.travel(NOW, tick=False)
def test_the_same_check_page_sent_twice_records_one_return(
    client_a: Client, cedar: School, terms: None, kind: ReturnKind
) -> None:
    token = check_page(client_a, kind, cedar)
    _, check = urls(kind)
    first = client_a.post(check, {"submission_token": token})
    again = client_a.post(check, {"submission_token": token})  # a double click or a retry
    assert SchoolReturn.objects.filter(kind=kind).count() == 1
    saved = SchoolReturn.objects.get(kind=kind)
    receipt = reverse("schools:return_submitted", args=[saved.reference])
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == receipt
    for _ in (first, again):
        page = client_a.get(receipt).content.decode()
        assert "Return sent" in page
        assert saved.reference in page


@pytest.mark.parametrize("kind", list(ReturnKind), ids=[k.value for k in ReturnKind])
@time_machine.travel(NOW, tick=False)
def test_a_retry_after_a_lost_answer_finds_the_return_without_the_token_in_the_session(
    client_a: Client, cedar: School, terms: None, kind: ReturnKind
) -> None:
    """The answer to the first send was lost; the browser sends the same page again. The
    session has already forgotten the draft and its token: the posted token finds the return."""
    token = check_page(client_a, kind, cedar)
    _, check = urls(kind)
    client_a.post(check, {"submission_token": token})
    again = client_a.post(check, {"submission_token": token})
    saved = SchoolReturn.objects.get()
    assert again["Location"] == reverse("schools:return_submitted", args=[saved.reference])
    # A new return after that is a new submission, with a new token.
    assert check_page(client_a, kind, cedar) != token


@time_machine.travel(NOW, tick=False)
def test_another_schools_token_does_not_show_its_return(
    client_a: Client, client_b: Client, cedar: School, terms: None
) -> None:
    token = check_page(client_a, ReturnKind.JOINER, cedar)
    _, check = urls(ReturnKind.JOINER)
    client_a.post(check, {"submission_token": token})
    # Staff of another school replaying the token: no draft of theirs, so back to the form.
    response = client_b.post(check, {"submission_token": token})
    assert response["Location"] == urls(ReturnKind.JOINER)[0]
    assert SchoolReturn.objects.count() == 1


# -- the signed-in referral ------------------------------------------------------------------

NEW = reverse("referrals:new")
NEW_CHECK = reverse("referrals:new_check")


def referral_check_page(client: Client, school: School) -> str:
    response = client.post(NEW, school_referral_post(school.pk))
    assert response.status_code == 302, response.context["form"].errors
    return str(client.get(NEW_CHECK).context["submission_token"])


@time_machine.travel(NOW, tick=False)
def test_the_signed_in_referral_sent_twice_records_one(client_a: Client, school_a: School) -> None:
    token = referral_check_page(client_a, school_a)
    first = client_a.post(NEW_CHECK, {"submission_token": token})
    again = client_a.post(NEW_CHECK, {"submission_token": token})
    referral = Referral.objects.get()
    sent = reverse("referrals:new_sent", args=[referral.reference])
    assert first["Location"] == again["Location"] == sent
    for _ in (first, again):
        page = client_a.get(sent)
        assert page.status_code == 200
        assert referral.reference in page.content.decode()


# -- at the same moment (PostgreSQL) ---------------------------------------------------------


def both_past_the_check(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[str]:
    """Hold each of the first two sends just before its INSERT (``module.new_reference`` is
    called after the "already sent?" look-up) until both are there: the two requests have
    both found nothing and both insert, so the database's unique token decides. The
    references handed out, to show both got that far."""
    barrier = threading.Barrier(2)
    made: list[str] = []
    lock = threading.Lock()
    real = module.new_reference

    def held(prefix: str) -> str:
        with lock:
            first_two = len(made) < 2
            made.append(prefix)
        if first_two:
            barrier.wait(timeout=10)
        return str(real(prefix))

    monkeypatch.setattr(module, "new_reference", held)
    return made


def same_session(client: Client) -> Client:
    """Another browser tab: the same session cookie."""
    other = Client()
    other.cookies = client.cookies
    return other


def sent_from_two_tabs_at_once(
    client: Client, check: str, token: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any, list[str]]:
    """ "Accept and send" from two tabs of one session at the same moment, both held past the
    "already sent?" look-up: the two answers and the references handed out."""
    import cme.references

    tabs = [client, same_session(client)]
    lock = threading.Lock()
    made = both_past_the_check(monkeypatch, cme.references)

    def post() -> Any:
        with lock:
            tab = tabs.pop()
        return tab.post(check, {"submission_token": token})

    first, second = at_once(post)
    return first, second, made


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent inserts: PostgreSQL"
)


@needs_postgres
@pytest.mark.parametrize("kind", list(ReturnKind), ids=[k.value for k in ReturnKind])
@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOW, tick=False)
def test_two_sends_at_the_same_moment_record_one_return(
    kind: ReturnKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = SchoolFactory.create(urn=100001, name="Alder Primary School")
    cedar = SchoolFactory.create(urn=100010, name="Cedar Primary School")
    TermFactory.create(name="Autumn 2 2026", start="2026-11-02", end="2026-12-18")
    staff = _staff_of(school)
    client = client_for(staff)
    token = check_page(client, kind, cedar)
    _, check = urls(kind)
    first, second, made = sent_from_two_tabs_at_once(client, check, token, monkeypatch)
    assert SchoolReturn.objects.count() == 1
    saved = SchoolReturn.objects.get()
    receipt = reverse("schools:return_submitted", args=[saved.reference])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == receipt
    assert len(made) >= 2  # both requests reached the INSERT


@needs_postgres
@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOW, tick=False)
def test_two_signed_in_referrals_at_the_same_moment_record_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    school = SchoolFactory.create(urn=100001, name="Alder Primary School")
    client = client_for(_staff_of(school))
    token = referral_check_page(client, school)
    first, second, made = sent_from_two_tabs_at_once(client, NEW_CHECK, token, monkeypatch)
    referral = Referral.objects.get()
    sent = reverse("referrals:new_sent", args=[referral.reference])
    assert first["Location"] == second["Location"] == sent
    assert len(made) >= 2  # both requests reached the INSERT


def _staff_of(school: School) -> User:
    from cme.models import Role
    from schools.models import SchoolMembership
    from tests.factories import UserFactory

    user: User = UserFactory.create(
        email="alice@alder.sch.uk", full_name="Alice Alder", role=Role.SCHOOL_STAFF
    )
    SchoolMembership.objects.create(user=user, school=school)
    return user
