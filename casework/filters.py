"""The register's filters (django-filter), its sort keys, and the selected-filter tags."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db import connection
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from casework.models import Case, Category
from cme.models import Role, User
from referrals.models import Reason
from schools.models import School

#: The child's vulnerability flags (Child boolean fields), in the order the filter lists them.
FLAGS: list[tuple[str, str]] = [
    ("child_protection_plan", "Child protection plan"),
    ("looked_after", "Looked after"),
    ("child_in_need", "Child in need or has a social worker"),
    ("ehcp_sen", "EHCP or SEN"),
    ("gypsy_roma_traveller", "Gypsy, Roma or Traveller"),
    ("young_carer", "Young carer"),
    ("new_arrival_eal", "New arrival or EAL"),
    ("youth_justice", "Youth justice"),
]

NC_YEARS: list[tuple[str, str]] = [("0", "Reception")] + [(str(y), f"Year {y}") for y in range(1, 12)]

#: ?sort= keys and the ordering they mean ("-key" reverses).
SORTS: dict[str, tuple[str, ...]] = {
    "child": ("child__last_name", "child__first_name"),
    "dob": ("child__date_of_birth",),
    "category": ("category",),
    "officer": ("allocated_to__full_name",),
    "received": ("received_on",),
    "due": ("due_date",),
    "reference": ("reference",),
}
DEFAULT_SORT = "due"
#: The oldest age the register's age filters accept (far above any child on it).
MAX_AGE = 100

_DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February in a non-leap year
        return d.replace(year=d.year - years, day=28)


def dob_range_for_nc_year(year: int, today: date) -> tuple[date, date]:
    """Dates of birth of the cohort in NC year ``year`` (0 = Reception) in the school year
    containing ``today``: aged ``year + 4`` on the 31 August it began (cme.statutory)."""
    start_year = today.year if today.month >= 9 else today.year - 1
    aug31 = date(start_year, 8, 31)
    youngest = _years_before(aug31, year + 4)  # born on or before
    oldest = date(youngest.year - 1, 9, 1)
    return oldest, youngest


class RegisterFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any")
    officer = django_filters.ModelChoiceFilter(
        field_name="allocated_to",
        label="Officer",
        queryset=User.objects.filter(role__in=[Role.OFFICER, Role.MANAGER]).order_by("full_name"),
        empty_label="Any officer",
    )
    overdue = django_filters.BooleanFilter(
        field_name="is_overdue", label="Overdue only", widget=forms.CheckboxInput
    )
    # An upper bound too: ?age_from=1e10 would take a date's year out of range (a 500).
    age_from = django_filters.NumberFilter(
        label="Age from", method="filter_age_from", min_value=0, max_value=MAX_AGE
    )
    age_to = django_filters.NumberFilter(
        label="Age to", method="filter_age_to", min_value=0, max_value=MAX_AGE
    )
    nc_year = django_filters.ChoiceFilter(
        label="Year group", choices=NC_YEARS, method="filter_nc_year", empty_label="Any"
    )
    last_school = django_filters.ModelChoiceFilter(
        field_name="child__last_school",
        label="Last school",
        queryset=School.objects.order_by("name"),
        empty_label="Any school",
    )
    flags = django_filters.MultipleChoiceFilter(
        label="Vulnerability",
        choices=FLAGS,
        method="filter_flags",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )
    reason = django_filters.ChoiceFilter(
        label="Reason for referral", choices=Reason.choices, method="filter_reason",
        empty_label="Any",
    )
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label="Received on or after", widget=_DATE_WIDGET
    )
    received_before = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label="Received on or before", widget=_DATE_WIDGET
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "govuk-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "govuk-checkboxes__input")
            elif isinstance(widget, forms.NumberInput):
                widget.attrs.setdefault("class", "govuk-input govuk-input--width-3")

    def filter_queryset(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        # An unticked "overdue only" box means every case, not only those on time.
        if not self.form.cleaned_data.get("overdue"):
            self.form.cleaned_data["overdue"] = None
        return super().filter_queryset(queryset)

    def filter_age_from(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        # Aged at least N today: born on or before today N years ago.
        return qs.filter(child__date_of_birth__lte=_years_before(timezone.localdate(), int(value)))

    def filter_age_to(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        # Aged at most N today: younger than N + 1.
        bound = _years_before(timezone.localdate(), int(value) + 1)
        return qs.filter(child__date_of_birth__gt=bound)

    def filter_nc_year(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        oldest, youngest = dob_range_for_nc_year(int(value), timezone.localdate())
        return qs.filter(child__date_of_birth__range=(oldest, youngest))

    def filter_flags(self, qs: QuerySet[Case], name: str, value: list[str]) -> QuerySet[Case]:
        allowed = dict(FLAGS)
        return qs.filter(**{f"child__{flag}": True for flag in value if flag in allowed})

    def filter_reason(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if connection.vendor == "postgresql":
            return qs.filter(referral__reasons__contains=[value])
        # SQLite has no JSON containment: match the quoted code in the JSON text.
        return qs.filter(referral__reasons__icontains=f'"{value}"')


def sorted_cases(qs: QuerySet[Case], sort: str | None) -> tuple[QuerySet[Case], str]:
    """Order by a ?sort= key (unknown keys fall back to the due date)."""
    key = (sort or DEFAULT_SORT).strip()
    desc = key.startswith("-")
    base = key.lstrip("-")
    if base not in SORTS:
        base, desc = DEFAULT_SORT, False
    fields = [f"-{f}" if desc else f for f in SORTS[base]]
    return qs.order_by(*fields, "pk"), ("-" if desc else "") + base


def selected_filter_tags(filterset: RegisterFilter, params: QueryDict) -> list[dict[str, str]]:
    """The MOJ filter's "selected filters": one removable tag per chosen value."""
    if not filterset.form.is_valid():
        return []
    tags: list[dict[str, str]] = []
    data = filterset.form.cleaned_data
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if value in (None, "", [], False):
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            remaining = params.copy()
            remaining.pop("page", None)
            if isinstance(value, list):
                remaining.setlist(name, [x for x in remaining.getlist(name) if x != v])
            else:
                remaining.pop(name, None)
            if name == "flags":
                text = dict(FLAGS).get(v, v)
            elif hasattr(field, "choices") and not isinstance(v, (School, User)):
                text = {str(k): lbl for k, lbl in field.choices}.get(str(v), str(v))
            elif isinstance(v, date):
                text = f"{v:%-d %b %Y}"
            elif v is True:
                text = "Yes"
            else:
                text = str(v)
            tags.append({"label": f"{field.label}: {text}", "url": "?" + remaining.urlencode()})
    return tags
