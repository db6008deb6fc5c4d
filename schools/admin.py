"""Administration of schools, memberships, and the LA's term dates and closure (INSET) days.

The admin site is for administrators only (cme/admin_site.py). Access here follows the role,
not Django's per-model permissions: whoever the site lets in (an administrator) may view, add,
change and delete these rows. Every save records who made and who last changed the row
(STYLE.md rule 4).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from cme.admin import AdministratorOnly, SafeLookupsMixin, UploadPage, UserAdmin
from cme.models import Audited, User
from schools.forms.upload import GiasUploadForm
from schools.gias import GiasFileError, ImportResult, schools_import_gias
from schools.models import Closure, School, SchoolMembership, Term

_AUDIT_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")


def _stamp(obj: Audited, user: Any, *, created: bool) -> None:
    if created:
        obj.created_by = user
    obj.updated_by = user


class AuditedAdmin(SafeLookupsMixin, AdministratorOnly, admin.ModelAdmin[Any]):
    """Sets created_by and updated_by from the signed-in administrator."""

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return (*super().get_readonly_fields(request, obj), *_AUDIT_FIELDS)

    def save_model(
        self, request: HttpRequest, obj: Audited, form: ModelForm[Any], change: bool
    ) -> None:
        _stamp(obj, request.user, created=not change)
        super().save_model(request, obj, form, change)


class LaWideFilter(admin.SimpleListFilter):
    """LA-wide rows (no school) or one school's own."""

    title = "applies to"
    parameter_name = "applies_to"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("la", "Every LA school (LA-wide)"), ("school", "One school only")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "la":
            return queryset.filter(school__isnull=True)
        if self.value() == "school":
            return queryset.filter(school__isnull=False)
        return queryset


@admin.display(description="School", ordering="school__name")
def _school_or_la(obj: Term | Closure) -> str:
    return str(obj.school) if obj.school_id else "All LA schools"


@admin.register(School)
class SchoolAdmin(UploadPage, AuditedAdmin):
    list_display = ("urn", "name", "school_type", "phase", "la_code", "is_open")
    list_display_links = ("urn", "name")
    search_fields = ("name", "urn", "postcode")
    list_filter = ("school_type", "phase", "is_open", "la_code")
    list_per_page = 50
    # Upload a GIAS CSV: the good rows are imported and the bad ones listed by number.
    upload_route = "import/"
    upload_url_name = "schools_school_import"
    upload_title = "Import schools from a GIAS file"
    upload_template = "admin/schools/school/import.html"
    upload_form = GiasUploadForm
    upload_errors = (GiasFileError,)

    def upload_result(self, request: HttpRequest, form: forms.Form) -> ImportResult:
        data = form.cleaned_data
        return schools_import_gias(
            rows_or_file=data["file"],
            la_code=data["la_code"],
            dry_run=data["dry_run"],
            allow_changes=data["allow_changes"],
            by=request.user if isinstance(request.user, User) else None,
        )


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(AuditedAdmin):
    list_display = ("user", "school")
    autocomplete_fields = ("user", "school")
    search_fields = ("user__full_name", "user__email", "school__name", "school__urn")
    list_select_related = ("user", "school")


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ("name", _school_or_la, "start", "end")
    list_filter = (LaWideFilter,)
    search_fields = ("name", "school__name", "school__urn")
    autocomplete_fields = ("school",)
    list_select_related = ("school",)
    ordering = ("school__name", "start")
    date_hierarchy = "start"


class ClosureForm(forms.ModelForm[Closure]):
    class Meta:
        model = Closure
        fields = ("school", "date", "reason")

    def clean(self) -> dict[str, Any]:
        # The database lets two LA-wide closures share a date (NULL school is never equal
        # to NULL), so the admin checks for that duplicate itself.
        data = super().clean() or {}
        day = data.get("date")
        if day and data.get("school") is None:
            same_day = Closure.objects.filter(school__isnull=True, date=day)
            if self.instance.pk:
                same_day = same_day.exclude(pk=self.instance.pk)
            if same_day.exists():
                raise forms.ValidationError("There is already an LA-wide closure on this date.")
        return data


@admin.register(Closure)
class ClosureAdmin(AuditedAdmin):
    form = ClosureForm
    list_display = ("date", _school_or_la, "reason")
    list_filter = (LaWideFilter,)
    search_fields = ("reason", "school__name", "school__urn")
    autocomplete_fields = ("school",)
    list_select_related = ("school",)
    date_hierarchy = "date"


class SchoolMembershipInline(
    SafeLookupsMixin, AdministratorOnly, admin.TabularInline[SchoolMembership, School]
):
    model = SchoolMembership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("school",)
    verbose_name = "school this person acts for"
    verbose_name_plural = "schools this person acts for"


# The User admin (cme/admin.py) with the person's schools on their page.
admin.site.unregister(User)


@admin.register(User)
class UserWithSchoolsAdmin(UserAdmin):
    inlines = (SchoolMembershipInline,)

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None else ()  # the add form stays Django's own

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        for item in formset.save(commit=False):
            if isinstance(item, Audited):
                _stamp(item, request.user, created=item.pk is None)
            item.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()
