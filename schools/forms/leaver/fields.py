"""The leaver return's questions, as form fields."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from django import forms

from cme.forms import radios
from schools.forms.base import ReturnForm, text
from schools.forms.fields import GdsDateField, PostcodeField, TextField, YesNoField
from schools.forms.leaver.messages import (
    ERROR_ADMISSION_CONFIRMED_REQUIRED,
    ERROR_GROUND_REQUIRED,
    ERROR_LA_ARRANGED_PLACE_REQUIRED,
    ERROR_LA_ENQUIRIES_REQUIRED,
    ERROR_S2S_REQUIRED,
    ERROR_S47_REQUIRED,
)
from schools.forms.leaver.questions import GROUND_HINTS, MOVING_NO, MOVING_NOT_KNOWN, MOVING_YES
from schools.forms.school_picker import SchoolChoiceField
from schools.models import DeletionGround, DestinationType, School

D = DestinationType


def _details(label: str, hint: str) -> TextField:
    return TextField(
        label=label,
        help_text=hint,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _date(what: str, label: str, hint: str = "For example, 20 11 2026") -> GdsDateField:
    return GdsDateField(what=what, label=label, help_text=hint, required=False)


def _yes_no(label: str, required_message: str, hint: str = "") -> YesNoField:
    return YesNoField(
        label=label,
        required_message=required_message,
        required=False,
        empty_value=None,
        help_text=hint,
    )


class LeaverFields(ReturnForm):
    """The leaver return's questions. `LeaverReturnForm` adds the model, the page and the
    checks; each question is asked only where `questions.GROUND_FIELDS` and
    `questions.DESTINATION_FIELDS` say, so most are optional here."""

    ground = radios(
        "Which ground for removing the pupil's name applies?",
        [Choice(g.value, g.label, hint=GROUND_HINTS[g]) for g in DeletionGround],
        error=ERROR_GROUND_REQUIRED,
        help_text="The grounds are in regulation 9(1) of the School Attendance (Pupil "
        "Registration) (England) Regulations 2024.",
    )
    ground_met_date = GdsDateField(
        what="the date the ground was met",
        help_text="For example, the day the pupil was registered at the new school or the 20th "
        "school day of absence",
    )
    deletion_date = GdsDateField(
        what="the date the pupil's name was removed from the admission register",
        help_text="This cannot be in the future, or before the ground was met",
    )

    # (c), (e), (g), (j), (m), (n)
    details_c = _details(
        "Why will the pupil not come back to this school?",
        "For example, the pupil now attends the other school full time",
    )
    details_e = _details(
        "Why was the school attendance order revoked?",
        "For example, the parent now educates the pupil at home",
    )
    details_g = _details(
        "Why does the pupil now live too far from the school?",
        "For example, the family has moved to another town",
    )
    details_j = _details(
        "Where is the pupil detained, and for how long?",
        "The name of the setting and the length of the sentence, if you know",
    )
    details_m = _details(
        "Give details of the unpaid boarding fees",
        "For example, what is owed and what the school did to recover it",
    )
    details_n = _details(
        "Why has the pupil stopped being a pupil at the school?",
        "For example, the parent gave notice or the place was withdrawn",
    )
    # (f)
    parent_notice_date = _date(
        "the date of the parent's written notice", "Date of the parent's written notice"
    )
    # (f), while CME_CNIS_ENABLED (s434A): whether the LA's consent is needed first
    la_arranged_place = _yes_no(
        "Did the local authority arrange the pupil's place at this school?",
        ERROR_LA_ARRANGED_PLACE_REQUIRED,
        "For example, a place named in the pupil's education, health and care plan. At a "
        "special school, the local authority must consent before the pupil's name is removed.",
    )
    s47_enquiries = _yes_no(
        "Is the pupil subject to section 47 enquiries or action?",
        ERROR_S47_REQUIRED,
        "Child protection enquiries by children's social care under section 47 of the "
        "Children Act 1989. If so, the local authority must consent first.",
    )
    # (h)
    leave_end_date = _date(
        "the date the leave of absence ended",
        "Date the leave of absence ended",
        "The last day of the agreed leave. For example, 2 11 2026",
    )
    enquiries_h = _details(
        "What enquiries has the school made to find the pupil?",
        "Who you contacted and when: for example phone calls, letters, home "
        "visits, emergency contacts, siblings' schools",
    )
    # Reg 9(1)(h), like (i), needs the school and the LA to have failed, after jointly making
    # reasonable enquiries, to find the child. Saved to la_enquiries_confirmed in clean().
    la_enquiries_confirmed_h = _yes_no(
        "Have the school and the local authority made these enquiries jointly?",
        ERROR_LA_ENQUIRIES_REQUIRED,
        "Ground (h) can only be used after joint enquiries with the Children Missing "
        "Education team",
    )
    # (i)
    absence_start_date = _date(
        "the first day of the continuous absence", "First day of the continuous absence"
    )
    enquiries_i = _details(
        "What enquiries has the school made to find the pupil?",
        "Who you contacted and when: for example phone calls, letters, home "
        "visits, emergency contacts, siblings' schools",
    )
    la_enquiries_confirmed = _yes_no(
        "Have the school and the local authority made these enquiries jointly?",
        ERROR_LA_ENQUIRIES_REQUIRED,
        "Ground (i) can only be used after joint enquiries with the Children Missing "
        "Education team",
    )
    # (o)
    exclusion_date = _date(
        "the date the exclusion became final",
        "Date the exclusion became final",
        "After any review by the governing board. For example, 20 11 2026",
    )

    moving = radios(
        "Is the pupil moving to a new address?",
        [
            (MOVING_YES, "Yes"),
            (MOVING_NO, "No, the pupil is staying at the address above"),
            (MOVING_NOT_KNOWN, "We do not know"),
        ],
        required=False,
    )
    new_address = TextField(
        label="New address",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Include the town, and the country if outside the UK",
    )
    new_postcode = PostcodeField(
        label="New postcode (optional)",
        required=False,
        help_text="Leave blank for an address outside the UK",
    )

    destination_type = radios(
        "Where is the pupil going?",
        [
            Choice(D.IN_AREA.value, D.IN_AREA.label),
            Choice(D.OUT_OF_AREA.value, D.OUT_OF_AREA.label),
            Choice(D.ABROAD.value, D.ABROAD.label),
            Choice(
                D.NONE.value,
                "No school",
                hint="For example, home education, or the pupil has died or left education",
            ),
            Choice(D.UNKNOWN.value, D.UNKNOWN.label),
        ],
        required=False,
    )
    destination_school = SchoolChoiceField(
        queryset=School.objects.none(),
        # The autocomplete offers what the form accepts: this LA's open schools.
        search={"area": "1", "open": "1"},
        required=False,
        label="New school",
        help_text="Start typing the school's name, or enter its URN, postcode or town",
    )
    start_date_in_area = _date(
        "the date the pupil starts at the new school",
        "Date the pupil starts at the new school (optional)",
    )
    admission_confirmed_in_area = _yes_no(
        "Has the new school confirmed the pupil's admission?", ERROR_ADMISSION_CONFIRMED_REQUIRED
    )
    destination_school_name = text(
        "destination_school_name", "New school's name", required=False, max_length=200
    )
    destination_la = text(
        "destination_la",
        "New school's local authority",
        required=False,
        help_text="For example, Birmingham City Council",
    )
    start_date_out_of_area = _date(
        "the date the pupil starts at the new school",
        "Date the pupil starts at the new school (optional)",
    )
    admission_confirmed_out_of_area = _yes_no(
        "Has the new school confirmed the pupil's admission?", ERROR_ADMISSION_CONFIRMED_REQUIRED
    )
    destination_country = text("destination_country", "Country", required=False)
    s2s_lost_pupil_uploaded = _yes_no(
        "Have you uploaded a lost pupil record to the s2s Lost Pupils Database?",
        ERROR_S2S_REQUIRED,
        "A common transfer file (CTF) with the destination XXX/XXXX, uploaded to the DfE's "
        "School to School (s2s) service. If you have not yet, send this return now and tell "
        "us from the return's page once you have.",
    )
