"""The children-not-in-school forms (one page each). They validate input; the services decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import ConditionalQuestion, Field
from django import forms
from django.utils import timezone

from cme.forms import gds_helper, radios
from cnis.models import ConsentStatus, Eligibility, ProviderType, Source, VisitOutcome
from schools.forms.base import text
from schools.forms.fields import GdsDateField, PostcodeField, TextField, YesNoField
from schools.forms.layout import Radios

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
    decision = radios(
        "Does the local authority consent to the pupil being home educated?",
        [
            (ConsentStatus.GRANTED.value, "Yes, consent is given"),
            (ConsentStatus.REFUSED.value, "No, consent is refused"),
        ],
        error=ERROR_DECISION_REQUIRED,
    )
    reasons = _text(
        "Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The school sees the decision, its date and these reasons on its return.",
    )
    decided_on = GdsDateField(what="the date of the decision", help_text="For example, 3 12 2026")

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


# ------------------------------------------------------------------------ the register


def _hours(label: str, *, required: bool = True, hint: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=4,
        decimal_places=1,
        help_text=hint or "For example, 15 or 12.5",
        # GOV.UK: a text input with a numeric keyboard, not <input type="number">.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "invalid": "Hours a week must be a number, like 15 or 12.5",
            "min_value": "Hours a week must be 0 or more",
            "max_decimal_places": "Hours a week must have no more than 1 decimal place",
            "max_digits": "Hours a week must be less than 1000",
            "max_whole_digits": "Hours a week must be less than 1000",
        },
    )


def _date_field(what: str, label: str) -> GdsDateField:
    return GdsDateField(what=what, label=label, help_text="For example, 3 12 2026")


def _source_field() -> forms.ChoiceField:
    return radios(
        "Where did this information come from?",
        [(s.value, s.label) for s in (Source.PARENT, Source.PROVIDER, Source.OFFICER)],
        error="Select where the information came from",
    )


class DatedForm(forms.Form):
    """A form whose one date must not be in the future (the layout lists its fields)."""

    date_name = ""
    date_what = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.layout())

    def layout(self) -> list[Any]:
        return [Field(name) for name in self.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.date_name:
            _not_in_future(self, self.date_name, self.date_what)
        return data


ELIGIBILITY_HINTS = {
    Eligibility.NOT_REGISTERED: "Not on the admission register of any school",
    Eligibility.HOME_EDUCATED: "Educated at home by a parent instead of at school",
    Eligibility.EDUCATED_ELSEWHERE: "On a school's roll, taught off-site (for example in "
    "alternative provision)",
    Eligibility.PART_TIME: "On a school's roll, on a part-time timetable",
}


class RegisterForm(DatedForm):
    first_name = _text("First name", max_length=100)
    middle_names = _text("Middle names", required=False, max_length=100)
    last_name = _text("Last name", max_length=100)
    date_of_birth = GdsDateField(
        what="the child's date of birth", label="Date of birth", help_text="For example, 14 3 2016"
    )
    address_line_1 = _text("Address line 1", max_length=150)
    address_line_2 = _text("Address line 2", required=False, max_length=150)
    town = _text("Town or city", max_length=100)
    postcode = PostcodeField(label="Postcode")
    lives_in_area = YesNoField(
        label="Does the child live in the local authority's area?",
        required_message="Select yes if the child lives in the area",
    )
    eligibility = radios(
        "Why is the child eligible for the register?",
        [Choice(e.value, e.label, hint=ELIGIBILITY_HINTS[e]) for e in Eligibility],
        error="Select why the child is eligible",
    )
    source = radios(
        "Where did this come from?",
        [(s.value, s.label) for s in (Source.PARENT, Source.SCHOOL_RETURN, Source.OFFICER)],
        error="Select where this came from",
    )
    date_name, date_what = "date_of_birth", "The date of birth"

    def layout(self) -> list[Any]:
        return [
            Field.text("first_name", field_width=20),
            Field.text("middle_names", field_width=20),
            Field.text("last_name", field_width=20),
            Field("date_of_birth"),
            Field.text("address_line_1"),
            Field.text("address_line_2"),
            Field.text("town", field_width=20),
            Field.text("postcode", field_width=10),
            Field.radios("lives_in_area", inline=True, legend_size="s"),
            Field.radios("eligibility", legend_size="s"),
            Field.radios("source", legend_size="s"),
        ]


class ParentForm(DatedForm):
    name = _text("Parent's full name", max_length=150)
    address = _text("Parent's address", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    provides_education = YesNoField(
        label="Does this parent provide the child's education?",
        required_message="Select yes if this parent provides education",
    )
    hours_per_week = _hours("Hours a week of education from this parent", required=False)
    source = _source_field()

    def layout(self) -> list[Any]:
        return [
            Field.text("name", field_width=20),
            Field.textarea("address", rows=3),
            Radios(
                "provides_education",
                ConditionalQuestion("Yes", Field.text("hours_per_week", field_width=5)),
                "No",
                legend_size="s",
            ),
            Field.radios("source", legend_size="s"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("provides_education") is True and data.get("hours_per_week") is None:
            if "hours_per_week" not in self.errors:
                self.add_error("hours_per_week", "Enter the hours a week this parent educates")
        elif data.get("provides_education") is False:
            self.errors.pop("hours_per_week", None)
            data["hours_per_week"] = None
        return data


class ProviderForm(DatedForm):
    name = _text("Provider's name", max_length=200)
    address = _text("Provider's address", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    provider_type = radios(
        "What kind of provider is it?", ProviderType.choices, error="Select the kind of provider"
    )
    location = _text(
        "Where does the education happen?",
        required=False,
        max_length=300,
        help_text="The address. Leave blank if it is only online",
    )
    online_contact = _text(
        "Website or email address, if the education is online",
        required=False,
        max_length=300,
    )
    hours_per_week = _hours("Hours a week the child spends with the provider")
    hours_without_parent = _hours(
        "Of those, hours a week without a parent present", hint="For example, 0 or 10"
    )
    email = forms.EmailField(
        label="Provider's email address for requests (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format"},
    )
    source = _source_field()

    def layout(self) -> list[Any]:
        return [
            Field.text("name", field_width=20),
            Field.textarea("address", rows=3),
            Field.radios("provider_type", legend_size="s"),
            Field.text("location"),
            Field.text("online_contact"),
            Field.text("hours_per_week", field_width=5),
            Field.text("hours_without_parent", field_width=5),
            Field.text("email", field_width=20),
            Field.radios("source", legend_size="s"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        placeless = not data.get("location") and not data.get("online_contact")
        if placeless and "location" not in self.errors:
            self.add_error("location", "Enter where the education happens, or its website or email")
        hours, without = data.get("hours_per_week"), data.get("hours_without_parent")
        if hours is not None and without is not None and without > hours:
            self.add_error(
                "hours_without_parent",
                "Hours without a parent present must not be more than the hours with the provider",
            )
        return data


class ChangeForm(DatedForm):
    notified_on = _date_field("the date the parent told us", "Date the parent told us")
    details = _text("What has changed?", widget=forms.Textarea(attrs={"rows": 4}))
    date_name, date_what = "notified_on", "The date the parent told us"


class VisitRequestForm(DatedForm):
    requested_on = _date_field("the date the visit was asked for", "Date the visit was asked for")
    date_name, date_what = "requested_on", "The date the visit was asked for"


class VisitOutcomeForm(DatedForm):
    outcome = radios("What happened?", VisitOutcome.choices, error="Select what happened")
    on = _date_field("the date", "Date")
    date_name, date_what = "on", "The date"

    def layout(self) -> list[Any]:
        return [Field.radios("outcome", legend_size="s"), Field("on")]


class InformationRequestForm(DatedForm):
    requested_on = _date_field(
        "the date the information was asked for", "Date the information was asked for"
    )
    date_name, date_what = "requested_on", "The date the information was asked for"


class InformationReceivedForm(DatedForm):
    received_on = _date_field("the date it was received", "Date the information was received")
    date_name, date_what = "received_on", "The date it was received"
