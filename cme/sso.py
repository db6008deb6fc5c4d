"""Council single sign-on for LA staff: OpenID Connect, authorization code with PKCE
(docs/decisions/019-single-sign-on.md).

authlib does the protocol: the discovery document, the state and nonce kept in the session
(and taken out of it when used, so a callback cannot be replayed), PKCE (S256), the code
exchange, and the ID token's signature and claims (audience, expiry, nonce, at_hash). Here:
the issuer must be exactly the configured one (in the discovery document and in the token),
and who the person is here: linked by the provider's ``sub``, their role from the groups claim
(CME_OIDC_GROUP_ROLES) or, with no mapping, from their account in the app. Nobody gets an
account, or into one, without an LA role.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from cme.models import User

log = logging.getLogger(__name__)

CLIENT_NAME = "council"
#: In a session signed in through single sign-on (cme.middleware counts it as verified).
SESSION_KEY = "cme_sso"
#: Where to go after the provider sends the person back (a path on this site).
NEXT_KEY = "cme_sso_next"

#: A mapped group's role wins over another's in this order: an administrator in a managers'
#: group is an administrator; a manager does everything an officer and an EHE officer do;
#: an officer in the EHE group too works cases (the EHE register is the managers' and
#: EHE officers').
ROLE_PRECEDENCE = ("administrator", "manager", "officer", "ehe_officer")

# Each reason a sign-in is refused: (the page's heading, what the person can do).
REASONS: dict[str, tuple[str, str]] = {
    "wrong_issuer": (
        "Single sign-on is not set up correctly",
        "The council's sign-in service did not identify itself as the one this service "
        "trusts, so you have not been signed in. Tell your administrator.",
    ),
    "unavailable": (
        "The council's sign-in service is not available",
        "We could not reach the council's sign-in service. Try again in a few minutes.",
    ),
    "state": (
        "Your sign-in link has expired",
        "This sign-in link has been used already or has expired. Start again from the "
        "sign-in page.",
    ),
    "provider_error": (
        "You have not been signed in",
        "The council's sign-in service did not sign you in. Start again from the sign-in page.",
    ),
    "token": (
        "You have not been signed in",
        "The council's sign-in service sent a sign-in that is not valid or has expired. "
        "Start again from the sign-in page. If this keeps happening, tell your administrator.",
    ),
    "no_role": (
        "You do not have access to this service",
        "Your council account is not in a group that has access to CME casework. Ask your "
        "manager or the service administrator to give you access.",
    ),
    "inactive": (
        "Your account is not active",
        "Your account for this service has been deactivated. Contact the service "
        "administrator if you need access.",
    ),
    "school_account": (
        "Sign in with your email address and password",
        "Your email address belongs to a school account, which cannot use the council's "
        "single sign-on. Sign in with your email address and password instead.",
    ),
    "in_use": (
        "Your email address is linked to another council account",
        "An account with your email address already signs in with a different council "
        "account. Tell the service administrator.",
    ),
    "no_email": (
        "You have not been signed in",
        "The council's sign-in service did not give an email address for your account. "
        "Tell your administrator.",
    ),
}


class Refusal(Exception):
    """A sign-in this service will not accept; ``reason`` is a key of REASONS."""

    def __init__(self, reason: str, *, username: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.username = username


def enabled() -> bool:
    return bool(settings.CME_OIDC_ENABLED)


# The provider's discovery document and keys, per process, for CME_OIDC_METADATA_SECONDS:
# what a request would otherwise fetch twice. Nothing here is state of a sign-in.
_metadata: dict[str, dict[str, Any]] = {}


def forget_metadata() -> None:
    _metadata.clear()


def discovery_url(issuer: str) -> str:
    return f"{issuer.rstrip('/')}/.well-known/openid-configuration"


def client() -> Any:
    """authlib's client for the configured provider, its discovery document loaded and its
    issuer checked (OpenID Connect Discovery 1.0, section 4.3: it must be exactly the
    configured issuer, or nothing in it is used)."""
    issuer = settings.CME_OIDC_ISSUER
    cached = _metadata.get(issuer)
    if cached and time.time() - cached.get("_loaded_at", 0) > settings.CME_OIDC_METADATA_SECONDS:
        cached = None
    oauth = OAuth()
    app = oauth.register(
        name=CLIENT_NAME,
        client_id=settings.CME_OIDC_CLIENT_ID,
        client_secret=settings.CME_OIDC_CLIENT_SECRET,
        server_metadata_url=discovery_url(issuer),
        client_kwargs={
            "scope": settings.CME_OIDC_SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": settings.CME_OIDC_TIMEOUT_SECONDS,
        },
        **(cached or {}),
    )
    try:
        metadata = app.load_server_metadata()
    except Exception as error:  # requests' errors, or a document that is not JSON
        log.warning("Single sign-on: discovery document unavailable (%s)", type(error).__name__)
        raise Refusal("unavailable") from error
    if metadata.get("issuer") != issuer:
        _metadata.pop(issuer, None)
        raise Refusal("wrong_issuer")
    _metadata[issuer] = app.server_metadata
    return app


def claims_options() -> dict[str, Any]:
    """What the ID token must say, with authlib's own checks (expiry, nonce, azp, at_hash):
    this issuer, a subject, and this client among its audiences (authlib alone lets a token
    for another audience through when its azp is this client)."""
    return {
        "iss": {"essential": True, "value": settings.CME_OIDC_ISSUER},
        "sub": {"essential": True},
        "aud": {"essential": True, "value": settings.CME_OIDC_CLIENT_ID},
    }


def role_from_groups(groups: Iterable[str]) -> str | None:
    mapping: Mapping[str, str] = settings.CME_OIDC_GROUP_ROLES
    roles = {mapping[g] for g in groups if isinstance(g, str) and g in mapping}
    return next((r for r in ROLE_PRECEDENCE if r in roles), None)


def _claimed_email(claims: Mapping[str, Any]) -> str:
    # Entra ID gives `email` only where the mailbox is set; `preferred_username` is the UPN.
    value = claims.get("email") or claims.get("preferred_username") or ""
    return str(value).strip().lower() if "@" in str(value) else ""


def _groups(claims: Mapping[str, Any]) -> list[str]:
    groups = claims.get(settings.CME_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return [g for g in groups if isinstance(g, str)]


def _linked_account(sub: str, email: str) -> User | None:
    """The account this subject signed in to before, or, the first time, the unlinked
    account with the same email address (an LA account an administrator made)."""
    user = User.objects.filter(oidc_sub=sub).first()
    if user is not None or not email:
        return user
    user = User.objects.filter(email__iexact=email, oidc_sub__isnull=True).first()
    if user is not None and user.is_school_staff:
        raise Refusal("school_account", username=email)
    return user


def _create_account(sub: str, email: str, claims: Mapping[str, Any], role: str) -> User:
    if not email:
        raise Refusal("no_email")
    name = str(claims.get("name") or "").strip()[:150] or email
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=None,  # unusable: this account signs in with single sign-on only
                full_name=name,
                role=role,
                is_staff=role == "administrator",
                oidc_sub=sub,
            )
    except IntegrityError:
        # The address is another subject's account (or two first sign-ins at once).
        user = User.objects.filter(oidc_sub=sub).first()
        if user is None:
            raise Refusal("in_use", username=email) from None
        return user


def user_for(claims: Mapping[str, Any]) -> User:
    """The account the verified ID token's claims sign in to, or Refusal."""
    sub = str(claims["sub"])
    email = _claimed_email(claims)
    user = _linked_account(sub, email)
    if settings.CME_OIDC_GROUP_ROLES:
        role = role_from_groups(_groups(claims))
        if role is None:
            raise Refusal("no_role", username=email)
        if user is None:
            user = _create_account(sub, email, claims, role)
        elif user.role != role:
            user.role = role
            user.is_staff = role == "administrator"
            user.save(update_fields=["role", "is_staff"])
    elif user is None or not user.is_la_user:
        raise Refusal("no_role", username=email)
    if not user.is_active:
        raise Refusal("inactive", username=user.email)
    if user.oidc_sub != sub:
        user.oidc_sub = sub
        user.save(update_fields=["oidc_sub"])
    return user


def record_refusal(request: HttpRequest, refusal: Refusal) -> None:
    """In the audit trail as a failed password sign-in is (django-axes' attempts, by email
    address where the token gave one), and one log line with the reason and nothing
    personal."""
    log.info("Single sign-on refused: %s", refusal.reason)
    username = refusal.username or f"(single sign-on: {refusal.reason})"
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def is_sso_session(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY))
