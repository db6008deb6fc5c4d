"""The LA directory (code, name, CME team email) in the admin site, for administrators. An
entry a transfer went to is never deleted (PROTECT): it is retired with "active"."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from schools.admin import AuditedAdmin
from transfers.models import LocalAuthority


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(AuditedAdmin):
    list_display = ("name", "code", "cme_email", "active")
    list_filter = ("active",)
    search_fields = ("name", "code", "cme_email")
    ordering = ("name",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
