"""The children-not-in-school forms (one page each). They validate input; the services decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from cme.forms import gds_helper
from cnis.models import ConsentStatus
from schools.forms.base import text
from schools.forms.fields import GdsDateField, TextField

TEXT_MAX = 2000
ERROR_DECISION_REQUIRED = "Select whether the local authority gives consent"
ERROR_DATE_IN_FUTURE = "{what} must be today or in the past"
ERROR_DECIDED_BEFORE_ASKED = "The date of the decision must be on or after the day it was asked for"


def _text(label: str, *, required: bool = True, max_length: int = TEXT_MAX, **kw: Any) -> TextField:
    return text("", label, required=required, max_length=max_length, **kw)


def _not_in_future(form: forms.Form, name: str, what: str) -> None:
    value: date | None = form.cleaned_data.get(name)
    if value is not None and value > timezone.localdate():
        form.add_error(name, ERROR_DATE_IN_FUTURE.format(what=what))


class ConsentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Does the local authority consent to the pupil being home educated?",
        choices=[
            (ConsentStatus.GRANTED.value, "Yes, consent is given"),
            (ConsentStatus.REFUSED.value, "No, consent is refused"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_DECISION_REQUIRED},
    )
    reasons = _text(
        "Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The school sees the decision, its date and these reasons on its return.",
    )
    decided_on = GdsDateField(
        what="the date of the decision",
        label="Date of the decision",
        help_text="For example, 3 12 2026",
    )

    def __init__(self, *args: Any, asked_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked_on = asked_on
        self.helper = gds_helper(
            Field.radios("decision", legend_size="m"),
            Field.textarea("reasons", rows=5),
            Field("decided_on"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_in_future(self, "decided_on", "The date of the decision")
        decided: date | None = data.get("decided_on")
        if decided is not None and decided < self.asked_on and "decided_on" not in self.errors:
            self.add_error("decided_on", ERROR_DECIDED_BEFORE_ASKED)
        return data
