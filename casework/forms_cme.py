"""The CME return's details on a case (issue 15): the primary reason field, which the category
change and triage's accept form share, and the page correcting the details with a reason."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field

from casework.forms import ReasonedChangeForm
from casework.services import cme_details
from schools.forms.fields import GdsDateField


class CmeDetailsForm(ReasonedChangeForm):
    changed = "became_cme_on"
    became_cme_on = GdsDateField(
        what="the date the child became missing education",
        help_text="By default the day the referral was received. For example, 2 10 2025",
    )

    error_fields = {
        **ReasonedChangeForm.error_fields,
        cme_details.ERROR_BECAME_CME_FUTURE: "became_cme_on",
    }

    def layout(self) -> list[Any]:
        return [Field("became_cme_on"), *self.reason_layout()]
