"""The load test of `make bench` (issue 7 item 4): school staff, officers and managers.

Run by scripts/bench_pages.py against gunicorn on 127.0.0.1 only. Each simulated user signs
in once through the real sign-in form (CSRF token and all) as one of the accounts the bench
gave a password (BENCH_STAFF, BENCH_OFFICERS, BENCH_MANAGERS; BENCH_PASSWORD), then browses.
FastHttpUser (geventhttpclient): the load generator shares the two cores with the server, and
locust's requests-based client spends several times the CPU per request.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from collections.abc import Callable
from typing import Any

from locust import FastHttpUser, TaskSet, between

PASSWORD = os.environ.get("BENCH_PASSWORD", "")
CASES = [ref for ref in os.environ.get("BENCH_CASES", "").split(",") if ref]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _accounts(name: str) -> itertools.cycle[str]:
    return itertools.cycle([e for e in os.environ.get(name, "").split(",") if e])


STAFF = _accounts("BENCH_STAFF")
OFFICERS = _accounts("BENCH_OFFICERS")
MANAGERS = _accounts("BENCH_MANAGERS")


class _SignedIn(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts: itertools.cycle[str]

    def on_start(self) -> None:
        email = next(self.accounts)
        page = self.client.get("/sign-in/", name="sign-in (form)")
        match = CSRF.search(page.text or "")
        token = match.group(1) if match else ""
        with self.client.post(
            "/sign-in/",
            data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="sign-in (post)",
            catch_response=True,
        ) as response:
            if "/sign-in/" in response.url or response.status_code != 200:
                response.failure(f"sign-in failed for {email}: {response.status_code}")


def _page(path: str | Callable[[], str], name: str) -> Callable[[FastHttpUser], None]:
    """A task: GET `path` (or what it makes, each time), reported under `name`."""

    def get(user: FastHttpUser) -> None:
        user.client.get(path() if callable(path) else path, name=name)

    get.__name__ = name.replace(" ", "_")
    return get


def _weighted(
    *tasks: tuple[Callable[[FastHttpUser], None], int],
) -> list[TaskSet | Callable[..., Any]]:
    """Locust's task list: each task as many times as its weight (what ``@task(n)`` does)."""
    return [t for t, weight in tasks for _ in range(weight)]


def _register_page() -> str:
    return f"/register/?page={random.randint(1, 20)}"  # noqa: S311


def _case_page() -> str:
    return f"/cases/{random.choice(CASES)}/enquiries/"  # noqa: S311


class SchoolStaff(_SignedIn):
    accounts = STAFF
    tasks = _weighted(
        (_page("/school/", "school home"), 2), (_page("/school/returns/", "school returns"), 1)
    )


class Officer(_SignedIn):
    accounts = OFFICERS
    tasks = _weighted(
        (_page("/my-cases/", "my cases"), 2),
        (_page("/triage/", "triage"), 2),
        (_page(_register_page, "register"), 2),
        (_page(_case_page, "case page"), 2),
    )


class Manager(_SignedIn):
    accounts = MANAGERS
    tasks = _weighted(
        (_page("/team/", "team"), 1),
        (_page("/register/?category=missing", "register"), 2),
        (_page("/dashboard/", "dashboard"), 1),
    )


# --- The capacity run (scripts/bench_capacity.py): the pages that have a control -------------

#: The register (plain and filtered), triage and case pages that the bare-Django control
#: (/bench-bare/<index>/, scripts/bench_pages_admin.py) stands beside, in its order.
CONTROL_PAGES = [p for p in os.environ.get("BENCH_CONTROL_PAGES", "").split(" ") if p]


class ControlPagesOfficer(_SignedIn):
    """An officer on the pages that have a control, each as often (capacity run only)."""

    abstract = True
    accounts = OFFICERS
    tasks = [_page(path, f"page {i}") for i, path in enumerate(CONTROL_PAGES)]


class BareControl(FastHttpUser):
    """The control: the same pages' hand-written SQL through a bare Django view, each as
    often; no sign-in (the control has no access check). Capacity run only."""

    abstract = True
    tasks = [_page(f"/bench-bare/{i}/", f"bare {i}") for i in range(len(CONTROL_PAGES))]


class AllRoles(FastHttpUser):
    """A member of school staff, an officer and a manager in one user, each signed in with
    its own session, sending a request as each in turn: the whole mix, a third each, at any
    number of users (locust adds separate classes one at a time, so 1 user would be one
    role). Capacity run only."""

    abstract = True
    roles: tuple[type[_SignedIn], ...] = (SchoolStaff, Officer, Manager)

    def on_start(self) -> None:
        # The role classes made for this user's host (the class attribute locust sets).
        self.as_roles = [
            type(role.__name__, (role,), {"abstract": True, "host": self.host})(self.environment)
            for role in self.roles
        ]
        for user in self.as_roles:
            user.on_start()
        self.turns = itertools.cycle(self.as_roles)

    def browse(self) -> None:
        user = next(self.turns)
        random.choice(user.tasks)(user)  # noqa: S311

    tasks = [browse]
