"""Browser journeys: headless Debian Chromium driven by Playwright, against pytest-django's
live server (STACK-NOTES.md, "Browser tests").

Everything under tests/e2e is marked ``e2e``. Without /usr/bin/chromium the journeys cannot
run: under CI (``CI=true``) that is a failure with a clear message; elsewhere they are
deselected at collection, with a note saying so (never a silent pass, never a skip).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the main thread, and it stays there until the
# session ends: Django would refuse the database calls of these tests, and of every test
# collected after them, so this is set for the whole process, not per test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: Debian's chromium package (E2E_CHROMIUM to point elsewhere).
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
E2E_DIR = Path(__file__).parent
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
MISSING = (
    f"Chromium is not installed at {CHROMIUM}: the browser journeys (tests/e2e) cannot run. "
    "Install it with scripts/system-deps.sh (apt-get install chromium)."
)
#: The types of the fixtures below, for the tests' annotations.
Shot = Callable[[Any, str, str], None]
AssertAccessible = Callable[[Any, str], None]
SignIn = Callable[..., Any]
Look = Callable[[Any, str, str, str], None]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(str(item.fspath)).parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ours = [item for item in items if _is_e2e(item)]
    for item in ours:
        item.add_marker(pytest.mark.e2e)
    if not ours or CHROMIUM.exists():
        return
    if _under_ci():
        return  # each fails in pytest_runtest_setup, before any browser fixture
    items[:] = [item for item in items if not _is_e2e(item)]
    config.hook.pytest_deselected(items=ours)
    note = f"NOTE: {len(ours)} browser journeys deselected. {MISSING}"
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(note, yellow=True, bold=True)
    else:
        print(note, file=sys.stderr)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _is_e2e(item) and not CHROMIUM.exists():
        pytest.fail(f"{MISSING} CI=true: CI must run them.", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _close_connections_opened_under_playwright(playwright: Any) -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running in the main thread until it stops,
    and while it runs Django keys database connections by context, not by thread: every test
    from the first journey on (journeys, and any test after them) uses a connection that
    pytest-django, tearing down after Playwright has stopped, never sees. Left open, it stops
    PostgreSQL dropping the test database ("being accessed by other users"). Set up after
    Playwright, this is torn down before it: while that connection is still the one Django
    hands out, so it can be closed."""
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """The live server (replaces pytest-base-url's fixture, which --base-url would set)."""
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture(autouse=True)
def _e2e_setup(transactional_db: None, live_server: Any, settings: Any) -> Iterator[None]:
    """Every journey: a live server on a database the browser's requests can see; the
    public form's rate limit counts start from nothing."""
    from django.core.cache import cache

    cache.clear()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield
    cache.clear()


