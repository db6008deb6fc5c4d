"""The admin site, for administrators only (officers and managers never see it).

Loaded as an app config, before models: so no model import at module level.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase


class CmeAdminSite(admin.AdminSite):
    site_header = "CME casework administration"
    site_title = "CME casework administration"
    index_title = "Users, schools, term dates and reference data"

    def has_permission(self, request: HttpRequest) -> bool:
        from django.conf import settings

        user = request.user
        if settings.CME_REQUIRE_2FA:
            # The admin is for a verified session only (cme.middleware.RequireOTPMiddleware).
            verified = getattr(user, "is_verified", None)
            if not (verified and verified()):
                return False
        return bool(
            user.is_active and user.is_staff and getattr(user, "role", None) == "administrator"
        )

    def admin_view(  # type: ignore[override]
        self, view: Callable[..., Any], cacheable: bool = False
    ) -> Callable[..., Any]:
        """Signed in but not an administrator: 403 (the GOV.UK page), not the admin's own
        sign-in form, which would invite them to sign in again as someone else."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if user.is_authenticated and not self.has_permission(request):
                from cme.views_auth import is_verified, two_factor_required

                # An LA user still to enter a code is sent there by RequireOTPMiddleware;
                # anyone else signed in without the role is refused.
                if not (two_factor_required(user) and not is_verified(user)):
                    raise PermissionDenied
            response: HttpResponseBase = inner(request, *args, **kwargs)
            return response

        return guarded


class CmeAdminConfig(AdminConfig):
    default_site = "cme.admin_site.CmeAdminSite"
