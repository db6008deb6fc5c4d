"""The CME return's details on a case (issue 15): the primary reason field, which the category
change and triage's accept form share, and the page correcting the details with a reason."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from casework.forms import CaseActionForm, _text
from casework.forms_reason import primary_reason_field, reasons_in_use
from casework.services import cases as svc
from casework.services import cme_details
from cme.forms import offer_rows
from schools.forms.fields import GdsDateField


class CmeDetailsForm(CaseActionForm):
    became_cme_on = GdsDateField(
        what="the date the child became missing education",
        help_text="By default the day the referral was received. For example, 2 10 2025",
    )
    primary_reason = primary_reason_field()
    reason = _text("Reason for the change", widget=forms.Textarea)

    error_fields = {
        svc.ERROR_REASON_REQUIRED: "reason",
        svc.ERROR_REASON_NOT_IN_USE: "primary_reason",
        cme_details.ERROR_BECAME_CME_FUTURE: "became_cme_on",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Re-read the list for each form: the field made at import time would keep its rows.
        offer_rows(self, "primary_reason", reasons_in_use())

    def layout(self) -> list[Any]:
        return [
            Field("became_cme_on"),
            Field.select("primary_reason"),
            Field.textarea("reason", rows=4),
        ]
