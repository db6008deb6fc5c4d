"""What every list filter shares."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

#: A date filter's input: the browser's date picker, GOV.UK styled.
DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})


def any_of(choices: Any, label: str | None = None, **kwargs: Any) -> django_filters.ChoiceFilter:
    """A filter by one of ``choices``, its blank option "Any" (no filter)."""
    return django_filters.ChoiceFilter(choices=choices, label=label, empty_label="Any", **kwargs)


class StrictFilterSet(django_filters.FilterSet):
    """A filter sent with a value that is not valid (a date that does not exist, an unknown
    choice) matches nothing, and the page shows the error summary saying why.

    django-filter's default is to drop just that one filter and apply the rest, so the page
    would show, and an export would hold, more than the person asked for, with nothing on the
    page to say so.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # typed: django-filter is not
        super().__init__(*args, **kwargs)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.form.is_valid():
            return queryset.none()
        filtered: QuerySet[Any] = super().filter_queryset(queryset)
        return filtered
