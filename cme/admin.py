from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.http import HttpRequest

from cme.models import AccessLog, User


class SafeChangeList(ChangeList):
    """A date-hierarchy year too big for a date (``?start__year=99999999999999999999``)
    raises OverflowError, which Django's ChangeList does not catch: make it the same bad
    lookup as any other (the changelist then shows its "?e=1" page, not a 500)."""

    def get_filters(self, request: HttpRequest) -> Any:
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


class SafeAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that ignores a value its key field cannot hold (``?school=abc`` on an
    add page, or posted back): Django's would pass it to the database and fail with a 500."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        opts = self.field.remote_field.model._meta
        key = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        kept = []
        for item in value:
            try:
                key.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class SafeLookupsMixin:
    """Hostile query strings and form values give a page, never a 500 (issue 12)."""

    admin_site: admin.AdminSite
    autocomplete_fields: Any

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return SafeChangeList

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name in self.autocomplete_fields and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("full_name",)
    list_display = ("full_name", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("full_name", "email")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title", "phone")}),
        ("Access", {"fields": ("role", "is_active", "is_staff", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(AccessLog)
class AccessLogAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """Read-only: the access log is append-only, in the admin as everywhere else."""

    list_display = ("at", "user", "action", "child_id", "object_type", "object_id", "path")
    list_filter = ("action",)
    search_fields = ("user__email", "user__full_name", "path")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False
