"""Council single sign-on, end to end in Chromium against a real OpenID provider
(tests/e2e/oidc.py: oidc-provider in node, on loopback): sign-in with the role from the
groups claim, a wrong issuer, a replayed state, an expired ID token and a person with no
role refused, sign-out ending both sessions, and password + TOTP still working for school
staff and administrators. axe on each of our pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessLog

from cme.models import Role, User
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.e2e.oidc import (
    MANAGER,
    NO_ROLE,
    OFFICER,
    PASSWORD,
    Person,
    Provider,
    start_provider,
)
from tests.factories import DEFAULT_PASSWORD, UserFactory

CALLBACK = "/sign-in/council/callback/"
BUTTON = "Sign in with your council account"


@pytest.fixture
def oidc_provider(live_server: Any, settings: Any) -> Iterator[Any]:
    """``oidc_provider(**options)``: a provider for this test, the app's single sign-on
    settings pointed at it (its URL is the configured issuer)."""
    from cme import sso
    from tests.e2e.oidc import CLIENT_ID, CLIENT_SECRET, GROUP_ROLES

    started: list[Provider] = []
    site = str(live_server.url)

    def start(**options: Any) -> Provider:
        provider = start_provider(site, **options)
        started.append(provider)
        settings.CME_SITE_URL = site
        settings.CME_OIDC_ENABLED = True
        settings.CME_OIDC_ISSUER = provider.url
        settings.CME_OIDC_CLIENT_ID = CLIENT_ID
        settings.CME_OIDC_CLIENT_SECRET = CLIENT_SECRET
        settings.CME_OIDC_SCOPES = "openid email profile groups"
        settings.CME_OIDC_GROUP_ROLES = dict(GROUP_ROLES)
        settings.CME_OIDC_PROVIDER_NAME = "your council account"
        settings.CME_REQUIRE_2FA = True
        sso.forget_metadata()
        return provider

    yield start
    sso.forget_metadata()
    for provider in started:
        provider.process.terminate()
        provider.process.wait(timeout=10)


@pytest.fixture
def new_page(browser: Any, browser_context_args: dict[str, Any]) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context(**browser_context_args)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def at_provider(page: Any, provider: Provider) -> bool:
    return bool(page.url.startswith(provider.url))


def start_council_sign_in(page: Any, check: AssertAccessible) -> None:
    page.goto("/sign-in/")
    check(page, "sign-in, with single sign-on")
    page.get_by_role("button", name=BUTTON).click()


def sign_in_at_provider(page: Any, provider: Provider, person: Person) -> None:
    page.wait_for_url(lambda url: url.startswith(provider.url + "/interaction/"))
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the council").click()


def through_the_provider(
    page: Any, provider: Provider, person: Person, check: AssertAccessible
) -> None:
    """From our sign-in page to the provider's, and signed in there as ``person``."""
    start_council_sign_in(page, check)
    sign_in_at_provider(page, provider, person)


def back_on_our_site(page: Any, live_server: Any) -> None:
    page.wait_for_url(lambda url: url.startswith(str(live_server.url)) and CALLBACK not in url)


def assert_refused(page: Any, heading: str, check: AssertAccessible, name: str) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert "You have not been signed in" in page.content()
    check(page, name)
    # Not signed in: the service's pages still send this browser to sign in.
    page.goto("/")
    assert "/sign-in/" in page.url


def test_officer_signs_in_with_the_council_account_and_sign_out_ends_both(
    oidc_provider: Any,
    new_page: Any,
    live_server: Any,
    assert_accessible: AssertAccessible,
    shot: Shot,
) -> None:
    provider = oidc_provider()
    page = new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto("/sign-in/")
    shot(page, "sso", "1-sign-in")
    start_council_sign_in(page, assert_accessible)
    sign_in_at_provider(page, provider, OFFICER)
    back_on_our_site(page, live_server)
    shot(page, "sso", "2-signed-in")

    # Straight in, no code page: the council's provider did the second factor.
    assert "/two-factor/" not in page.url
    assert "Ada Okafor" in page.content()
    assert "CME officer" in page.content()
    assert_accessible(page, "home after single sign-on")
    user = User.objects.get(oidc_sub=OFFICER.sub)
    assert (user.email, user.role, user.has_usable_password()) == (
        OFFICER.email,
        Role.OFFICER,
        False,
    )
    # In the audit trail as a password sign-in is: django-axes' access log.
    log = AccessLog.objects.get(username=OFFICER.email)
    assert log.path_info == CALLBACK
    assert log.logout_time is None
    # An LA page (the triage queue is for caseworkers) opens: the session counts as verified.
    page.goto("/triage/")
    assert page.url.endswith("/triage/")

    page.get_by_role("button", name="Sign out").click()
    # The provider asks, as a council's does, then sends the person back to our sign-in.
    page.wait_for_url(lambda url: at_provider(page, provider))
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(lambda url: url.startswith(f"{live_server.url}/sign-in/"))
    assert_accessible(page, "sign-in after signing out of both")
    log.refresh_from_db()
    assert log.logout_time is not None
    page.goto("/")
    assert "/sign-in/" in page.url  # our session has ended
    # ... and the provider's: signing in again asks for the password again.
    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url(lambda url: url.startswith(provider.url + "/interaction/"))
    assert page.get_by_label("Username").is_visible()
    # No personal data in any address the browser went to, ours or the provider's.
    end_session = [u for u in urls if u.startswith(provider.url + "/session/end")]
    assert end_session
    assert "id_token_hint" not in end_session[0]
    assert "client_id=" in end_session[0]
    for url in urls:
        for personal in ("okafor", "Okafor", OFFICER.email, "%40la.example"):
            assert personal not in url, url


