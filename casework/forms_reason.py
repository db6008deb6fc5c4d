"""The primary reason field (issue 15), shared by the category change, the CME details page
and triage's accept form: a required choice from this year's list of the DfE's reasons."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from casework.models import CmeReason
from cme.forms import select_one


def reasons_in_use() -> QuerySet[CmeReason]:
    """This year's list: the items applying today (the list is data: issue 15)."""
    today = timezone.localdate()
    return CmeReason.objects.filter(
        Q(applies_from__lte=today), Q(applies_until__isnull=True) | Q(applies_until__gte=today)
    )


def primary_reason_field() -> forms.ModelChoiceField[CmeReason]:
    """A required choice from the DfE's list of primary reasons."""
    field = select_one(
        "Primary reason the child is missing education",
        reasons_in_use(),
        empty_label="Select a reason",
        required="Select the primary reason",
        invalid="Select a primary reason from the list",
        help_text="The one main reason, from the DfE's list for the termly CME return.",
    )
    field.widget.attrs["class"] = "govuk-select"
    return field
