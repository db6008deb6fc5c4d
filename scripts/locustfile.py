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

from locust import FastHttpUser, between, task

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


class SchoolStaff(_SignedIn):
    accounts = STAFF

    @task(2)
    def home(self) -> None:
        self.client.get("/school/", name="school home")

    @task(1)
    def submissions(self) -> None:
        self.client.get("/school/returns/", name="school returns")


class Officer(_SignedIn):
    accounts = OFFICERS

    @task(2)
    def my_cases(self) -> None:
        self.client.get("/my-cases/", name="my cases")

    @task(2)
    def triage(self) -> None:
        self.client.get("/triage/", name="triage")

    @task(2)
    def register(self) -> None:
        page = random.randint(1, 20)  # noqa: S311
        self.client.get(f"/register/?page={page}", name="register")

    @task(2)
    def case(self) -> None:
        ref = random.choice(CASES)  # noqa: S311
        self.client.get(f"/cases/{ref}/enquiries/", name="case page")


class Manager(_SignedIn):
    accounts = MANAGERS

    @task(1)
    def team(self) -> None:
        self.client.get("/team/", name="team")

    @task(2)
    def register(self) -> None:
        self.client.get("/register/?category=missing", name="register")

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")