@pytest.fixture
def shot() -> Shot:
    """``shot(page, journey, step)``: a full-page screenshot to
    test-artifacts/e2e/<journey>-<step>.png."""

    def take(page: Any, journey: str, step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{journey}-{step}.png"), full_page=True)

    return take


@pytest.fixture
def look(shot: Shot, assert_accessible: AssertAccessible) -> Look:
    """``look(page, journey, step, name)``: the step's screenshot (``shot``), and the page
    checked with axe-core as ``name`` (``assert_accessible``)."""

    def take(page: Any, journey: str, step: str, name: str) -> None:
        shot(page, journey, step)
        assert_accessible(page, name)

    return take


def _govuk_conditional_radio(node: dict[str, Any]) -> bool:
    """aria-allowed-attr on a GOV.UK radio that reveals a conditional question, for
    ``aria-expanded`` and nothing else.

    GOV.UK Frontend's Radios component sets ``aria-expanded`` on such radios on purpose: the
    Design System team found screen readers announce it and kept it although ARIA 1.2 does not
    list it for role=radio (alphagov/govuk-frontend#979, "known issue" in #1280; a change to
    ARIA is proposed in w3c/aria#1404). It is the vendored component's documented behaviour,
    not a fault in our pages, so only this exact case is excused: any other attribute, element
    or rule still fails.
    """
    if "govuk-radios__input" not in node.get("html", "") or 'type="radio"' not in node["html"]:
        return False
    failed = [check for kind in ("any", "all", "none") for check in node.get(kind, [])]
    data = [str(d) for check in failed for d in (check.get("data") or [])]
    return bool(data) and all(d.startswith("aria-expanded") for d in data)


def _without_known_exceptions(violation: dict[str, Any]) -> dict[str, Any] | None:
    if violation["id"] != "aria-allowed-attr":
        return violation
    nodes = [n for n in violation["nodes"] if not _govuk_conditional_radio(n)]
    return {**violation, "nodes": nodes} if nodes else None


def assert_accessible(page: Any, name: str) -> None:
    """axe-core on the page as it is now: no violation of the WCAG 2.0, 2.1 and 2.2 A and AA
    rules. ``name`` says which page it was in the failure message."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = [v for v in map(_without_known_exceptions, results.response["violations"]) if v]
    if not violations:
        return
    lines = [f"axe: {len(violations)} WCAG A/AA violation(s) on {name} ({page.url}):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact')}]: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').strip()}")
            lines.append(f"      {node.get('html', '')[:300]}")
    pytest.fail("\n".join(lines), pytrace=False)


#: Browser contexts opened with JavaScript disabled (``sign_in(user, javascript=False)``).
_WITHOUT_JAVASCRIPT: set[Any] = set()
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def assert_accessible_without_javascript(page: Any, name: str) -> None:
    """axe on a page of a context with JavaScript disabled. axe cannot run in that page
    itself: with scripting off, Chromium never fires a timer, so axe.run's promise never
    settles and Playwright's evaluate (which has no timeout) waits for ever. (That, not the
    app, was why an earlier journey without JavaScript hung.) So the page's HTML as the browser
    has it now, every <script> removed, is served at the same address to a fresh context with
    JavaScript on (the same CSS and images load), and axe runs there: the page exactly as a
    browser without JavaScript shows it."""
    html = _SCRIPT.sub("", page.content())
    context = page.context.browser.new_context(viewport=page.viewport_size, locale="en-GB")
    try:
        context.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
        context.route("**/*.js", lambda route: route.abort())
        copy = context.new_page()
        copy.goto(page.url)
        assert_accessible(copy, f"{name} (JavaScript disabled)")
    finally:
        context.close()


@pytest.fixture(name="assert_accessible")
def _assert_accessible() -> AssertAccessible:
    def check(page: Any, name: str) -> None:
        if page.context in _WITHOUT_JAVASCRIPT:
            assert_accessible_without_javascript(page, name)
        else:
            assert_accessible(page, name)

    return check


@pytest.fixture
def sign_in(browser: Any, browser_context_args: dict[str, Any], settings: Any) -> Iterator[SignIn]:
    """``sign_in(user)``: a page in a browser context of its own (``javascript=False``: one with
    JavaScript disabled, as a browser with it switched off), signed in through the real
    sign-in form with the factories' DEFAULT_PASSWORD (each person keeps their session).
    Two-factor authentication is on: an LA user gets an authenticator (if they have none) and
    enters its current code on the code page."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import DEFAULT_PASSWORD

    settings.CME_REQUIRE_2FA = True
    contexts: list[Any] = []

    def current_code(user: Any) -> str:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="E2E app", confirmed=True)
        # Each person signs in in a context of their own, maybe twice within 30 seconds:
        # forget the last code used and any throttling, so the current code is accepted.
        TOTPDevice.objects.filter(pk=device.pk).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

    def open_as(
        user: Any, *, check: Callable[[Any, str], None] | None = None, javascript: bool = True
    ) -> Any:
        context = browser.new_context(**browser_context_args, java_script_enabled=javascript)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if not javascript:
            _WITHOUT_JAVASCRIPT.add(context)
        page = context.new_page()
        page.goto("/sign-in/")
        if check is not None:
            check(page, "sign-in")
        code = current_code(user) if user.is_la_user else None
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        # exact: with single sign-on on, the page also has "Sign in with your council account".
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(lambda url: "/sign-in/" not in url)
        if "/two-factor/" in page.url and code is not None:
            if check is not None:
                check(page, "two-factor code")
            page.get_by_label("Enter the 6-digit code from your authenticator app").fill(code)
            page.get_by_role("button", name="Continue").click()
            page.wait_for_url(lambda url: "/two-factor/" not in url)
        return page

    yield open_as
    for context in contexts:
        _WITHOUT_JAVASCRIPT.discard(context)
        context.close()


@pytest.fixture
def journey_school(transactional_db: None) -> Any:
    """The school in a journey's ``people`` (a module overrides it for another school)."""
    from tests.factories import SchoolFactory

    return SchoolFactory.create(urn=100001, name="Alder Primary School")


@pytest.fixture
def journey_staff_name() -> str:
    """The name of the school's member of staff in ``people``."""
    return "Alice Alder"


@pytest.fixture
def people(journey_school: Any, journey_staff_name: str) -> dict[str, Any]:
    """The journey's school and its member of staff, and the LA's officer and manager."""
    from tests.e2e.steps import school_and_la_people

    return school_and_la_people(journey_school, journey_staff_name)
