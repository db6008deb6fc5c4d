"""The case action forms (one page each). They validate input; the services decide.

Each form carries the case ``version`` it was drawn from in a hidden field, so that a form
left open while a colleague saved the case gets a clear conflict message, not a lost update.
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import ConditionalQuestion, Field
from django import forms

from casework.forms_reason import primary_reason_field, reasons_in_use
from casework.models import Category, EnquiryResult, EnquiryType, Outcome
from casework.selectors.workload import officer_loads
from casework.services import cases as svc
from casework.services.closing import OUTCOME_DETAILS_CLEARED
from cme.forms import gds_helper, offer_rows, radios, select_one
from cme.models import User
from schools.forms.base import text
from schools.forms.fields import GdsDateField, TextField, YesNoField
from schools.forms.layout import Radios
from schools.forms.school_picker import SchoolChoiceField, SchoolSearchStep

TEXT_MAX = 2000


def _text(label: str, *, required: bool = True, max_length: int = TEXT_MAX, **kw: Any) -> TextField:
    return text("", label, required=required, max_length=max_length, **kw)


class CaseActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    #: Service error messages that belong to one field (shown against it, not the form).
    error_fields: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.layout(), "version")

    def layout(self) -> list[Any]:
        """The crispy layout of the visible fields (the hidden version comes last)."""
        return []

    def add_service_error(self, message: str) -> None:
        self.add_error(self.error_fields.get(message), message)


class EnquiryForm(CaseActionForm):
    enquiry_type = radios(
        "Who or what did you check?", EnquiryType.choices, error="Select who or what you checked"
    )
    made_on = GdsDateField(
        what="the date of the enquiry", label="When", help_text="For example, 20 11 2026"
    )
    contact = _text("Who was contacted", required=False, max_length=200)
    result = radios("Result", EnquiryResult.choices, error="Select the result of the enquiry")
    notes = _text("Notes", required=False, widget=forms.Textarea)

    error_fields = {svc.ERROR_MADE_ON_FUTURE: "made_on"}

    def layout(self) -> list[Any]:
        return [
            Field.radios("enquiry_type", legend_size="s"),
            Field("made_on"),
            Field.text("contact"),
            Field.radios("result", legend_size="s", small=True),
            Field.textarea("notes", rows=4),
        ]


class NoteForm(CaseActionForm):
    text = _text("Note", widget=forms.Textarea)

    error_fields = {svc.ERROR_NOTE_EMPTY: "text"}

    def layout(self) -> list[Any]:
        return [Field.textarea("text", rows=6)]


class ConfirmForm(CaseActionForm):
    """Nothing to answer: the button confirms."""


class ReasonedChangeForm(CaseActionForm):
    """A change to what the CME return counts the case as (issue 15): the subclass's question
    (``changed``, asked first), then the primary reason as it stands now, a required choice,
    and the reason for the change."""

    changed = ""

    primary_reason = primary_reason_field()
    reason = _text("Reason for the change", widget=forms.Textarea)

    error_fields = {
        svc.ERROR_REASON_REQUIRED: "reason",
        svc.ERROR_REASON_NOT_IN_USE: "primary_reason",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page (and its error summary) asks the changed question first.
        self.order_fields(["version", self.changed])
        # Re-read the list for each form: the class's field would keep the rows it first read.
        offer_rows(self, "primary_reason", reasons_in_use())

    def reason_layout(self) -> list[Any]:
        return [Field.select("primary_reason"), Field.textarea("reason", rows=4)]


class CategoryForm(ReasonedChangeForm):
    changed = "category"
    category = radios(
        "Category",
        Category.choices,
        error="Select the category",
        help_text="CME-WASP: whereabouts known, no school place. CME-missing: whereabouts unknown.",
    )

    error_fields = {**ReasonedChangeForm.error_fields, svc.ERROR_SAME_CATEGORY: "category"}

    def layout(self) -> list[Any]:
        return [Field.radios("category", legend_size="s"), *self.reason_layout()]


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

    def layout(self) -> list[Any]:
        return [
            Field.textarea("reason", rows=4),
            Field.radios("social_care_referred", legend_size="s", inline=True),
        ]


def _revealed(label: str, *, max_length: int, **kw: Any) -> TextField:
    """A question asked under one outcome: required when shown (``CloseForm.clean``), so its
    label does not say "(optional)"."""
    field = _text(label, max_length=max_length, **kw)
    field.required = False
    return field


def _school_select(label: str) -> SchoolChoiceField:
    """A school from the directory, through the picker (a text box and a search step, or an
    autocomplete): the national directory is too long for a <select>."""
    return SchoolChoiceField(
        label=label,
        required=False,
        help_text="Start typing the school's name, or enter its URN, postcode or town",
    )


#: The questions each outcome asks, shown under its radio (conditional reveals). A form
#: field can be shown only once on a page, so where two outcomes need the same detail each
#: has its own field, copied onto the service's argument (``CLOSE_ALIASES``).
OUTCOME_FIELDS: dict[str, tuple[str, ...]] = {
    Outcome.ON_ROLL_IN_AREA: ("outcome_school_in_area",),
    Outcome.ON_ROLL_OTHER_LA: ("outcome_school_name", "outcome_la_on_roll"),
    Outcome.MOVED_OTHER_LA: ("outcome_la_moved", "outcome_la_accepted"),
    Outcome.MOVED_ABROAD: ("outcome_country",),
    Outcome.PLACE_STARTED: ("outcome_school_started",),
    Outcome.UNTRACEABLE: ("review_date",),
}
#: Form field -> the ``case_close`` argument it is passed as.
CLOSE_ALIASES: dict[str, str] = {
    "outcome_school_in_area": "outcome_school",
    "outcome_school_started": "outcome_school",
    "outcome_school_name": "outcome_school_name",
    "outcome_la_on_roll": "outcome_la",
    "outcome_la_moved": "outcome_la",
    "outcome_la_accepted": "outcome_la_accepted",
    "outcome_country": "outcome_country",
    "review_date": "review_date",
}
#: What ``case_close`` is called with when a detail does not apply.
CLOSE_DEFAULTS: dict[str, Any] = OUTCOME_DETAILS_CLEARED
#: Asked only under their outcome, so required here rather than on the field.
CLOSE_REQUIRED: dict[str, str] = {
    "outcome_school_in_area": svc.ERROR_OUTCOME_SCHOOL,
    "outcome_school_started": svc.ERROR_OUTCOME_SCHOOL,
    "outcome_school_name": svc.ERROR_OUTCOME_SCHOOL_NAME,
    "outcome_la_on_roll": svc.ERROR_OUTCOME_LA,
    "outcome_la_moved": svc.ERROR_OUTCOME_LA,
    "outcome_la_accepted": svc.ERROR_OUTCOME_LA_ACCEPTED,
    "outcome_country": svc.ERROR_OUTCOME_COUNTRY,
    "review_date": svc.ERROR_REVIEW_DATE,
}


class CloseForm(SchoolSearchStep, CaseActionForm):
    """The outcome first; under each outcome only the details it needs.

    ``cleaned_data["close"]`` holds the keyword arguments for ``case_close``: the details of
    the chosen outcome, and the defaults for every other one (nothing stale is sent).
    """

    outcome = radios("Outcome", Outcome.choices, error="Select the outcome")
    outcome_school_in_area = _school_select("School the child is on the roll of")
    outcome_school_name = _revealed("School's name", max_length=200)
    outcome_la_on_roll = _revealed(
        "Local authority", max_length=100, help_text="For example, Birmingham City Council"
    )
    outcome_la_moved = _revealed("Local authority the child moved to", max_length=100)
    outcome_la_accepted = forms.BooleanField(
        label="The other local authority has been notified and has accepted the child",
        required=False,
    )
    outcome_country = _revealed("Country", max_length=100)
    outcome_school_started = _school_select("School where the place started")
    review_date = GdsDateField(
        what="the review date",
        required=False,
        help_text="When the case will be reviewed. For example, 20 2 2027",
    )
    outcome_notes = _text("Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions: dict[str, list[Any]] = {
            Outcome.ON_ROLL_IN_AREA: [Field("outcome_school_in_area")],
            Outcome.ON_ROLL_OTHER_LA: [
                Field.text("outcome_school_name"),
                Field.text("outcome_la_on_roll", field_width=20),
            ],
            Outcome.MOVED_OTHER_LA: [
                Field.text("outcome_la_moved", field_width=20),
                Field.checkbox("outcome_la_accepted"),
            ],
            Outcome.MOVED_ABROAD: [Field.text("outcome_country", field_width=20)],
            Outcome.PLACE_STARTED: [Field("outcome_school_started")],
            Outcome.UNTRACEABLE: [Field("review_date")],
        }
        # crispy-forms-gds matches a ConditionalQuestion to its radio by the choice's label.
        self.helper = gds_helper(
            Radios(
                "outcome",
                *[
                    ConditionalQuestion(o.label, *questions[o]) if o in questions else o.label
                    for o in Outcome
                ],
                legend_size="s",
            ),
            Field.textarea("outcome_notes", rows=4),
            "version",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome") or ""
        shown = set(OUTCOME_FIELDS.get(outcome, ()))
        # Answers typed under an outcome that was not chosen are dropped, errors and all.
        for name in {f for fields in OUTCOME_FIELDS.values() for f in fields} - shown:
            data.pop(name, None)
            self.errors.pop(name, None)
        for name in sorted(shown, key=list(self.fields).index):
            if name not in self.errors and data.get(name) in (None, "", False):
                self.add_error(name, CLOSE_REQUIRED[name])
        close = dict(CLOSE_DEFAULTS)
        for name in shown:
            if data.get(name) not in (None, ""):
                close[CLOSE_ALIASES[name]] = data[name]
        data["close"] = close
        return data

    def add_service_error(self, message: str) -> None:
        """A service error about a detail goes against the question the outcome asked."""
        outcome = (self.cleaned_data or {}).get("outcome") or ""
        for name in OUTCOME_FIELDS.get(outcome, ()):
            if CLOSE_REQUIRED[name] == message:
                self.add_error(name, message)
                return
        self.add_error(None, message)


class AllocateForm(CaseActionForm):
    officer = select_one(
        "Officer",
        User.objects.none(),
        empty_label="Choose an officer",
        required="Select the officer to allocate the case to",
        invalid="Select an officer from the list",
        help_text="Each officer's open cases, due this week and overdue are shown beside "
        "their name",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = offer_rows(self, "officer", officer_loads())
        field.label_from_instance = officer_label  # type: ignore[method-assign,assignment]
        field.widget.attrs["class"] = "govuk-select"

    def layout(self) -> list[Any]:
        return [Field.select("officer")]


def officer_label(officer: User) -> str:
    load = (
        f"{getattr(officer, 'open_cases', 0)} open, "
        f"{getattr(officer, 'due_this_week', 0)} due this week, "
        f"{getattr(officer, 'overdue', 0)} overdue"
    )
    return f"{officer.full_name or officer.email} ({officer.get_role_display()}): {load}"


class ReopenForm(CaseActionForm):
    reason = _text("Reason for reopening", widget=forms.Textarea)

    error_fields = {svc.ERROR_REASON_REQUIRED: "reason"}

    def layout(self) -> list[Any]:
        return [Field.textarea("reason", rows=4)]
