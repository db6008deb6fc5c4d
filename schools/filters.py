from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from cme.filters import DATE_WIDGET, StrictFilterSet, any_of
from schools.forms.school_picker import SchoolFilter
from schools.models import ReturnKind, ReturnStatus, School, SchoolReturn


def _submitted(lookup_expr: str, label: str) -> django_filters.DateFilter:
    """A bound on the day a return was submitted, as the browser's date picker."""
    return django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr=lookup_expr,
        label=label,
        widget=DATE_WIDGET,
    )


class ReturnFilter(StrictFilterSet):
    kind = any_of(ReturnKind.choices, "Kind of return")
    status = any_of(ReturnStatus.choices)
    school = SchoolFilter(queryset=School.objects.all())
    is_late = django_filters.BooleanFilter(label="Late returns only", widget=forms.CheckboxInput)
    submitted_after = _submitted("date__gte", "Submitted on or after")
    submitted_before = _submitted("date__lte", "Submitted on or before")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # GOV.UK classes on django-filter's plain widgets.
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "govuk-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "govuk-checkboxes__input")

    class Meta:
        model = SchoolReturn
        fields = ["kind", "status", "school", "is_late"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # An unticked "late only" box means every return, not only the punctual ones.
        if not self.form.cleaned_data.get("is_late"):
            self.form.cleaned_data["is_late"] = None
        return super().filter_queryset(queryset)
