"""What every list filter shares."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet


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
