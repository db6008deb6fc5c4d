"""The case action forms (one page each). They validate input; the services decide.

Each form carries the case ``version`` it was drawn from in a hidden field, so that a form
left open while a colleague saved the case gets a clear conflict message, not a lost update.
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from casework.models import Category, EnquiryResult, EnquiryType, Outcome
from casework.services import cases as svc
from cme.forms import gds_helper
from schools.forms.fields import GdsDateField, TextField, YesNoField
from schools.models import School

TEXT_MAX = 2000


def _text(label: str, *, required: bool = True, max_length: int = TEXT_MAX, **kw: Any) -> TextField:
    what = label[0].lower() + label[1:]
    return TextField(
        label=label if required else f"{label} (optional)",
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter the {what}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kw,
    )


class CaseActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    #: Service error messages that belong to one field (shown against it, not the form).
    error_fields: dict[str, str] = {}

    def add_service_error(self, message: str) -> None:
        self.add_error(self.error_fields.get(message), message)


class EnquiryForm(CaseActionForm):
    enquiry_type = forms.ChoiceField(
        label="Who or what did you check?",
        choices=EnquiryType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who or what you checked"},
    )
    made_on = GdsDateField(
        what="the date of the enquiry", label="When", help_text="For example, 20 11 2026"
    )
    contact = _text("Who was contacted", required=False, max_length=200)
    result = forms.ChoiceField(
        label="Result",
        choices=EnquiryResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the result of the enquiry"},
    )
    notes = _text("Notes", required=False, widget=forms.Textarea)

    error_fields = {svc.ERROR_MADE_ON_FUTURE: "made_on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("enquiry_type", legend_size="s"),
            Field("made_on"),
            Field.text("contact"),
            Field.radios("result", legend_size="s", small=True),
            Field.textarea("notes", rows=4),
            "version",
        )


class NoteForm(CaseActionForm):
    text = _text("Note", widget=forms.Textarea)

    error_fields = {svc.ERROR_NOTE_EMPTY: "text"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("text", rows=6), "version")


class ConfirmForm(CaseActionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("version")


class CategoryForm(CaseActionForm):
    category = forms.ChoiceField(
        label="Category",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category"},
        help_text="CME-WASP: whereabouts known, no school place. CME-missing: whereabouts unknown.",
    )
    reason = _text("Reason for the change", widget=forms.Textarea)

    error_fields = {svc.ERROR_SAME_CATEGORY: "category", svc.ERROR_REASON_REQUIRED: "reason"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("category", legend_size="s"), Field.textarea("reason", rows=4), "version"
        )


class EscalateForm(CaseActionForm):
    reason = _text(
        "Reason for escalation",
        widget=forms.Textarea,
        help_text="For example, a child protection plan, looked after, or a safeguarding concern",
    )
    social_care_referred = YesNoField(
        label="Have you referred the child to children's social care?",
        required_message="Select yes if you have referred the child to children's social care",
    )

    error_fields = {svc.ERROR_REASON_REQUIRED: "reason"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("reason", rows=4),
            Field.radios("social_care_referred", legend_size="s", inline=True),
            "version",
        )


class CloseForm(CaseActionForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    outcome_school = forms.ModelChoiceField(
        label="School in this area (on roll, or place started)",
        queryset=School.objects.order_by("name"),
        required=False,
        empty_label="Choose a school",
    )
    outcome_school_name = _text("School in the other local authority", required=False, max_length=200)
    outcome_la = _text("Other local authority", required=False, max_length=100)
    outcome_la_accepted = forms.BooleanField(
        label="The other local authority has been notified and has accepted the child",
        required=False,
    )
    outcome_country = _text("Country", required=False, max_length=100)
    review_date = GdsDateField(
        what="the review date",
        label="Review date (untraceable only)",
        required=False,
        help_text="For example, 20 2 2027",
    )
    outcome_notes = _text("Notes", required=False, widget=forms.Textarea)

    error_fields = {
        svc.ERROR_OUTCOME_SCHOOL: "outcome_school",
        svc.ERROR_OUTCOME_SCHOOL_NAME: "outcome_school_name",
        svc.ERROR_OUTCOME_LA: "outcome_la",
        svc.ERROR_OUTCOME_LA_ACCEPTED: "outcome_la_accepted",
        svc.ERROR_OUTCOME_COUNTRY: "outcome_country",
        svc.ERROR_REVIEW_DATE: "review_date",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome_school"].widget.attrs["class"] = "govuk-select"
        self.helper = gds_helper(
            Field.radios("outcome", legend_size="s"),
            Field.select("outcome_school"),
            Field.text("outcome_school_name"),
            Field.text("outcome_la"),
            Field.checkbox("outcome_la_accepted"),
            Field.text("outcome_country"),
            Field("review_date"),
            Field.textarea("outcome_notes", rows=4),
            "version",
        )


class ReopenForm(CaseActionForm):
    reason = _text("Reason for reopening", widget=forms.Textarea)

    error_fields = {svc.ERROR_REASON_REQUIRED: "reason"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=4), "version")
