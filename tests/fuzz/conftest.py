# ruff: noqa: RUF001 - look-alike digits and letters are the point of these strategies
"""Hostile input for every form and filter (issue 6, item 4): strategies and helpers.

Strategies: hostile text (random unicode with control characters, up to 20,000 characters,
script tags, SQL, spreadsheet formulas, RTL overrides, NUL), hostile dates (year 1 to 9999,
day 32, "-1", Arabic-Indic digits) and malformed UPNs.

The `nul_guard` fixture stands in for PostgreSQL, which refuses a NUL (\\x00) in a text
parameter: on SQLite (the test database) it would be stored, so every query's parameters
are checked here and a NUL fails the request the way PostgreSQL would (a 500).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cme.models import User
from tests.cme.test_access_matrix import World, build_world

#: Each form or filter gets this many examples (the suite must stay fast).
EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    database=None,
)

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE schools_school; --",
    "' OR '1'='1",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-1+2",
    "\tTAB",
    "\rCR",
    "\u202eevil\u202c",  # right-to-left override
    "a\x00b",
    "\x00",
    "{{ 7*7 }}{% now 'Y' %}",
    "%s%s%n",
    "../../etc/passwd",
    "٣",
    "²",
    "-0",
    "1e400",
    "NaN",
    " ",
    "",
]

hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=60),  # any unicode, control characters included
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),  # control characters
    st.builds(
        lambda p, n: p * n,
        st.sampled_from(["x", "é", SCRIPT, "\u202e"]),
        st.integers(min_value=1000, max_value=20_000),
    ).map(lambda s: s[:20_000]),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(max_size=20)),
)

date_part = st.one_of(
    st.sampled_from(
        [
            "0",
            "00",
            "1",
            "31",
            "32",
            "-1",
            "13",
            "٣",
            "²",
            "0001",
            "1",
            "9999",
            "10000",
            "99999999999999999999",
            "2026",
            "1899",
            " 1 ",
            "",
            "1.5",
            "x",
        ]
    ),
    st.integers(min_value=-10_000, max_value=100_000).map(str),
    hostile_text,
)
iso_date = st.one_of(
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-13-01",
            "1-1-1",
            "99999-01-01",
            "2026-1-1",
            "",
            "today",
            "٢٠٢٦-٠١-٠١",
        ]
    ),
    st.dates().map(str),
    hostile_text,
)
malformed_upn = st.one_of(
    st.sampled_from(
        [
            "A12345678901",
            "A1234567890123",
            "1234567890123",
            "A12345678901Z",
            "a123456789012",
            "Ａ123456789012",
            "A١٢٣٤٥٦٧٨٩٠١٢",
            "A 123 456 789 012",
            "A123456789012\x00",
            "\x00",
        ]
    ),
    st.text(alphabet="A1234567890 -\x00", min_size=10, max_size=16),
    hostile_text,
)
number_text = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["1e10", "1E+100", "-0", "0.0000001", "NaN", "Infinity", "²", "٣", "9" * 400]),
    hostile_text,
)


@dataclass(frozen=True)
class Screen:
    """A page a persona opens: who, and its URL in the world."""

    persona: str
    url: Callable[[World], str]

    def open(self, world: World, clients: dict[str, Client]) -> tuple[Client, str, Any]:
        """The persona's client, the URL, and the page as first fetched (a 200)."""
        client = clients[self.persona]
        url = self.url(world)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return client, url, response


def value_for(name: str, options: list[str]) -> st.SearchStrategy[str]:
    """What to post in a field: one of its own options sometimes, hostile input always."""
    lowered = name.lower()
    if re.search(r"(_0|_1|_2|day|month|year)$", lowered):
        base = date_part
    elif "upn" in lowered:
        base = malformed_upn
    elif any(w in lowered for w in ("hours", "version", "age", "page", "id")):
        base = number_text
    elif any(w in lowered for w in ("date", "after", "before", "start", "end")):
        base = st.one_of(iso_date, date_part)
    else:
        base = hostile_text
    if options:
        return st.one_of(st.sampled_from(options), st.sampled_from(options), base)
    return base


class FormFields(HTMLParser):
    """Names of a page's POST form fields, with the values offered for radios and selects."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag in ("input", "textarea", "select") and name and name != "csrfmiddlewaretoken":
            if a.get("type") in ("submit", "button", "file"):
                return
            options = self.fields.setdefault(name, [])
            if (
                tag == "input"
                and a.get("type") in ("radio", "checkbox", "hidden")
                and a.get("value")
            ):
                options.append(a["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select is not None:
            self.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


def assert_safe(response: Any, sent: dict[str, Any] | None = None) -> None:
    """No 500, and nothing hostile that was sent comes back unescaped."""
    assert response.status_code < 500, response.status_code
    content_type = response.get("Content-Type", "")
    if "html" not in content_type:
        return
    body = response.content.decode("utf-8", "replace")
    assert SCRIPT not in body, "raw <script> echoed"
    assert "<img src=x onerror" not in body, "raw <img onerror> echoed"
    for value in (sent or {}).values():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and "<script" in v.lower():
                assert v not in body, "hostile markup echoed"


@pytest.fixture
def nul_guard() -> Iterator[list[str]]:
    """Fail a query carrying a NUL in a text parameter, as PostgreSQL does."""
    seen: list[str] = []

    def guard(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        flat = params if not many else [p for group in params or [] for p in group]
        for p in flat or []:
            if isinstance(p, str) and "\x00" in p:
                seen.append(sql)
                raise ValueError("A string literal cannot contain NUL (0x00) characters.")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(guard):
        yield seen


@pytest.fixture(autouse=True)
def _fuzz_settings(settings: Any, tmp_path: Any, monkeypatch: Any) -> None:
    settings.CME_REPORT_STORAGE = str(tmp_path / "reports")
    settings.CME_PUBLIC_REFERRAL_RATE = "100000/h"
    settings.RATELIMIT_ENABLE = False
    # Report runs build in Celery's eager mode: a stand-in PDF keeps the fuzzing fast.
    import reports.charts
    import reports.pdf

    monkeypatch.setattr(reports.charts, "board_charts", lambda f: {})
    monkeypatch.setattr(reports.pdf, "render_pdf", lambda f, la, charts=None: b"%PDF-1.7 x")


@pytest.fixture
def world(
    school_a: Any,
    school_b: Any,
    staff_a: Any,
    staff_b: Any,
    officer: Any,
    manager: Any,
    administrator: Any,
) -> World:
    return build_world(school_a=school_a, staff_a=staff_a, manager=manager)


@pytest.fixture
def clients(personas: dict[str, User]) -> dict[str, Client]:
    out = {"anonymous": Client()}
    for persona, user in personas.items():
        out[persona] = Client()
        out[persona].force_login(user)
    return out
