"""Personas and shared fixtures.

The personas (STYLE.md rule 8): school A staff, school B staff, a CME officer, a CME manager,
an administrator, and the anonymous public.

The test clock: modules import ``NOW`` (an aware instant, a Monday) and ``TODAY`` from here
rather than defining their own, and use ``@time_machine.travel(NOW, tick=False)`` or the
``frozen`` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from cme.models import Role, User
from schools.models import School
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

NOW = "2026-11-23 10:00:00+00:00"  # a Monday, in term
TODAY = date(2026, 11, 23)


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    """The clock stopped at NOW for the whole test."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (dashboard figures, rate-limit counters): the
    test settings' local-memory cache would otherwise carry them from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def school_a(db: None) -> School:
    return SchoolFactory.create(urn=100001, name="Alder Primary School")


@pytest.fixture
def school_b(db: None) -> School:
    return SchoolFactory.create(urn=100002, name="Birch Academy")


def school_staff(school: School, email: str, full_name: str) -> User:
    """A member of staff of `school`."""
    user = UserFactory.create(email=email, full_name=full_name, role=Role.SCHOOL_STAFF)
    MembershipFactory.create(user=user, school=school)
    return user


@pytest.fixture
def staff_a(school_a: School) -> User:
    return school_staff(school_a, "alice@alder.sch.uk", "Alice Alder")


@pytest.fixture
def staff_b(school_b: School) -> User:
    return school_staff(school_b, "bob@birch.sch.uk", "Bob Birch")


#: The LA's personas, by fixture name: the fields of each one's user.
LA_PERSONAS: dict[str, dict[str, Any]] = {
    "officer": {"email": "olive@la.gov.uk", "full_name": "Olive Officer", "role": Role.OFFICER},
    "manager": {"email": "manny@la.gov.uk", "full_name": "Manny Manager", "role": Role.MANAGER},
    "ehe_officer": {
        "email": "esme@la.gov.uk",
        "full_name": "Esme Educator",
        "role": Role.EHE_OFFICER,
    },
    "administrator": {
        "email": "ada@la.gov.uk",
        "full_name": "Ada Admin",
        "role": Role.ADMINISTRATOR,
        "is_staff": True,
    },
}


def _la_persona(name: str) -> Any:
    def persona(db: None) -> User:
        return UserFactory.create(**LA_PERSONAS[name])

    persona.__doc__ = f"The LA persona `{name}`."
    return pytest.fixture(name=name)(persona)


for _name in LA_PERSONAS:
    globals()[_name] = _la_persona(_name)


#: The signed-in personas' fixture names.
PERSONAS = ("staff_a", "staff_b", "officer", "manager", "administrator")


@pytest.fixture
def personas(request: pytest.FixtureRequest) -> dict[str, User]:
    """The signed-in personas, by their fixture names."""
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


#: The signed-in clients, by fixture name, and the persona each one is signed in as.
SIGNED_IN_CLIENTS = {
    "client_a": "staff_a",
    "client_b": "staff_b",
    "officer_client": "officer",
    "manager_client": "manager",
    "admin_client_": "administrator",
}


def _signed_in_client(name: str, persona: str) -> Any:
    def signed_in(request: pytest.FixtureRequest) -> Client:
        return client_for(request.getfixturevalue(persona))

    signed_in.__doc__ = f"A client signed in as the `{persona}` persona."
    return pytest.fixture(name=name)(signed_in)


for _name, _persona in SIGNED_IN_CLIENTS.items():
    globals()[_name] = _signed_in_client(_name, _persona)


#: What `answers` gives for a request sent to the sign-in page.
SIGN_IN = "sign in"


def answers(url: str, **clients: Client) -> dict[str, int | str]:
    """Each client's answer to a GET of ``url``: the status code, or SIGN_IN for a redirect
    to the sign-in page."""
    from django.urls import reverse

    out: dict[str, int | str] = {}
    for who, client in clients.items():
        response = client.get(url)
        sent_to_sign_in = response.status_code == 302 and reverse("login") in response["Location"]
        out[who] = SIGN_IN if sent_to_sign_in else response.status_code
    return out
