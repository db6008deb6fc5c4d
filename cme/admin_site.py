"""The admin site, for administrators only (officers and managers never see it).

Loaded as an app config, before models: so no model import at module level.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


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


class CmeAdminConfig(AdminConfig):
    default_site = "cme.admin_site.CmeAdminSite"
