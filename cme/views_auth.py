"""Sign-in with two-factor authentication (TOTP, with backup codes) for LA roles.

After the password, an LA user (officer, manager, administrator) enters a code from an
authenticator app, or sets one up on first sign-in. `cme.middleware.RequireOTPMiddleware`
keeps an unverified LA session on these pages. Failed passwords are counted by django-axes;
failed codes are counted here (per user, for the axes cool-off) and also reported to axes.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme import limits
from cme.access import acting_user, signed_in
from cme.forms import EmailAuthenticationForm, TwoFactorCodeForm, TwoFactorSetupForm
from cme.models import User

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
NEW_BACKUP_CODES_KEY = "cme_new_backup_codes"
LOCKOUT_TEMPLATE = "registration/lockout.html"


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: email addresses are matched in any case, so count them so."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


def two_factor_required(user: Any) -> bool:
    """Whether this signed-in user must verify a code before using the service."""
    return bool(
        settings.CME_REQUIRE_2FA
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_la_user", False)
    )


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_safe_next(request: HttpRequest, target: str) -> bool:
    """A path on this site that resolves: anything else (another host, "abc", which
    ``redirect()`` would try to reverse as a view name, a path with no page) is refused."""
    if not target.startswith("/") or target.startswith("//") or "\x00" in target:
        return False
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return False
    try:
        resolve(urlsplit(target).path)
    except Resolver404:
        return False
    return True


def safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and is_safe_next(request, target):
        return target
    return default or reverse("home")


def with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class SignInView(auth_views.LoginView):
    """Email and password; then, for LA roles, the code page (or set-up on first sign-in)."""

    template_name = "registration/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        # Django's own check lets a relative "abc" through; only a page of this site will do.
        return safe_next(self.request, default=self.get_default_redirect_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.CME_OIDC_ENABLED
        context["sso_provider"] = settings.CME_OIDC_PROVIDER_NAME
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if not two_factor_required(user):
            return response
        step = "two_factor_verify" if confirmed_totp(user) else "two_factor_setup"
        return HttpResponseRedirect(with_next(step, self.get_success_url()))


# Failed codes: counted per user for the axes cool-off, whatever the session or address, in
# the database (cme.limits): shared by every worker, and held with Redis down.
CODE_FAILURES = "2fa-code"


def _cool_off() -> timedelta:
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    return cool_off


def _code_failures(user: User) -> int:
    return limits.hits(CODE_FAILURES, str(user.pk), _cool_off())


def _record_code_failure(request: HttpRequest, user: User) -> int:
    failures = limits.hit(CODE_FAILURES, str(user.pk), _cool_off())
    # Also an axes failure for this email address and IP address: the password form locks too.
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)
    return failures


def _locked_out(request: HttpRequest) -> HttpResponse:
    """Too many wrong codes: sign out, and say no more than the password lockout does."""
    logout(request)
    return render(request, LOCKOUT_TEMPLATE, status=429)


def _no_code_needed(user: User, next_url: str) -> HttpResponseBase | None:
    """Where to go instead of the code page: on if verified or no code is required, to set
    up an app if there is none yet; None when the code is asked for."""
    if is_verified(user):
        return redirect(next_url)
    if not confirmed_totp(user):
        if not two_factor_required(user):
            return redirect(next_url)
        return redirect(with_next("two_factor_setup", next_url))
    return None


@signed_in
def two_factor_verify(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    next_url = safe_next(request)
    elsewhere = _no_code_needed(user, next_url)
    if elsewhere is not None:
        return elsewhere
    limit = settings.AXES_FAILURE_LIMIT
    if _code_failures(user) >= limit:
        return _locked_out(request)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            request.session.cycle_key()
            limits.clear(CODE_FAILURES, str(user.pk))
            return redirect(next_url)
        if _record_code_failure(request, user) >= limit:
            return _locked_out(request)
        form.add_error(
            "code",
            "The code is not correct: enter the 6-digit code your authenticator app shows now, "
            "or one of your backup codes",
        )
    return render(request, "cme/two_factor_verify.html", {"form": form, "next": next_url})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    svg: str = image.to_string(encoding="unicode")
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code to add CME casework to your app" ', 1
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_secret(device: TOTPDevice) -> str:
    """The key as the base32 text authenticator apps accept for manual entry."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@signed_in
def two_factor_setup(request: HttpRequest) -> HttpResponseBase:
    """First sign-in: add the service to an authenticator app. Someone who already has an app
    set up must use it (a new one cannot replace it without a verified session)."""
    user = acting_user(request)
    next_url = safe_next(request)
    if confirmed_totp(user):
        return redirect(with_next("two_factor_verify", next_url))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    form = TwoFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            django_otp.login(request, device)
            request.session.cycle_key()
            request.session[NEW_BACKUP_CODES_KEY] = _new_backup_codes(user)
            return redirect(with_next("two_factor_backup_codes", next_url))
        form.add_error(
            "code",
            "The code is not correct: enter the 6-digit code your authenticator app shows now",
        )
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": _qr_svg(device.config_url),
        "secret": _grouped(totp_secret(device)),
    }
    return render(request, "cme/two_factor_setup.html", context)


@signed_in
def two_factor_backup_codes(request: HttpRequest) -> HttpResponseBase:
    """The backup codes, shown once, just after set-up."""
    codes = request.session.pop(NEW_BACKUP_CODES_KEY, None)
    next_url = safe_next(request)
    if not codes:
        return redirect(next_url)
    return render(request, "cme/two_factor_backup_codes.html", {"codes": codes, "next": next_url})
