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
        user = request.user
        return bool(
            user.is_active and user.is_staff and getattr(user, "role", None) == "administrator"
        )


class CmeAdminConfig(AdminConfig):
    default_site = "cme.admin_site.CmeAdminSite"
