"""Single sign-on pages: off to the council's identity provider, back, and sign-out of both
(cme/sso.py; docs/decisions/019-single-sign-on.md)."""

from __future__ import annotations

import logging
import time
from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from joserfc.errors import JoseError

from cme import sso
from cme.access import public
from cme.views_auth import is_safe_next, safe_next

log = logging.getLogger(__name__)

REFUSED_TEMPLATE = "registration/sso_refused.html"


def _site_url(name: str) -> str:
    site: str = settings.CME_SITE_URL
    return site.rstrip("/") + reverse(name)


def refused(request: HttpRequest, refusal: sso.Refusal) -> HttpResponse:
    sso.record_refusal(request, refusal)
    heading, advice = sso.REASONS[refusal.reason]
    context = {"heading": heading, "advice": advice, "provider": settings.CME_OIDC_PROVIDER_NAME}
    return render(request, REFUSED_TEMPLATE, context, status=403)


@public
def sso_start(request: HttpRequest) -> HttpResponseBase:
    """To the provider's sign-in, with a fresh state, nonce and PKCE verifier in the session."""
    if not sso.enabled():
        raise Http404
    try:
        app = sso.client()
    except sso.Refusal as refusal:
        return refused(request, refusal)
    request.session[sso.NEXT_KEY] = safe_next(request)
    response: HttpResponseBase = app.authorize_redirect(request, _site_url("sso_callback"))
    return response


def _verified_claims(request: HttpRequest) -> dict[str, Any]:
    """The provider's answer checked: the state this session sent (once only), the code
    exchanged with the PKCE verifier, the ID token's signature and claims."""
    app = sso.client()
    if request.GET.get("error"):
        raise sso.Refusal("provider_error")
    state = request.GET.get("state") or ""
    if not state or app.framework.get_state_data(request.session, state) is None:
        raise sso.Refusal("state")
    try:
        token = app.authorize_access_token(
            request,
            claims_options=sso.claims_options(),
            leeway=settings.CME_OIDC_CLOCK_SKEW_SECONDS,
        )
    except (OAuthError, JoseError, ValueError, KeyError) as error:
        log.info("Single sign-on: token refused (%s)", type(error).__name__)
        raise sso.Refusal("token") from error
    except Exception as error:  # requests' errors: the provider did not answer
        log.warning("Single sign-on: token endpoint failed (%s)", type(error).__name__)
        raise sso.Refusal("unavailable") from error
    claims = token.get("userinfo")  # the verified ID token's claims
    if not claims or not token.get("id_token"):
        raise sso.Refusal("token")
    return dict(claims)


@public
def sso_callback(request: HttpRequest) -> HttpResponseBase:
    """Back from the provider: signed in, or the refusal page (both in the audit trail)."""
    if not sso.enabled():
        raise Http404
    try:
        claims = _verified_claims(request)
        user = sso.user_for(claims)
    except sso.Refusal as refusal:
        return refused(request, refusal)
    next_url = request.session.pop(sso.NEXT_KEY, "")
    # As a password sign-in does: a new session key, user_logged_in (django-axes' access log).
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The mark of a single sign-on session (verified: cme.middleware), with when it began.
    request.session[sso.SESSION_KEY] = {"at": int(time.time())}
    log.info("Single sign-on: user %s signed in", user.pk)
    return redirect(next_url if next_url and is_safe_next(request, next_url) else "home")


class SignOutView(auth_views.LogoutView):
    """Sign-out. A session signed in through the council's provider also ends there
    (OpenID Connect RP-Initiated Logout), which then sends the person back to sign-in."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        held = request.session.get(sso.SESSION_KEY) if sso.enabled() else None
        response = super().post(request, *args, **kwargs)
        if not held:
            return response
        try:
            app = sso.client()
            # No id_token_hint: the ID token holds the person's name and email address, and
            # this is a URL (in browser history and the provider's logs). The client id names
            # us instead, as RP-Initiated Logout 1.0 allows.
            url = app.create_logout_url(
                post_logout_redirect_uri=_site_url("login"),
                client_id=settings.CME_OIDC_CLIENT_ID,
            )["url"]
        except (sso.Refusal, RuntimeError):
            # Signed out here; the provider cannot be told (no end_session_endpoint, or down).
            log.warning("Single sign-on: could not end the provider's session")
            return response
        return redirect(url)


sign_out = public(SignOutView.as_view())
