"""Part-time timetable return and its reviews: regulation 11(6), attendance code C2.

"Working together to improve school attendance" (2024): a part-time timetable is agreed with
the parent, time-limited (it has a planned end date), reviewed regularly and never used to
manage behaviour; the LA is told when one is agreed and at each review.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cme.formats import hours as hours_text
from cme.forms import radios, section
from schools.forms.base import ReturnForm, forget_answer, refuse_future
from schools.forms.fields import GdsDateField, TextField, YesNoField
from schools.models import PartTimeReason, PartTimeTimetable
from schools.selectors import school_closed_on

# DfE expects a full-time mainstream school week of at least 32.5 hours: anything shorter is
# part-time, and 0 hours is not a timetable at all (the model's constraint says the same).
FULL_TIME_HOURS = Decimal("32.5")
# Beyond this the timetable is still accepted, but its length is questioned (time-limited).
LONG_TIMETABLE = timedelta(weeks=12)
NOTES_MAX_LENGTH = 2000

ERROR_PARENT_NOT_AGREED = "A part-time timetable must be agreed with the parent"
ERROR_END_NOT_AFTER_START = "The planned end date must be after the start date"
ERROR_REVIEW_BEFORE_START = "The next review date must be after the start date"
ERROR_REVIEW_AFTER_END = "The next review date must be on or before the planned end date"
ERROR_REVIEW_IN_PAST = "The next review date must be today or in the future"
ERROR_AGREED_IN_FUTURE = "The date the parent agreed must be today or in the past"
ERROR_REASON_DETAILS = "Enter details of the reason for the part-time timetable"

WARNING_LONG = (
    "This part-time timetable is planned to last {length}, from {start:%-d %B %Y} to "
    "{end:%-d %B %Y}. A part-time timetable must be time-limited: the Children Missing "
    "Education team may ask why it needs to last longer than 12 weeks."
)
WARNING_REVIEW_ON_CLOSED_DAY = (
    "The next review date, {day:%-d %B %Y}, is {why}: the school is closed that day. Check "
    "the date, and change it if the review will be on another day."
)
ERROR_REVIEW_DATE_ON_CLOSED_DAY = (
    "{day:%-d %B %Y} is {why}: the school is closed that day. Check the date. If it is right, "
    "select \u2018Save review\u2019 again to keep it"
)
WARNING_AGREED_AFTER_START = (
    "The parent agreed on {agreed:%-d %B %Y}, after the timetable started on {start:%-d %B %Y}. "
    "A part-time timetable must be agreed with the parent before it starts."
)


class HoursField(forms.DecimalField):
    """Hours a week in school: more than 0 and less than a full-time week, to 1 decimal place."""

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        too_many = f"Hours a week must be less than {FULL_TIME_HOURS}"
        super().__init__(
            label=label,
            required=required,
            max_digits=4,
            decimal_places=1,
            # GOV.UK: a text input with a numeric keyboard, not <input type="number">.
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            error_messages={
                "required": "Enter the number of hours a week the pupil will be in school",
                "invalid": "Hours a week must be a number, like 15 or 12.5",
                "max_decimal_places": "Hours a week must have no more than 1 decimal place, like 12.5",
                "max_digits": too_many,
                "max_whole_digits": too_many,
            },
            **kwargs,
        )

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value <= 0:
            raise ValidationError("Hours a week must be more than 0", code="min_value")
        if value >= FULL_TIME_HOURS:
            raise ValidationError(
                f"Hours a week must be less than {FULL_TIME_HOURS}, a full-time school week",
                code="max_value",
            )


def notes_field(
    label: str, *, required: bool = False, required_message: str = "", **kwargs: Any
) -> TextField:
    return TextField(
        label=label if required else f"{label} (optional)",
        required=required,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {NOTES_MAX_LENGTH} characters or fewer",
        },
        **kwargs,
    )


def radio_choices(
    field: str, choices: list[tuple[str, str]], reveals: dict[str, ConditionalQuestion]
) -> ConditionalRadios:
    """Radios where some choices reveal more questions (crispy-forms-gds matches by label)."""
    return ConditionalRadios(field, *(reveals.get(value, label) for value, label in choices))


def _weeks(length: timedelta) -> str:
    """'13 weeks', '12 weeks and 4 days'."""
    whole, days = divmod(length.days, 7)
    weeks = f"{whole} week{'s' if whole != 1 else ''}"
    return weeks if not days else f"{weeks} and {days} day{'s' if days != 1 else ''}"


#: The timetable's own questions, by the part of the form and check page that shows them.
TIMETABLE_FIELDS = (
    "start_date",
    "planned_end_date",
    "hours_per_week",
    "reason",
    "reason_details",
    "next_review_date",
)
AGREEMENT_FIELDS = ("parent_agreed", "parent_agreed_date")
SUPPORT_FIELDS = ("social_worker_involved", "has_ehcp")


class PartTimeTimetableForm(ReturnForm):
    start_date = GdsDateField(what="the start date", help_text="For example, 2 11 2026")
    planned_end_date = GdsDateField(
        what="the planned end date",
        help_text="The date the pupil is expected to be back on a full-time timetable",
    )
    hours_per_week = HoursField(
        label="Hours a week in school",
        help_text=f"A full-time school week is {FULL_TIME_HOURS} hours. For example, 15 or 12.5",
    )
    reason = radios(
        "Why does the pupil need a part-time timetable?",
        PartTimeReason.choices,
        error="Select why the pupil needs a part-time timetable",
        help_text="A part-time timetable must never be used to manage behaviour",
    )
    reason_details = notes_field("Give details of the reason")
    next_review_date = GdsDateField(
        what="the next review date",
        help_text="Review the timetable regularly. Tell us the outcome of each review",
    )
    parent_agreed = YesNoField(
        label="Has the parent agreed to the part-time timetable?",
        required_message="Select yes if the parent has agreed to the part-time timetable",
    )
    parent_agreed_date = GdsDateField(what="the date the parent agreed")
    social_worker_involved = YesNoField(
        label="Does the pupil have a social worker?",
        required_message="Select yes if the pupil has a social worker",
    )
    has_ehcp = YesNoField(
        label="Does the pupil have an education, health and care plan (EHCP)?",
        required_message="Select yes if the pupil has an education, health and care plan",
    )

    class Meta(ReturnForm.Meta):
        model = PartTimeTimetable
        fields = (*ReturnForm.Meta.fields, *TIMETABLE_FIELDS, *AGREEMENT_FIELDS, *SUPPORT_FIELDS)

    def layout_fields(self) -> list[Any]:
        return [
            *self.pupil_layout(),
            section(
                Field("start_date"),
                Field("planned_end_date"),
                Field.text("hours_per_week", field_width=5),
                radio_choices(
                    "reason",
                    PartTimeReason.choices,
                    {
                        PartTimeReason.OTHER: ConditionalQuestion(
                            PartTimeReason.OTHER.label, Field.textarea("reason_details", rows=3)
                        ),
                    },
                ),
                Field("next_review_date"),
                legend="The part-time timetable",
            ),
            section(
                Field.radios("parent_agreed", legend_size="s", inline=True),
                Field("parent_agreed_date"),
                legend="Agreement with the parent",
            ),
            section(
                Field.radios("social_worker_involved", legend_size="s", inline=True),
                Field.radios("has_ehcp", legend_size="s", inline=True),
                legend="Support for the pupil",
            ),
            *self.parents_layout(),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        start: date | None = data.get("start_date")
        end: date | None = data.get("planned_end_date")
        review: date | None = data.get("next_review_date")

        if start and end and end <= start:
            self.add_error("planned_end_date", ERROR_END_NOT_AFTER_START)
            end = None
        if review:
            if start and review <= start:
                self.add_error("next_review_date", ERROR_REVIEW_BEFORE_START)
            elif end and review > end:
                self.add_error("next_review_date", ERROR_REVIEW_AFTER_END)
            elif review < today:
                self.add_error("next_review_date", ERROR_REVIEW_IN_PAST)

        if data.get("reason") == PartTimeReason.OTHER:
            if not data.get("reason_details"):
                self.add_error("reason_details", ERROR_REASON_DETAILS)
        else:
            # Details are asked only under "Other": text typed there and then hidden by
            # choosing another reason is not what the person meant to send.
            forget_answer(self, data, "reason_details", "")

        if data.get("parent_agreed") is False:
            self.add_error("parent_agreed", ERROR_PARENT_NOT_AGREED)
        refuse_future(self, data, "parent_agreed_date", ERROR_AGREED_IN_FUTURE, today)
        return data

    def warnings(self) -> list[str]:
        found = super().warnings()
        start: date | None = self.cleaned_data.get("start_date")
        end: date | None = self.cleaned_data.get("planned_end_date")
        agreed: date | None = self.cleaned_data.get("parent_agreed_date")
        if start and end and end - start > LONG_TIMETABLE:
            found.append(WARNING_LONG.format(length=_weeks(end - start), start=start, end=end))
        if start and agreed and agreed > start:
            found.append(WARNING_AGREED_AFTER_START.format(agreed=agreed, start=start))
        review: date | None = self.cleaned_data.get("next_review_date")
        why = school_closed_on(self.school, review) if review else ""
        if review and why:
            found.append(WARNING_REVIEW_ON_CLOSED_DAY.format(day=review, why=why))
        return found

    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        sections = super().summary_sections()
        sections[1:1] = [
            ("The part-time timetable", TIMETABLE_FIELDS),
            ("Agreement with the parent", AGREEMENT_FIELDS),
            ("Support for the pupil", SUPPORT_FIELDS),
        ]
        return sections

    def display_value(self, name: str) -> str:
        shown = super().display_value(name)
        if name == "hours_per_week" and shown:
            return hours_text(shown)  # "20 hours", not "20.0 hours"
        return shown
