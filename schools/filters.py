from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from cme.filters import StrictFilterSet
from schools.models import ReturnKind, ReturnStatus, School, SchoolReturn


class ReturnFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=ReturnKind.choices, label="Kind of return", empty_label="Any"
    )
    status = django_filters.ChoiceFilter(choices=ReturnStatus.choices, empty_label="Any")
    school = django_filters.ModelChoiceFilter(
        queryset=School.objects.all(), empty_label="Any school"
    )
    is_late = django_filters.BooleanFilter(label="Late returns only", widget=forms.CheckboxInput)
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label="Submitted on or after",
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}
        ),
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label="Submitted on or before",
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}
        ),
    )

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
