from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.models import AccessLog, Role, User
from cme.uploads import upload_too_big


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

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return SafeChangeList

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name in getattr(self, "autocomplete_fields", ()) and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class AdministratorOnly:
    """Access from the role, not Django's per-model permissions: whoever the site lets in
    (an active administrator with a verified session, cme.admin_site) may use the page."""

    admin_site: admin.AdminSite

    def _allowed(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class ReadOnly:
    """Rows the service writes and the admin only shows: nothing is added, changed or deleted
    here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UploadPage:
    """A page beside a model's changelist where a file is uploaded (``upload_route``, URL name
    ``upload_url_name``): the form is ``upload_form``, which says when cme.uploads stopped the
    file for its size; ``upload_result`` does the work, and an ``upload_errors`` exception is
    shown as what is wrong with the file."""

    admin_site: admin.AdminSite
    model: Any
    upload_route: str
    upload_url_name: str
    upload_title: str
    upload_template: str
    upload_form: Callable[..., forms.Form]  # a Form class taking too_big=
    upload_errors: tuple[type[Exception], ...]

    def upload_result(self, request: HttpRequest, form: forms.Form) -> object:
        raise NotImplementedError

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            self.upload_route,
            self.admin_site.admin_view(self.upload_view),
            name=self.upload_url_name,
        )
        return [upload, *super().get_urls()]  # type: ignore[misc]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        result: object = None
        file_error = ""
        if request.method == "POST":
            form = self.upload_form(request.POST, request.FILES, too_big=upload_too_big(request))
            if form.is_valid():
                try:
                    result = self.upload_result(request, form)
                except self.upload_errors as exc:
                    file_error = str(exc)
        else:
            form = self.upload_form()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.upload_title,
            "form": form,
            "result": result,
            "file_error": file_error,
        }
        return TemplateResponse(request, self.upload_template, context)


class UserAddForm(forms.ModelForm[User]):
    """A new person: no password here. They choose one through the password-reset email
    ("Forgot your password?"), so the administrator never knows it."""

    class Meta:
        model = User
        fields = ("email", "full_name", "job_title", "phone", "role")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A user with this email address already exists.")
        return str(email)


RESET_TWO_FACTOR_MESSAGE = "Reset two-factor authentication (authenticator app and backup codes)"


@admin.register(User)
# Our User is an AbstractBaseUser (the email is the username); the stubs want AbstractUser.
class UserAdmin(SafeLookupsMixin, AdministratorOnly, DjangoUserAdmin[User]):  # type: ignore[type-var]
    """Administrators create people, set their role (and, on the schools' side, the schools
    they act for), deactivate them and reset their two-factor authentication.

    Never shown: the password hash, Django's own permission flags (access follows the role)
    and anything of a TOTP device. Nobody is ever deleted: their name stays on the records
    they made; deactivating stops them signing in.
    """

    add_form = UserAddForm
    # Django's says "First, enter a username and password": there is no password here.
    add_form_template = "admin/change_form.html"
    ordering = ("full_name",)
    list_display = ("full_name", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("full_name", "email")
    fieldsets = (
        (None, {"fields": ("email",)}),
        ("Person", {"fields": ("full_name", "job_title", "phone")}),
        ("Access", {"fields": ("role", "is_active", "single_sign_on")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "job_title", "phone", "role"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined", "single_sign_on")
    actions = ("deactivate", "reactivate", "reset_two_factor")

    @admin.display(description="Council single sign-on")
    def single_sign_on(self, obj: User) -> str:
        """Whether the account is linked to a council identity (ADR 019); the identifier
        itself is of no use to an administrator."""
        return "Linked to a council account" if obj.oidc_sub else "Not linked"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead (STYLE.md rule 4: nothing is hard-deleted)

    def get_urls(self) -> Any:
        # Django's "change password" page would let an administrator choose someone's
        # password: people set their own through the reset email.
        return [u for u in super().get_urls() if u.name != "auth_user_password_change"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # The admin site is for administrators only: the flag follows the role.
        obj.is_staff = obj.role == Role.ADMINISTRATOR
        if not change:
            # A password nobody knows, so that the reset email (which skips accounts with
            # no usable password) lets them choose their own.
            obj.set_password(secrets.token_urlsafe(32))
        super().save_model(request, obj, form, change)

    @admin.action(description="Deactivate the selected users (they can no longer sign in)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        me = request.user.pk or 0
        people = list(queryset.filter(is_active=True).exclude(pk=me))
        User.objects.filter(pk__in=[p.pk for p in people]).update(is_active=False)
        for person in people:
            self.log_change(request, person, "Deactivated")
        if queryset.filter(pk=me).exists():
            self.message_user(request, "You cannot deactivate yourself.", messages.WARNING)
        self.message_user(request, f"Deactivated {len(people)} user(s).", messages.SUCCESS)

    @admin.action(description="Reactivate the selected users")
    def reactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        people = list(queryset.filter(is_active=False))
        User.objects.filter(pk__in=[p.pk for p in people]).update(is_active=True)
        for person in people:
            self.log_change(request, person, "Reactivated")
        self.message_user(request, f"Reactivated {len(people)} user(s).", messages.SUCCESS)

    @admin.action(description="Reset two-factor authentication (lost phone)")
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Deletes their authenticator app and backup codes: at the next sign-in they set up
        a new app. Recorded in each person's history (the admin log: who, when)."""
        people = list(queryset)
        with transaction.atomic():
            TOTPDevice.objects.filter(user__in=people).delete()
            StaticDevice.objects.filter(user__in=people).delete()
            for person in people:
                self.log_change(request, person, RESET_TWO_FACTOR_MESSAGE)
        self.message_user(
            request,
            f"Reset two-factor authentication for {len(people)} user(s): they set up a new "
            "authenticator app at their next sign-in.",
            messages.SUCCESS,
        )


# Device rows hold the TOTP secret and the backup codes: never shown in the admin. A lost
# phone is the "Reset two-factor authentication" action on the user list.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnly, SafeLookupsMixin, AdministratorOnly, admin.ModelAdmin[AccessLog]):
    """Read-only: the access log is append-only, in the admin as everywhere else."""

    list_display = ("at", "user", "action", "child_id", "object_type", "object_id", "path")
    list_filter = ("action",)
    search_fields = ("user__email", "user__full_name", "path")
    date_hierarchy = "at"
    list_select_related = ("user",)
