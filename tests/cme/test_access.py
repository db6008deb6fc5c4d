"""Every view says who may use it, and each persona gets what that rule promises."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from cme.access import PUBLIC
from cme.models import Role, User
from cme.outbox import send_due
from schools.models import JoinerReturn, School
from tests.factories import JoinerReturnFactory, PartTimeTimetableFactory


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue  # the admin site has its own guard (CmeAdminSite.has_permission)
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def test_every_view_states_who_may_use_it() -> None:
    unmarked = [
        route
        for route, p in _walk(get_resolver().url_patterns)
        if not hasattr(p.callback, "allowed_roles")
    ]
    assert unmarked == []


def test_school_views_are_for_school_staff_and_la_views_for_la_staff() -> None:
    def rule(name: str, *args: str) -> Any:
        return resolve(reverse(name, args=args)).func.allowed_roles  # type: ignore[attr-defined]  # set by cme.access

    assert rule("home") == frozenset(Role)
    assert rule("login") == PUBLIC
    for name, args in [
        ("schools:return_start", ["joiner"]),
        ("schools:return_check", ["joiner"]),
        ("schools:return_detail", ["NP-AAAA-BBBB"]),
        ("schools:return_list", []),
        ("schools:switch_school", []),
    ]:
        assert rule(name, *args) == frozenset({Role.SCHOOL_STAFF}), name
    for name, args in [("schools:la_returns", []), ("schools:la_return_detail", ["NP-AAAA-BBBB"])]:
        # The EHE officer (issue 17) sees the returns: the ground (f) leavers are theirs.
        assert rule(name, *args) == frozenset(
            {Role.OFFICER, Role.MANAGER, Role.EHE_OFFICER, Role.ADMINISTRATOR}
        )


PERSONAS = ["anonymous", "staff_a", "staff_b", "officer", "manager", "administrator"]


@pytest.fixture
def persona_client(
    request: pytest.FixtureRequest,
    client: Client,
    personas: dict[str, User],
) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        if name != "anonymous":
            client.force_login(personas[name])
        return client

    return make


# Expected status per persona; 302 for anonymous means "sent to sign in".
SCHOOL_STAFF = dict(
    anonymous=302, staff_a=200, staff_b=200, officer=403, manager=403, administrator=403
)
#: A page about school A's return: school B's staff are told it is not there.
SCHOOL_A_STAFF = {**SCHOOL_STAFF, "staff_b": 404}
LA_STAFF = dict(
    anonymous=302, staff_a=403, staff_b=403, officer=200, manager=200, administrator=200
)
EVERYONE = dict.fromkeys(PERSONAS, 200)

# (url builder, expected status per persona)
CASES: dict[str, tuple[Callable[[JoinerReturn], str], dict[str, int]]] = {
    "school home": (lambda r: reverse("schools:home"), SCHOOL_STAFF),
    "school submissions": (lambda r: reverse("schools:return_list"), SCHOOL_STAFF),
    "joiner form": (lambda r: reverse("schools:return_start", args=["joiner"]), SCHOOL_STAFF),
    "leaver form": (lambda r: reverse("schools:return_start", args=["leaver"]), SCHOOL_STAFF),
    "part-time form": (lambda r: reverse("schools:return_start", args=["part_time"]), SCHOOL_STAFF),
    "absence form": (lambda r: reverse("schools:return_start", args=["absence"]), SCHOOL_STAFF),
    "school A's return (school view)": (
        lambda r: reverse("schools:return_detail", args=[r.reference]),
        SCHOOL_A_STAFF,
    ),
    "school A's receipt": (
        lambda r: reverse("schools:return_submitted", args=[r.reference]),
        SCHOOL_A_STAFF,
    ),
    "all returns (LA)": (lambda r: reverse("schools:la_returns"), LA_STAFF),
    "school A's return (LA view)": (
        lambda r: reverse("schools:la_return_detail", args=[r.reference]),
        LA_STAFF,
    ),
    "home": (
        lambda r: reverse("home"),
        dict(anonymous=302, staff_a=302, staff_b=302, officer=302, manager=302, administrator=302),
    ),
    "accessibility": (lambda r: reverse("accessibility"), EVERYONE),
    "privacy": (lambda r: reverse("privacy"), EVERYONE),
    "admin": (
        lambda r: reverse("admin:index"),
        dict(anonymous=302, staff_a=403, staff_b=403, officer=403, manager=403, administrator=200),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", list(CASES))
def test_each_persona_gets_what_the_rule_promises(
    persona: str, case: str, persona_client: Callable[[str], Client], school_a: School
) -> None:
    school_return = JoinerReturnFactory.create(school=school_a)
    url_for, expected = CASES[case]
    response = persona_client(persona).get(url_for(school_return))
    assert response.status_code == expected[persona], (case, persona)
    if persona == "anonymous" and expected[persona] == 302:
        assert "/sign-in/" in response["Location"] or "/admin/login/" in response["Location"]


def test_part_time_review_of_another_school_is_not_found(
    client_b: Client, school_a: School
) -> None:
    timetable = PartTimeTimetableFactory.create(school=school_a)
    url = reverse("schools:timetable_review", args=[timetable.reference])
    assert client_b.get(url).status_code == 404


def test_switching_to_a_school_you_do_not_serve_is_refused(
    client_a: Client, school_b: School
) -> None:
    response = client_a.post(reverse("schools:switch_school"), {"school": school_b.pk})
    assert response.status_code == 404


def test_a_trust_lead_switches_between_their_schools(
    client: Client, school_a: School, school_b: School
) -> None:
    from tests.factories import MembershipFactory, UserFactory

    lead = UserFactory.create(role=Role.SCHOOL_STAFF)
    MembershipFactory.create(user=lead, school=school_a)
    MembershipFactory.create(user=lead, school=school_b)
    client.force_login(lead)
    JoinerReturnFactory.create(school=school_b, first_name="Bea")
    client.post(reverse("schools:switch_school"), {"school": school_b.pk})
    home = client.get(reverse("schools:home"))
    assert b"Birch Academy" in home.content
    assert b"Bea" in home.content


def test_sign_in_with_email_any_case(client: Client, officer: User) -> None:
    response = client.post(
        reverse("login"),
        {"username": "OLIVE@la.gov.uk", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302


def test_failed_sign_in_shows_the_error_summary(client: Client, officer: User) -> None:
    response = client.post(reverse("login"), {"username": "olive@la.gov.uk", "password": "wrong"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter a correct email address and password" in response.content


# An unknown address at the council's own domain is no different from one elsewhere.
@pytest.mark.parametrize("nobody", ["nobody@example.com", "nobody@la.gov.uk"])
def test_password_reset_does_not_reveal_whether_an_account_exists(
    client: Client, officer: User, mailoutbox: list[EmailMessage], nobody: str
) -> None:
    known = client.post(reverse("password_reset"), {"email": "olive@la.gov.uk"})
    unknown = client.post(reverse("password_reset"), {"email": nobody})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert mailoutbox == []  # the request only queues it (issue 12, A1)
    send_due()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["olive@la.gov.uk"]


def test_sign_out_is_a_post(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_bidi_controls_are_stripped_from_a_staff_members_name(db: None) -> None:
    from cme.models import User

    user = User(email="bidi@example.org", full_name="Ann\u202e Officer\u2069", role="officer")
    user.set_unusable_password()
    user.full_clean()
    assert user.full_name == "Ann Officer"
