"""Council single sign-on (cme/sso.py) without a browser: the ID token's claims as we check
them, who an ID token signs in to, and what an SSO session may do. The whole journey, against
a real OpenID provider, is tests/e2e/test_sso_journey.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from authlib.oidc.core import CodeIDToken
from django.test import Client
from joserfc.errors import ExpiredTokenError, InvalidClaimError
from pytest_django import Settings

from cme import sso
from cme.models import Role, User
from tests.factories import DEFAULT_PASSWORD, UserFactory

ISSUER = "https://login.example.gov.uk/tenant/v2.0"
CLIENT_ID = "cme-casework"
GROUPS = {
    "g-officers": "officer",
    "g-ehe": "ehe_officer",
    "g-managers": "manager",
    "g-admins": "administrator",
}


@pytest.fixture
def sso_on(settings: Settings) -> Settings:
    settings.CME_OIDC_ENABLED = True
    settings.CME_OIDC_ISSUER = ISSUER
    settings.CME_OIDC_CLIENT_ID = CLIENT_ID
    settings.CME_OIDC_CLIENT_SECRET = "secret"
    settings.CME_OIDC_GROUP_ROLES = dict(GROUPS)
    return settings


def validate(claims: dict[str, Any]) -> None:
    """The ID token's claims as the callback checks them (authlib's CodeIDToken with our
    options), once its signature has been verified."""
    params = {"nonce": "n-1", "client_id": CLIENT_ID}
    CodeIDToken(claims, {}, sso.claims_options(), params).validate(leeway=60)


def good_claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "s-1", "aud": CLIENT_ID, "exp": now + 300, "iat": now}
    return {**claims, "nonce": "n-1", **changes}


@pytest.mark.usefixtures("sso_on")
class TestIdTokenClaims:
    def test_a_good_token_passes(self) -> None:
        validate(good_claims())
        validate(good_claims(aud=["another-api", CLIENT_ID], azp=CLIENT_ID))

    def test_another_issuer_is_refused_even_if_signed(self) -> None:
        with pytest.raises(InvalidClaimError, match="iss"):
            validate(good_claims(iss="https://login.example.gov.uk/other-tenant/v2.0"))

    def test_a_token_for_another_audience_is_refused(self) -> None:
        with pytest.raises(InvalidClaimError, match="aud"):
            validate(good_claims(aud=["another-app"], azp=CLIENT_ID))

    def test_an_expired_token_is_refused_beyond_the_allowed_skew(self) -> None:
        now = int(time.time())
        validate(good_claims(exp=now - 30, iat=now - 330))  # within 60 s of clock skew
        with pytest.raises(ExpiredTokenError):
            validate(good_claims(exp=now - 90, iat=now - 390))

    def test_another_sign_ins_nonce_is_refused(self) -> None:
        with pytest.raises(InvalidClaimError, match="nonce"):
            validate(good_claims(nonce="n-2"))


def test_role_from_groups_takes_the_highest_mapped_role(sso_on: Settings) -> None:
    assert sso.role_from_groups(["all-staff", "g-officers"]) == "officer"
    assert sso.role_from_groups(["g-officers", "g-managers"]) == "manager"
    assert sso.role_from_groups(["g-managers", "g-admins"]) == "administrator"
    assert sso.role_from_groups(["all-staff", "finance"]) is None
    assert sso.role_from_groups(["g-ehe"]) == "ehe_officer"
    assert sso.role_from_groups(["g-ehe", "g-officers"]) == "officer"
    assert sso.role_from_groups(["g-ehe", "g-managers"]) == "manager"
    assert sso.role_from_groups([]) is None


def claims_for(sub: str, email: str, *groups: str, name: str = "Ada Okafor") -> dict[str, Any]:
    return {"sub": sub, "email": email, "name": name, "groups": list(groups)}


@pytest.mark.django_db
@pytest.mark.usefixtures("sso_on")
class TestWhoSignsIn:
    def test_first_sign_in_makes_an_account_with_the_mapped_role(self) -> None:
        user = sso.user_for(claims_for("s-1", "A.Okafor@la.example.gov.uk", "g-officers"))
        assert (user.email, user.full_name, user.role, user.oidc_sub) == (
            "a.okafor@la.example.gov.uk",
            "Ada Okafor",
            Role.OFFICER,
            "s-1",
        )
        assert not user.has_usable_password()
        assert not user.is_staff

    def test_the_role_follows_the_groups_at_each_sign_in(self) -> None:
        sso.user_for(claims_for("s-1", "a@la.example.gov.uk", "g-officers"))
        user = sso.user_for(claims_for("s-1", "renamed@la.example.gov.uk", "g-admins"))
        assert (user.role, user.is_staff, user.email) == (
            Role.ADMINISTRATOR,
            True,
            "a@la.example.gov.uk",  # linked by sub: a changed email is the same person
        )
        assert User.objects.count() == 1

    def test_leaving_every_mapped_group_refuses_the_next_sign_in(self) -> None:
        sso.user_for(claims_for("s-1", "a@la.example.gov.uk", "g-officers"))
        with pytest.raises(sso.Refusal) as refused:
            sso.user_for(claims_for("s-1", "a@la.example.gov.uk", "all-staff"))
        assert refused.value.reason == "no_role"
        assert User.objects.get(oidc_sub="s-1").role == Role.OFFICER  # unchanged, not in

    def test_no_mapped_group_makes_no_account(self) -> None:
        with pytest.raises(sso.Refusal) as refused:
            sso.user_for(claims_for("s-9", "c.finch@la.example.gov.uk", "finance"))
        assert (refused.value.reason, refused.value.username) == (
            "no_role",
            "c.finch@la.example.gov.uk",
        )
        assert not User.objects.exists()

    def test_an_existing_la_account_is_linked_by_email_once(self) -> None:
        existing = UserFactory.create(email="m.bell@la.example.gov.uk", role=Role.OFFICER)
        user = sso.user_for(claims_for("s-2", "M.Bell@la.example.gov.uk", "g-managers"))
        assert user.pk == existing.pk
        assert (user.role, user.oidc_sub) == (Role.MANAGER, "s-2")
        # Another subject with the same address does not get into it.
        with pytest.raises(sso.Refusal) as refused:
            sso.user_for(claims_for("s-3", "m.bell@la.example.gov.uk", "g-managers"))
        assert refused.value.reason == "in_use"

    def test_a_school_staff_account_is_never_taken_over(self) -> None:
        UserFactory.create(email="head@alder.sch.uk", role=Role.SCHOOL_STAFF)
        with pytest.raises(sso.Refusal) as refused:
            sso.user_for(claims_for("s-4", "head@alder.sch.uk", "g-officers"))
        assert refused.value.reason == "school_account"
        assert User.objects.get(email="head@alder.sch.uk").role == Role.SCHOOL_STAFF

    def test_a_deactivated_account_is_refused(self) -> None:
        UserFactory.create(email="gone@la.example.gov.uk", role=Role.OFFICER, is_active=False)
        with pytest.raises(sso.Refusal) as refused:
            sso.user_for(claims_for("s-5", "gone@la.example.gov.uk", "g-officers"))
        assert refused.value.reason == "inactive"

    def test_with_no_group_mapping_roles_are_kept_in_the_app(self, settings: Settings) -> None:
        settings.CME_OIDC_GROUP_ROLES = {}
        UserFactory.create(email="o@la.example.gov.uk", role=Role.MANAGER)
        user = sso.user_for(claims_for("s-6", "o@la.example.gov.uk", "anything"))
        assert (user.role, user.oidc_sub) == (Role.MANAGER, "s-6")
        with pytest.raises(sso.Refusal) as refused:
            sso.user_for(claims_for("s-7", "new@la.example.gov.uk", "g-admins"))
        assert refused.value.reason == "no_role"
        assert not User.objects.filter(email="new@la.example.gov.uk").exists()


@pytest.mark.django_db
def test_an_sso_session_counts_as_verified(client: Client, settings: Settings) -> None:
    settings.CME_REQUIRE_2FA = True
    officer = UserFactory.create(role=Role.OFFICER)
    client.force_login(officer)
    response = client.get("/triage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/two-factor/")
    session = client.session
    session[sso.SESSION_KEY] = {"at": 1}
    session.save()
    assert client.get("/triage/").status_code == 200


@pytest.mark.django_db
def test_with_sso_on_officers_and_managers_cannot_use_a_password(
    client: Client, sso_on: Settings
) -> None:
    sso_on.CME_OIDC_PROVIDER_NAME = "your Exampleshire account"
    for role in (Role.OFFICER, Role.EHE_OFFICER, Role.MANAGER):
        user = UserFactory.create(role=role)
        response = client.post("/sign-in/", {"username": user.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 200
        assert "sign in with your Exampleshire account" in response.content.decode()
        assert "_auth_user_id" not in client.session
    admin = UserFactory.create(role=Role.ADMINISTRATOR, is_staff=True)
    response = client.post("/sign-in/", {"username": admin.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302  # the break-glass (then the code page, with 2FA on)


@pytest.mark.django_db
def test_the_sign_in_page_offers_sso_only_when_it_is_set_up(
    client: Client, settings: Settings
) -> None:
    assert "Sign in with your council account" not in client.get("/sign-in/").content.decode()
    assert client.get("/sign-in/council/").status_code == 404
    settings.CME_OIDC_ENABLED = True
    settings.CME_OIDC_ISSUER = ISSUER
    page = client.get("/sign-in/?next=/triage/")
    assert 'href="/sign-in/council/?next=/triage/"' in page.content.decode()
    # Sign-out of an SSO session goes on to the provider's origin: the CSP lets that form.
    assert "form-action 'self' https://login.example.gov.uk;" in page["Content-Security-Policy"]


def test_the_admin_says_whether_an_account_is_linked(admin_client_: Client) -> None:
    linked = UserFactory.create(role=Role.OFFICER, oidc_sub="sub-7c1e9a42")
    unlinked = UserFactory.create(role=Role.OFFICER)
    page = admin_client_.get(f"/admin/cme/user/{linked.pk}/change/").content.decode()
    assert "Linked to a council account" in page
    assert "sub-7c1e9a42" not in page  # the identifier itself is not shown
    page = admin_client_.get(f"/admin/cme/user/{unlinked.pk}/change/").content.decode()
    assert "Not linked" in page


def _settings_probe(**env: str) -> subprocess.CompletedProcess[str]:
    """config.settings loaded in a fresh interpreter with ``env``: what it makes of SSO."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CME_"))}
    probe = (
        "from config import settings as s; "
        "print(s.CME_OIDC_ENABLED, sorted(s.CME_OIDC_GROUP_ROLES.items()))"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_sso_settings_are_off_unset_and_refuse_a_half_configuration() -> None:
    assert _settings_probe().stdout.strip() == "False []"
    on = _settings_probe(
        CME_OIDC_ISSUER=ISSUER,
        CME_OIDC_CLIENT_ID=CLIENT_ID,
        CME_OIDC_CLIENT_SECRET="secret",
        CME_OIDC_GROUP_ROLES="g-officers=officer,g-admins=administrator",
    )
    assert on.stdout.strip() == "True [('g-admins', 'administrator'), ('g-officers', 'officer')]"
    no_secret = _settings_probe(CME_OIDC_ISSUER=ISSUER, CME_OIDC_CLIENT_ID=CLIENT_ID)
    assert no_secret.returncode != 0
    assert "CME_OIDC_CLIENT_SECRET is required" in no_secret.stderr
    school_role = _settings_probe(CME_OIDC_GROUP_ROLES="g-schools=school_staff")
    assert school_role.returncode != 0
    assert "maps groups to officer, manager, ehe_officer or administrator" in school_role.stderr
