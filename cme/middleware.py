"""Response headers every page carries."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_otp.middleware import OTPMiddleware

CSP = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self' data:; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'{form_action}; "
    "frame-ancestors 'none'"
)


class TrustedProxyHeadersMiddleware:
    """With CME_TRUSTED_PROXIES set, drop X-Forwarded-For, -Proto and -Host from a request
    that did not come from a trusted proxy: before SecurityMiddleware reads the scheme
    (SECURE_PROXY_SSL_HEADER), so a client talking to a web host directly is not taken to be
    on HTTPS. With no proxies set, one host behind its own proxy, nothing changes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from cme.net import FORWARDED_HEADERS, untrusted_forwarding

        if untrusted_forwarding(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """No inline script runs without this request's nonce (`request.csp_nonce`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.setdefault(
            "Content-Security-Policy", CSP.format(nonce=nonce, form_action=self._form_action())
        )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

    @staticmethod
    def _form_action() -> str:
        """Sign-out is a form whose answer, for a single sign-on session, redirects to the
        council's identity provider (its end_session_endpoint, on the issuer's origin):
        browsers hold a form's redirects to form-action too."""
        if not settings.CME_OIDC_ENABLED:
            return ""
        parts = urlsplit(settings.CME_OIDC_ISSUER)
        return f" {parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class SlidingSessionMiddleware:
    """Activity keeps a session alive: a signed-in session is saved again (so its expiry moves
    to SESSION_COOKIE_AGE from now) when it was last saved more than SESSION_REFRESH_SECONDS
    ago. Saving on every request (SESSION_SAVE_EVERY_REQUEST) cost a database write and a
    transaction per page; this costs one a minute per person, and idle sessions still end
    within SESSION_REFRESH_SECONDS of the idle limit."""

    KEY = "_cme_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            last = session.get(self.KEY)  # loads it; an expired one loses its key
            now = int(time.time())
            stale = not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS
            if stale and session.session_key and not session.is_empty():
                session[self.KEY] = now  # marks it modified: SessionMiddleware saves it
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user may hold children's data: browsers must not keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


class OTPOrSingleSignOnMiddleware(OTPMiddleware):
    """django-otp's middleware (``user.is_verified()``: a code was entered this session), and
    a session signed in through the council's identity provider counts as verified: the
    provider did the second factor (docs/decisions/019-single-sign-on.md). So the two-factor
    pages, RequireOTPMiddleware and the admin site treat it as a verified session."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        from cme.sso import is_sso_session

        user = super()._verify_user_sync(request, user)
        if user.is_authenticated and is_sso_session(request):
            user.is_verified = lambda: True
        return user


class RequireOTPMiddleware:
    """An LA user (officer, manager, administrator) who has signed in with a password but not
    yet entered a code from their authenticator app sees only the two-factor pages, sign-out,
    static files and the public pages (CME_REQUIRE_2FA; after django_otp's OTPMiddleware)."""

    ALLOWED_NAMES = frozenset(
        {"two_factor_verify", "two_factor_setup", "two_factor_backup_codes", "logout"}
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from cme.views_auth import is_verified, two_factor_required

        user = getattr(request, "user", None)
        if (
            two_factor_required(user)
            and not is_verified(user)
            and not self._allowed(request.path_info)
        ):
            target = reverse("two_factor_verify")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        from cme.access import PUBLIC

        if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return True  # a 404 page shows nothing
        if match.url_name in self.ALLOWED_NAMES and not match.namespace:
            return True
        return getattr(match.func, "allowed_roles", None) == PUBLIC


class RejectNulMiddleware:
    """A NUL character in the path or the query string is never a real request: answer 400
    before any view passes it to the database (PostgreSQL refuses NUL in text, a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in unquote(query):
            return HttpResponseBadRequest("Bad request", content_type="text/plain")
        return self.get_response(request)


class GovukNotFoundUnderDebugMiddleware:
    """Under DEBUG (`make run`) Django answers a 404 with its technical page (the URL patterns,
    the exception) instead of handler404's GOV.UK page: a demo or a trial sees a page the
    service never shows. Here a path that matches no URL, and an Http404 from a view, get the
    GOV.UK page under DEBUG too. With DEBUG off it does nothing (Django uses handler404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            try:
                resolve(request.path_info)
            except Resolver404:
                return self._not_found(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return self._not_found(request)
        return None

    @staticmethod
    def _not_found(request: HttpRequest) -> HttpResponse:
        from cme.errors import not_found

        return not_found(request)
