"""Sign-in security (issue 6 item 3): two-factor codes for LA roles, lockout, idle expiry,
password rules, reset that does not reveal accounts, and the security headers."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from cme.models import Role, User
from tests.factories import DEFAULT_PASSWORD, UserFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
two_factor = override_settings(CME_REQUIRE_2FA=True)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="App", confirmed=True)


def password_sign_in(
    client: Client, email: str, password: str = DEFAULT_PASSWORD, **extra: Any
) -> _MonkeyPatchedWSGIResponse:
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts from an empty cache (wrong codes are counted in the database)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as t:
        yield t


# ------------------------------------------------------------------------- two-factor codes


@two_factor
def test_an_officer_is_asked_for_a_code_and_a_wrong_one_is_refused(
    client: Client, officer: User, traveller: time_machine.Traveller
) -> None:
    device = device_for(officer)
    response = password_sign_in(client, officer.email)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))

    page = client.get(response["Location"])
    assert b"Enter the 6-digit code from your authenticator app" in page.content

    wrong = "000000" if code_for(device) != "000000" else "111111"
    refused = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert refused.status_code == 200
    assert b"There is a problem" in refused.content
    assert b"govuk-error-message" in refused.content
    assert b"The code is not correct" in refused.content

    traveller.shift(5)  # past django-otp's throttle delay after one failure
    accepted = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/"
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert home.redirect_chain[-1][0] == reverse("cases:my_cases")


@two_factor
def test_an_unverified_la_session_only_reaches_the_code_page(client: Client, officer: User) -> None:
    device_for(officer)
    password_sign_in(client, officer.email)
    response = client.get("/register/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert "next=%2Fregister%2F" in response["Location"]
    # Public pages and sign-out stay open.
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


@two_factor
def test_force_logged_in_la_users_are_not_verified(officer_client: Client) -> None:
    response = officer_client.get(reverse("cases:my_cases"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


@two_factor
def test_the_admin_site_requires_a_verified_session(client: Client, administrator: User) -> None:
    device = device_for(administrator)
    password_sign_in(client, administrator.email)
    assert client.get("/admin/").status_code == 302
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "bad", ["abc", "//evil.example/", "https://evil.example/", "/no-such-page/"]
)
@two_factor
def test_an_unsafe_or_unknown_next_goes_home(client: Client, officer: User, bad: str) -> None:
    device = device_for(officer)
    response = client.post(
        reverse("login") + "?" + urlencode({"next": bad}),
        {"username": officer.email, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_verify") + "?next=%2F"

    assert client.get(reverse("two_factor_verify"), {"next": bad}).status_code == 200
    verified = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": bad})
    assert verified.status_code == 302
    assert verified["Location"] == "/"
    # Signed in and verified: both pages send an unusable next home, never a 500.
    assert client.get(reverse("two_factor_verify"), {"next": bad})["Location"] == "/"
    assert client.get(reverse("login"), {"next": bad})["Location"] == "/"


def test_a_safe_next_is_kept(client: Client, staff_a: User) -> None:
    response = client.post(
        reverse("login") + "?next=/school/",
        {"username": staff_a.email, "password": DEFAULT_PASSWORD},
    )
    assert response["Location"] == "/school/"


@two_factor
def test_school_staff_are_not_asked_for_a_code(client: Client, staff_a: User) -> None:
    response = password_sign_in(client, staff_a.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("schools:home")).status_code == 200


@two_factor
def test_first_sign_in_sets_up_an_app_and_shows_backup_codes_once(
    client: Client, manager: User, traveller: time_machine.Traveller
) -> None:
    response = password_sign_in(client, manager.email)
    assert response["Location"].startswith(reverse("two_factor_setup"))
    # Before set-up, the service is out of reach.
    assert client.get("/register/").status_code == 302

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert 'role="img"' in html
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    shown = re.search(r'id="totp-secret"><code>([A-Z2-7 ]+)</code>', html)
    assert shown
    secret = shown.group(1)
    assert len(secret.replace(" ", "")) == 32
    assert " " in secret

    wrong = client.post(reverse("two_factor_setup"), {"code": "12345"})
    assert b"The code is not correct" in wrong.content

    traveller.shift(5)  # past django-otp's throttle delay after one failure
    done = client.post(reverse("two_factor_setup"), {"code": code_for(device), "next": "/"})
    assert done["Location"].startswith(reverse("two_factor_backup_codes"))
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(done["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=manager).count() == 10
    # Shown once only.
    again = client.get(reverse("two_factor_backup_codes"))
    assert again.status_code == 302
    # Verified: the service is open.
    assert client.get("/register/").status_code == 200


@two_factor
def test_someone_with_an_app_cannot_set_up_another_without_a_code(
    client: Client, officer: User
) -> None:
    device_for(officer)
    password_sign_in(client, officer.email)
    response = client.get(reverse("two_factor_setup"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=officer, confirmed=False).exists()


@two_factor
def test_a_backup_code_works_once(officer: User) -> None:
    device_for(officer)
    static = StaticDevice.objects.create(user=officer, name="Backup codes", confirmed=True)
    static.token_set.create(token="abcd2345")

    first = Client()
    password_sign_in(first, officer.email)
    response = first.post(reverse("two_factor_verify"), {"code": "ABCD 2345", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not static.token_set.exists()

    second = Client()
    password_sign_in(second, officer.email)
    refused = second.post(reverse("two_factor_verify"), {"code": "abcd2345"})
    assert refused.status_code == 200
    assert b"The code is not correct" in refused.content


@two_factor
def test_five_wrong_codes_sign_the_user_out(
    client: Client, officer: User, traveller: time_machine.Traveller
) -> None:
    device = device_for(officer)
    password_sign_in(client, officer.email)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(4):
        assert client.post(reverse("two_factor_verify"), {"code": wrong}).status_code == 200
        traveller.shift(60)
    locked = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert locked.status_code == 429
    assert b"Too many attempts" in locked.content
    assert "_auth_user_id" not in client.session
    # The password form is locked for this address too, even with the right password.
    again = password_sign_in(client, officer.email)
    assert again.status_code == 429


# ------------------------------------------------------------------------------- lockout


def test_five_wrong_passwords_lock_the_account_out(client: Client, officer: User) -> None:
    for _ in range(5):
        password_sign_in(client, officer.email, "not-the-password")
    response = password_sign_in(client, officer.email)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "Too many attempts" in text
    assert "reset your password" in text
    assert officer.email not in text

    # The same page for an address with no account: it does not reveal which exist.
    for _ in range(6):
        other = password_sign_in(client, "nobody@la.gov.uk", "not-the-password")
    assert other.status_code == 429

    def body(r: _MonkeyPatchedWSGIResponse) -> str:
        return re.sub(r'nonce="[^"]+"|value="[^"]+"', "", r.content.decode())

    assert body(other) == body(response)


def test_lockout_ends_after_the_cool_off(client: Client, officer: User) -> None:
    with time_machine.travel(START, tick=False) as t:
        for _ in range(5):
            password_sign_in(client, officer.email, "not-the-password")
        assert password_sign_in(client, officer.email).status_code == 429
        t.shift(timedelta(minutes=31))
        assert password_sign_in(client, officer.email).status_code == 302


def test_lockout_is_per_address_and_ip(client: Client, officer: User) -> None:
    for _ in range(5):
        password_sign_in(client, officer.email, "not-the-password")
    elsewhere = password_sign_in(Client(), officer.email, REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 302


def test_password_spraying_from_one_address_is_locked_out_across_accounts(
    client: Client, officer: User
) -> None:
    # 30 accounts, one wrong password each, from one address: none reaches its own limit.
    accounts = [UserFactory.create(email=f"user{i}@la.gov.uk") for i in range(30)]
    answers = [password_sign_in(client, u.email, "Spring2026!").status_code for u in accounts]
    assert answers[:19] == [200] * 19  # the form again, with its error
    assert set(answers[20:]) == {429}
    # The address is locked, even for an account with the right password ...
    assert password_sign_in(client, officer.email).status_code == 429
    assert "_auth_user_id" not in client.session
    # ... but another address is not.
    assert password_sign_in(Client(), officer.email, REMOTE_ADDR="10.0.0.9").status_code == 302


@override_settings(CME_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_lockout_keys_on_the_client_address_behind_the_trusted_proxy(officer: User) -> None:
    proxy: dict[str, Any] = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    for _ in range(5):
        password_sign_in(attacker, officer.email, "not-the-password")
    assert password_sign_in(attacker, officer.email).status_code == 429
    # The officer, behind the same proxy from elsewhere, still signs in.
    colleague = Client(HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert password_sign_in(colleague, officer.email).status_code == 302


# --------------------------------------------------------------------- sessions and passwords


@override_settings(SESSION_COOKIE_AGE=30 * 60)
def test_idle_sessions_expire(client: Client, staff_a: User) -> None:
    with time_machine.travel(START, tick=False) as t:
        client.force_login(staff_a)
        assert client.get(reverse("schools:home")).status_code == 200
        t.shift(timedelta(minutes=20))
        assert client.get(reverse("schools:home")).status_code == 200  # activity extends it
        t.shift(timedelta(minutes=29))
        assert client.get(reverse("schools:home")).status_code == 200
        t.shift(timedelta(minutes=31))
        response = client.get(reverse("schools:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@override_settings(SESSION_COOKIE_AGE=30 * 60, SESSION_REFRESH_SECONDS=60)
def test_activity_refreshes_the_session_at_most_once_a_minute(
    client: Client, staff_a: User
) -> None:
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def expiry() -> datetime:
        return Session.objects.get(session_key=client.session.session_key).expire_date

    with time_machine.travel(START, tick=False) as t:
        client.force_login(staff_a)
        client.get(reverse("schools:home"))
        first = expiry()
        assert first == START + timedelta(minutes=30)
        t.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("schools:home"))
        assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
        assert expiry() == first  # not saved again within the minute
        t.shift(timedelta(seconds=31))
        client.get(reverse("schools:home"))
        assert expiry() == START + timedelta(seconds=61, minutes=30)


def test_an_expired_session_cookie_does_not_make_a_new_session(
    client: Client, staff_a: User
) -> None:
    from django.contrib.sessions.models import Session

    with time_machine.travel(START, tick=False) as t:
        client.force_login(staff_a)
        t.shift(timedelta(days=3650 * 2))  # past the test settings' long SESSION_COOKIE_AGE
        response = client.get(reverse("schools:home"))
        assert response.status_code == 302
        assert Session.objects.filter(expire_date__gt=START + timedelta(days=3650 * 2)).count() == 0


def test_passwords_are_hashed_with_argon2id_at_owasp_parameters_and_old_hashes_upgrade() -> None:
    from django.contrib.auth.hashers import check_password, identify_hasher, make_password

    with override_settings(
        PASSWORD_HASHERS=[
            "cme.hashers.Argon2idHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
    ):
        encoded = make_password("correct horse battery staple")
        assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert check_password("correct horse battery staple", encoded)
        user = UserFactory.create(password="irrelevant")
        user.password = make_password("an older password!", hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        assert user.check_password("an older password!")  # and re-hashes it
        user.refresh_from_db()
        assert identify_hasher(user.password).algorithm == "argon2"


def test_production_session_settings_are_strict() -> None:
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [
            str(REPO / ".venv/bin/python"),
            "-c",
            "from django.conf import settings as s; import django; django.setup(); "
            "print(s.SESSION_COOKIE_AGE, s.SESSION_REFRESH_SECONDS, s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
            "s.X_FRAME_OPTIONS, s.CME_REQUIRE_2FA, s.AXES_FAILURE_LIMIT, "
            "s.AUTHENTICATION_BACKENDS[0], s.PASSWORD_HASHERS[0])",
        ],
        cwd=REPO,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "x" * 60,
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == [
        "1800",
        "60",
        "True",
        "True",
        "31536000",
        "True",
        "DENY",
        "True",
        "5",
        "axes.backends.AxesStandaloneBackend",
        "cme.hashers.Argon2idHasher",
    ]


def test_check_deploy_is_clean() -> None:
    # Without the variables config/settings_test.py sets for the test process.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    result = subprocess.run(
        ["/bin/bash", "scripts/check-deploy.sh"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,  # the test reads the exit code and the output itself
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_passwords_need_twelve_characters_and_are_not_common() -> None:
    user = UserFactory.build(email="someone@la.gov.uk", full_name="Some One")
    for weak in ["short-pw1", "password1234", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("tall-ladder-quiet-river", user)


# ------------------------------------------------------------------------------- headers


def test_content_security_policy_has_a_nonce_the_inline_script_carries(client: Client) -> None:
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    found = re.search(r"'nonce-([^']+)'", csp)
    assert found
    nonce = found.group(1)
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts, "base.html has an inline script"
    assert all(f'nonce="{nonce}"' in attrs for attrs in scripts)
    assert client.get(reverse("login"))["Content-Security-Policy"] != csp  # fresh per request


def test_frames_are_denied(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


# ------------------------------------------------------------------------------- demo


def test_demo_totp_prints_the_current_code_in_debug_only(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from io import StringIO

    from demo.people import OFFICER

    user = UserFactory.create(email=OFFICER.email, role=Role.OFFICER)
    device = OFFICER.totp_device(user)
    device.save()
    settings.DEBUG = False  # the test settings set a secret key: production-like
    with pytest.raises(CommandError, match="looks like production"):
        call_command("demo_totp", OFFICER.email, stdout=StringIO())
    settings.DEBUG = True
    out = StringIO()
    with time_machine.travel(START, tick=False):
        call_command("demo_totp", OFFICER.email.upper(), stdout=out)
        assert out.getvalue().split()[0] == code_for(device)
    assert OFFICER.totp_secret in OFFICER.otpauth_url


def test_demo_totp_runs_as_make_run_prints_it_in_a_second_terminal(
    settings: Settings,
) -> None:
    """Issue 12: `make run` prints ".venv/bin/python manage.py demo_totp EMAIL"; a second
    terminal has make run's settings (the development secret key) but not run-dev.sh's
    DJANGO_DEBUG=true, and the command failed there."""
    from io import StringIO

    from demo.people import OFFICER
    from demo.printing import sign_in_table

    assert ".venv/bin/python manage.py demo_totp EMAIL" in sign_in_table("x")
    user = UserFactory.create(email=OFFICER.email, role=Role.OFFICER)
    device = OFFICER.totp_device(user)
    device.save()
    settings.DEBUG = False
    settings.SECRET_KEY = settings.INSECURE_DEV_SECRET_KEY
    out = StringIO()
    with time_machine.travel(START, tick=False):
        call_command("demo_totp", OFFICER.email, stdout=out)
        assert out.getvalue().split()[0] == code_for(device)
    # Never anyone's but a demo account's code, even under make run.
    other = UserFactory.create(email="real.person@la.example.gov.uk", role=Role.OFFICER)
    TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_totp", other.email, stdout=StringIO())