def test_manager_role_comes_from_the_groups_claim(
    oidc_provider: Any, new_page: Any, live_server: Any, assert_accessible: AssertAccessible
) -> None:
    provider = oidc_provider()
    # Made by an administrator as an officer, before single sign-on: linked by email the
    # first time, then by `sub`; the groups claim (officers and managers) makes a manager.
    existing = UserFactory.create(email=MANAGER.email, role=Role.OFFICER)
    page = new_page()
    through_the_provider(page, provider, MANAGER, assert_accessible)
    back_on_our_site(page, live_server)
    assert "CME manager" in page.content()
    existing.refresh_from_db()
    assert (existing.role, existing.oidc_sub) == (Role.MANAGER, MANAGER.sub)
    assert User.objects.filter(email__iexact=MANAGER.email).count() == 1


def test_a_provider_that_is_not_the_configured_issuer_is_refused(
    oidc_provider: Any, new_page: Any, assert_accessible: AssertAccessible
) -> None:
    # It answers at the configured URL but says it is another issuer (another tenant).
    provider = oidc_provider(issuer_path="/another-tenant")
    page = new_page()
    start_council_sign_in(page, assert_accessible)
    assert not at_provider(page, provider)  # nobody is sent to it
    assert_refused(
        page, "Single sign-on is not set up correctly", assert_accessible, "refused: wrong issuer"
    )
    assert AccessAttempt.objects.filter(username="(single sign-on: wrong_issuer)").exists()
    assert not AccessLog.objects.exists()


def test_a_replayed_callback_is_refused(
    oidc_provider: Any, new_page: Any, live_server: Any, assert_accessible: AssertAccessible
) -> None:
    provider = oidc_provider()
    page = new_page()
    callbacks: list[str] = []
    page.on("request", lambda r: callbacks.append(r.url) if CALLBACK in r.url else None)
    through_the_provider(page, provider, OFFICER, assert_accessible)
    back_on_our_site(page, live_server)
    assert "CME officer" in page.content()
    assert len(callbacks) == 1
    assert re.search(r"[?&]state=[^&]+", callbacks[0])

    # Someone else's browser replays the provider's answer (code and state): refused.
    attacker = new_page()
    attacker.goto(callbacks[0])
    assert_refused(
        attacker, "Your sign-in link has expired", assert_accessible, "refused: replayed state"
    )
    # ... and so is the same browser, the state used once already.
    page.goto(callbacks[0])
    assert page.get_by_role("heading", level=1).inner_text() == "Your sign-in link has expired"
    assert AccessAttempt.objects.get(username="(single sign-on: state)").failures_since_start == 2
    assert AccessLog.objects.filter(username=OFFICER.email).count() == 1


def test_an_expired_id_token_is_refused(
    oidc_provider: Any, new_page: Any, live_server: Any, assert_accessible: AssertAccessible
) -> None:
    # The provider's clock is 15 minutes slow: the 5-minute ID token it signs has expired.
    provider = oidc_provider(clock_offset_seconds=-15 * 60)
    page = new_page()
    through_the_provider(page, provider, OFFICER, assert_accessible)
    page.wait_for_url(lambda url: CALLBACK in url)
    assert_refused(page, "You have not been signed in", assert_accessible, "refused: expired")
    assert AccessAttempt.objects.filter(username="(single sign-on: token)").exists()
    assert not User.objects.filter(oidc_sub=OFFICER.sub).exists()


def test_a_person_with_no_mapped_group_is_refused_and_gets_no_account(
    oidc_provider: Any, new_page: Any, assert_accessible: AssertAccessible, shot: Shot
) -> None:
    provider = oidc_provider()
    page = new_page()
    through_the_provider(page, provider, NO_ROLE, assert_accessible)
    page.wait_for_url(lambda url: CALLBACK in url)
    shot(page, "sso", "3-refused-no-role")
    heading = "You do not have access to this service"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert "not in a group that has access" in page.content()
    assert_refused(page, heading, assert_accessible, "refused: no role")
    assert not User.objects.filter(email__iexact=NO_ROLE.email).exists()
    assert not User.objects.filter(oidc_sub=NO_ROLE.sub).exists()
    assert AccessAttempt.objects.filter(username=NO_ROLE.email).exists()


def test_school_staff_and_administrators_still_sign_in_with_password_and_code(
    oidc_provider: Any,
    sign_in: SignIn,
    new_page: Any,
    staff_a: User,
    officer: User,
    assert_accessible: AssertAccessible,
) -> None:
    oidc_provider()
    admin = UserFactory.create(
        email="root@la.gov.uk", full_name="Ada Admin", role=Role.ADMINISTRATOR, is_staff=True
    )
    page = sign_in(staff_a, check=assert_accessible)
    assert "Alice Alder" in page.content()
    assert "Alder Primary School" in page.content()
    assert_accessible(page, "school staff home")
    # The break-glass: an administrator with a password and the authenticator's code.
    page = sign_in(admin, check=assert_accessible)
    assert "/two-factor/" not in page.url
    assert "Ada Admin" in page.content()
    page.goto("/admin/")
    assert page.url.endswith("/admin/")
    assert page.get_by_role(
        "heading", name="Users, schools, term dates and reference data"
    ).is_visible()

    # An officer's password is not enough once single sign-on is on.
    page = new_page()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_selector(".govuk-error-summary")
    assert "/sign-in/" in page.url
    assert "CME officers and managers sign in with your council account" in page.content()
    assert page.get_by_label("Email address").input_value() == officer.email
    assert_accessible(page, "sign-in: an officer's password refused")
