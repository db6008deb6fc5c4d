"""Continuous absence notification: regulation 9(1)(h) and (i).

(h): the pupil has not returned within 10 school days after a leave of absence ended;
(i): the pupil has been continuously absent, all sessions unauthorised, for at least 20 school
days. Either way the pupil may be deleted only once the school and the LA have failed, after
reasonable enquiries (joint ones for (i)), to find them: the school tells the LA early, with the
enquiries it has made, so that the school days can be counted together.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from crispy_forms_gds.layout import ConditionalQuestion, Field
from django import forms
from django.utils import timezone

from cme.forms import radios, section
from cme.statutory import (
    REG_9_1_H_SCHOOL_DAYS,
    REG_9_1_I_SCHOOL_DAYS,
    add_school_days,
    consecutive_school_days_from,
    school_days_threshold_date,
)
from schools.forms.base import ReturnForm, forget_answer, refuse_future
from schools.forms.fields import GdsDateField
from schools.forms.part_time import notes_field, radio_choices
from schools.models import SCHOOL_ENQUIRY_CHOICES, AbsenceNotification, AbsenceType, Whereabouts
from schools.selectors import term_calendar_for

# Regulation 9(1)(i) and (h).
UNAUTHORISED_THRESHOLD = REG_9_1_I_SCHOOL_DAYS
AFTER_LEAVE_THRESHOLD = REG_9_1_H_SCHOOL_DAYS
# Fewer enquiries than this is not yet "reasonable enquiry" in any LA's guidance we follow.
ENOUGH_ENQUIRIES = 2

ERROR_FIRST_DAY_IN_FUTURE = "The first day of absence must be today or in the past"
ERROR_LEAVE_END_REQUIRED = "Enter the last day of the leave of absence"
ERROR_LEAVE_END_NOT_PAST = "The last day of the leave of absence must be in the past"
ERROR_LEAVE_END_NOT_BEFORE_ABSENCE = (
    "The last day of the leave of absence must be before the first day of absence"
)
ERROR_LAST_CONTACT_IN_FUTURE = "The date of the last contact must be today or in the past"

WARNING_WHEREABOUTS_UNKNOWN = (
    "You have told us you do not know where the pupil is. The Children Missing Education team "
    "will treat this as a potential missing child and contact you to make enquiries together."
)
WARNING_FEW_ENQUIRIES = (
    "You have recorded {count} enquir{ies}. Before a pupil can be removed from the admission "
    "register for continuous absence, the school and the local authority must have failed, "
    "after reasonable enquiries, to find them: for example phoning the parents and the other "
    "emergency contacts, a home visit and asking siblings' schools."
)
NOTE_DAYS_SO_FAR = (
    "The pupil has missed {days} school day{s} from {first:%-d %B %Y} up to and including today, "
    "counted on {school}'s term dates and closure days."
)
NOTE_DUE_BACK = "The pupil was due back on {due:%-d %B %Y}, the first school day after the leave."
NOTE_THRESHOLD_FUTURE = (
    "If the pupil does not come back, the {n} school day threshold (regulation 9(1)({reg})) will be "
    "reached on {when:%-d %B %Y}."
)
NOTE_THRESHOLD_PAST = (
    "The {n} school day threshold (regulation 9(1)({reg})) was reached on {when:%-d %B %Y}."
)
NOTE_THRESHOLD_UNKNOWN = (
    "We cannot yet work out when the {n} school day threshold (regulation 9(1)({reg})) will be "
    "reached: term dates are not recorded far enough ahead. The Children Missing Education "
    "team will count the days with you."
)


#: The notification's own questions, in the order the form and check page show them.
ABSENCE_FIELDS = (
    "first_day_of_absence",
    "absence_type",
    "leave_end_date",
    "last_contact_date",
    "last_contact_details",
    "whereabouts",
)
ENQUIRY_FIELDS = ("enquiries", "enquiry_notes")


class AbsenceNotificationForm(ReturnForm):
    first_day_of_absence = GdsDateField(
        what="the first day of absence",
        help_text="The first school day the pupil missed. For example, 2 11 2026",
    )
    absence_type = radios(
        "What kind of absence is it?",
        AbsenceType.choices,
        error="Select what kind of absence it is",
    )
    # Revealed under "after leave". The leave ends on its last day; the pupil is due back on
    # the next school day, so the first day of absence must come after it.
    leave_end_date = GdsDateField(
        what="the last day of the leave of absence",
        required=False,
        help_text="The pupil was due back on the next school day",
    )
    last_contact_date = GdsDateField(
        what="the date of the last contact",
        required=False,
        label="Date of the last contact with the pupil or family (optional)",
    )
    last_contact_details = notes_field(
        "Details of the last contact", help_text="Who you spoke to, how, and what they said"
    )
    whereabouts = radios(
        "Do you know where the pupil is?",
        Whereabouts.choices,
        error="Select whether you know where the pupil is",
    )
    enquiries = forms.MultipleChoiceField(
        label="What enquiries has the school made to find the pupil?",
        choices=SCHOOL_ENQUIRY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select the enquiries from the list"},
    )
    enquiry_notes = notes_field(
        "Details of the enquiries", help_text="When you made each enquiry and what it found"
    )

    class Meta(ReturnForm.Meta):
        model = AbsenceNotification
        fields = (
            *ReturnForm.Meta.fields,
            *ABSENCE_FIELDS,
            *ENQUIRY_FIELDS,
        )

    def layout_fields(self) -> list[Any]:
        return [
            *self.pupil_layout(),
            section(
                Field("first_day_of_absence"),
                radio_choices(
                    "absence_type",
                    AbsenceType.choices,
                    {
                        AbsenceType.AFTER_LEAVE: ConditionalQuestion(
                            AbsenceType.AFTER_LEAVE.label, Field("leave_end_date")
                        ),
                    },
                ),
                Field.radios("whereabouts", legend_size="s"),
                Field("last_contact_date"),
                Field.textarea("last_contact_details", rows=3),
                legend="The absence",
            ),
            section(
                Field.checkboxes("enquiries", legend_size="s", small=True),
                Field.textarea("enquiry_notes", rows=4),
                legend="Enquiries",
            ),
            *self.parents_layout(),
        ]

    def clean_enquiries(self) -> list[str]:
        # Stored in the list's own order, once each, whatever order the browser sent them in.
        chosen = set(self.cleaned_data.get("enquiries") or [])
        return [code for code, _ in SCHOOL_ENQUIRY_CHOICES if code in chosen]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        first: date | None = data.get("first_day_of_absence")
        if first and first > today:
            self.add_error("first_day_of_absence", ERROR_FIRST_DAY_IN_FUTURE)
            first = None

        if data.get("absence_type") == AbsenceType.AFTER_LEAVE:
            leave_end: date | None = data.get("leave_end_date")
            if "leave_end_date" in self.errors:
                pass
            elif leave_end is None:
                self.add_error("leave_end_date", ERROR_LEAVE_END_REQUIRED)
            elif leave_end >= today:
                self.add_error("leave_end_date", ERROR_LEAVE_END_NOT_PAST)
            elif first and leave_end >= first:
                self.add_error("leave_end_date", ERROR_LEAVE_END_NOT_BEFORE_ABSENCE)
        else:
            # Asked only under "after leave": a date typed there and then hidden is dropped.
            forget_answer(self, data, "leave_end_date")

        refuse_future(self, data, "last_contact_date", ERROR_LAST_CONTACT_IN_FUTURE, today)
        return data

    # -- check your answers -------------------------------------------------------------
    def warnings(self) -> list[str]:
        found = super().warnings()
        if self.cleaned_data.get("whereabouts") == Whereabouts.UNKNOWN:
            found.append(WARNING_WHEREABOUTS_UNKNOWN)
        made = len(self.cleaned_data.get("enquiries") or [])
        if made < ENOUGH_ENQUIRIES:
            found.append(WARNING_FEW_ENQUIRIES.format(count=made, ies="y" if made == 1 else "ies"))
        note = self.threshold_note()
        if note:
            found.append(note)
        return found

    def threshold_note(self) -> str:
        """How many school days the pupil has missed so far, and when the threshold falls.

        Counted on the school's own calendar (terms, bank holidays, closures). Unauthorised
        absence, reg 9(1)(i): the 20th school day counting the first day of absence as day 1.
        After leave, reg 9(1)(h): the 10th school day after the last day of the leave.
        """
        first: date | None = self.cleaned_data.get("first_day_of_absence")
        kind = self.cleaned_data.get("absence_type")
        leave_end: date | None = self.cleaned_data.get("leave_end_date")
        if first is None or kind not in AbsenceType.values:
            return ""
        if kind == AbsenceType.AFTER_LEAVE and leave_end is None:
            return ""
        today = timezone.localdate()
        since = min(first, leave_end) if leave_end else first
        # A year ahead is more than any threshold needs, even across the summer holiday.
        cal = term_calendar_for(self.school, since, max(today, first) + timedelta(days=366))
        days = consecutive_school_days_from(cal, first, today)
        school = getattr(self.school, "name", None) or "the school"
        parts = [
            NOTE_DAYS_SO_FAR.format(
                days=days, s="" if days == 1 else "s", first=first, school=school
            )
        ]
        if kind == AbsenceType.AFTER_LEAVE:
            assert leave_end is not None  # noqa: S101 - checked above
            due = add_school_days(cal, leave_end, 1)
            if due is not None:
                parts.insert(0, NOTE_DUE_BACK.format(due=due))
            n, reg = AFTER_LEAVE_THRESHOLD, "h"
            when = add_school_days(cal, leave_end, n)
        else:
            n, reg = UNAUTHORISED_THRESHOLD, "i"
            when = school_days_threshold_date(cal, first, n)
        if when is None:
            parts.append(NOTE_THRESHOLD_UNKNOWN.format(n=n, reg=reg))
        elif when <= today:
            parts.append(NOTE_THRESHOLD_PAST.format(n=n, reg=reg, when=when))
        else:
            parts.append(NOTE_THRESHOLD_FUTURE.format(n=n, reg=reg, when=when))
        return " ".join(parts)

    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        sections = super().summary_sections()
        sections[1:1] = [("The absence", ABSENCE_FIELDS), ("Enquiries", ENQUIRY_FIELDS)]
        return sections

    def display_value(self, name: str) -> str:
        if name == "enquiries":
            labels = dict(SCHOOL_ENQUIRY_CHOICES)
            # One a line: the summary list shows line breaks.
            return "\n".join(labels.get(code, code) for code in self.cleaned_data.get(name) or [])
        return super().display_value(name)
