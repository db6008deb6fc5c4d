"""Deletion (leaver) return: regulation 13(3), on a ground in regulation 9(1).

The School Attendance (Pupil Registration) (England) Regulations 2024. The return is made as
soon as a deletion ground is met and no later than the deletion itself (DOMAIN.md, "School
returns"). The form asks the ground first, then only what that ground needs (conditional
reveals under the chosen radio), then where the pupil is going, then the parents or carers
the pupil lives with.

Some questions are asked under more than one radio answer (the details of the ground, the
enquiries the school made, the new school's start date and admission). A field can be shown
only once on a page, so each place has its own form field (`details_c`, `enquiries_h`,
`start_date_in_area`, ...) and `clean()` copies the one that applies onto the model field
(`ALIASES`). Whatever belongs to a ground or destination that was not chosen is cleared, so
check your answers shows only what applies and nothing stale is saved.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import (
    HTML,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Size,
)
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

from cme.statutory import (
    REG_9_1_H_SCHOOL_DAYS,
    REG_9_1_I_SCHOOL_DAYS,
    TermCalendar,
    add_school_days,
    add_working_days,
    compulsory_school_age,
    school_days_threshold_date,
)
from schools.forms.base import ReturnForm, text
from schools.forms.fields import GdsDateField, PostcodeField, TextField, YesNoField
from schools.models import DeletionGround, DestinationType, LeaverReturn, School
from schools.rules import SCHOOL_DESTINATIONS, missing_key_leaver_information
from schools.selectors import term_calendar_for

G = DeletionGround
D = DestinationType

# -- messages ---------------------------------------------------------------------------------

ERROR_GROUND_REQUIRED = "Select the reason the pupil's name is being removed from the admission register"
ERROR_DELETION_IN_FUTURE = (
    "The date the pupil's name was removed from the admission register must be today or in the past"
)
ERROR_DELETION_BEFORE_GROUND = (
    "The date the pupil's name was removed from the admission register must be the same as or "
    "after the date the ground was met"
)

ERROR_DETAILS_C = "Enter why the pupil will not come back to this school"
ERROR_DETAILS_E = "Enter why the school attendance order was revoked"
ERROR_DETAILS_G = "Enter why the pupil now lives too far from the school"
ERROR_DETAILS_J = "Enter where the pupil is detained and for how long"
ERROR_DETAILS_M = "Enter details of the unpaid boarding fees"
ERROR_DETAILS_N = "Enter why the pupil has stopped being a pupil at the school"
ERROR_PARENT_NOTICE_REQUIRED = "Enter the date of the parent's written notice"
ERROR_PARENT_NOTICE_IN_FUTURE = "The date of the parent's written notice must be today or in the past"
ERROR_GROUND_MET_BEFORE_NOTICE = (
    "The date the ground was met must be the same as or after the date of the parent's written notice"
)
ERROR_LEAVE_END_REQUIRED = "Enter the date the leave of absence ended"
ERROR_TEN_SCHOOL_DAYS = (
    "The date the ground was met must be at least 10 school days after the leave of absence "
    "ended: the earliest is {earliest:%-d %B %Y}"
)
ERROR_ENQUIRIES_REQUIRED = "Enter the enquiries the school has made to find the pupil"
ERROR_ABSENCE_START_REQUIRED = "Enter the first day of the continuous absence"
ERROR_TWENTY_SCHOOL_DAYS = (
    "The date the ground was met must be on or after the 20th school day of continuous "
    "absence, which is {earliest:%-d %B %Y}"
)
ERROR_LA_ENQUIRIES_REQUIRED = (
    "Select yes if the school and the local authority have made joint enquiries to find the pupil"
)
ERROR_LA_ENQUIRIES_NOT_MADE = (
    "Ground ({ground}) needs joint enquiries by the school and the local authority: contact the "
    "Children Missing Education team before you remove the pupil's name"
)
ERROR_EXCLUSION_DATE_REQUIRED = "Enter the date the exclusion became final"
ERROR_EXCLUSION_IN_FUTURE = "The date the exclusion became final must be today or in the past"
ERROR_GROUND_MET_BEFORE_EXCLUSION = (
    "The date the ground was met must be the same as or after the date the exclusion became final"
)
ERROR_STILL_OF_COMPULSORY_AGE = (
    "Ground (l) only applies once the pupil is past compulsory school age, which for this pupil "
    "ends on {end:%-d %B %Y}: check the ground, the date of birth and the date removed from "
    "the register"
)

ERROR_MOVING_REQUIRED = "Select whether the pupil is moving to a new address"
ERROR_NEW_ADDRESS_REQUIRED = "Enter the pupil's new address"
ERROR_DESTINATION_REQUIRED = "Select where the pupil is going"
ERROR_DESTINATION_MUST_BE_SCHOOL = (
    "Ground ({ground}) means the pupil has a new school: select a school in this area or a "
    "school in another local authority"
)
ERROR_DESTINATION_MUST_BE_NONE = (
    "With ground ({ground}) the pupil is not going to a new school: select "
    "\u201cNo school\u201d"
)
ERROR_DESTINATION_SCHOOL_REQUIRED = "Select the new school from the list"
ERROR_DESTINATION_SCHOOL_NAME_REQUIRED = "Enter the new school's name"
ERROR_DESTINATION_LA_REQUIRED = "Enter the new school's local authority"
ERROR_DESTINATION_COUNTRY_REQUIRED = "Enter the country the pupil is moving to"
ERROR_START_DATE_REQUIRED = "Enter the date the pupil starts at the new school"
ERROR_ADMISSION_CONFIRMED_REQUIRED = "Select yes if the new school has confirmed the pupil's admission"
ERROR_S2S_REQUIRED = (
    "Select yes if you have uploaded the pupil's record to the s2s Lost Pupils Database"
)

WARNING_LATE = (
    "This return is late: it was due no later than {deleted:%-d %B %Y}, the day the pupil's "
    "name was removed from the admission register. It will be recorded as late."
)
# Issue 12 A12: the s2s upload no longer holds the return (and the CME referral) back.
WARNING_S2S_TO_DO = (
    "You have not yet uploaded a lost pupil record to the s2s Lost Pupils Database. Send this "
    "return now: the Children Missing Education team is told straight away. Then upload the "
    "record (a common transfer file with the destination XXX/XXXX) and tell us from this "
    "return's page. We will remind you if you have not told us within {days} school days."
)
WARNING_KEY_INFORMATION_MISSING = (
    "Key leaver information is missing: {missing}. Without it the pupil may be missing "
    "education, so the Children Missing Education team will be told when you send this return."
)

# -- the grounds ------------------------------------------------------------------------------

GROUND_HINTS: dict[str, str] = {
    G.A: "The pupil's name is now on another school's admission register. You will need the "
    "new school's name and start date.",
    G.B: "The pupil is in the nursery class and is not moving up to reception at this school.",
    G.C: "The pupil is registered at more than one school and will not come back to this one.",
    G.D: "The local authority has changed the pupil's school attendance order to name another "
    "school.",
    G.E: "The local authority has revoked the pupil's school attendance order.",
    G.F: "The parent has told the school in writing that they are educating the pupil at home.",
    G.G: "The pupil has moved and now lives too far away to get to this school.",
    G.H: "The pupil did not come back within 10 school days after an agreed leave of absence "
    "ended, and enquiries have not found where they are.",
    G.I: "The pupil has been absent without permission for at least 20 school days in a row, "
    "and joint enquiries by the school and the local authority have not found them.",
    G.J: "The pupil is detained in custody under a court sentence.",
    G.K: "The pupil has died.",
    G.L: "The pupil has reached the end of compulsory school age and is not staying on into the "
    "sixth form.",
    G.M: "The pupil is a boarder and the boarding fees have not been paid.",
    G.N: "The pupil has stopped being a pupil at this independent or non-maintained special "
    "school.",
    G.O: "The pupil has been permanently excluded and the exclusion is final.",
}

# The questions each ground needs, shown under its radio. Free-text details are asked for the
# grounds whose facts are not otherwise recorded: (c) why the pupil will not return, (e) why
# the order was revoked, (g) why the new home is too far, (j) where the pupil is detained,
# (m) the unpaid fees, (n) why the pupil left an independent school. (a) and (d) need the new
# school, asked under "Where the pupil is going"; (b), (k) and (l) need only the dates.
GROUND_FIELDS: dict[str, tuple[str, ...]] = {
    G.A: (),
    G.B: (),
    G.C: ("details_c",),
    G.D: (),
    G.E: ("details_e",),
    G.F: ("parent_notice_date",),
    G.G: ("details_g",),
    G.H: ("leave_end_date", "enquiries_h", "la_enquiries_confirmed_h"),
    G.I: ("absence_start_date", "enquiries_i", "la_enquiries_confirmed"),
    G.J: ("details_j",),
    G.K: (),
    G.L: (),
    G.M: ("details_m",),
    G.N: ("details_n",),
    G.O: ("exclusion_date",),
}
# Grounds that mean the pupil has a new school, and those that mean they have none.
SCHOOL_GROUNDS = frozenset({G.A, G.D})
NO_SCHOOL_GROUNDS = frozenset({G.F, G.K})

DESTINATION_FIELDS: dict[str, tuple[str, ...]] = {
    D.IN_AREA: ("destination_school", "start_date_in_area", "admission_confirmed_in_area"),
    D.OUT_OF_AREA: (
        "destination_school_name", "destination_la", "start_date_out_of_area",
        "admission_confirmed_out_of_area",
    ),
    D.ABROAD: ("destination_country",),
    D.NONE: (),
    D.UNKNOWN: ("s2s_lost_pupil_uploaded",),
}

MOVING_YES, MOVING_NO, MOVING_NOT_KNOWN = "yes", "no", "not_known"
ADDRESS_FIELDS = ("new_address", "new_postcode")

# Form field -> the model field it is saved to (see the module docstring).
ALIASES: dict[str, str] = {
    "details_c": "ground_details",
    "details_e": "ground_details",
    "details_g": "ground_details",
    "details_j": "ground_details",
    "details_m": "ground_details",
    "details_n": "ground_details",
    "enquiries_h": "enquiries_made",
    "enquiries_i": "enquiries_made",
    "start_date_in_area": "destination_start_date",
    "start_date_out_of_area": "destination_start_date",
    "admission_confirmed_in_area": "admission_confirmed",
    "admission_confirmed_out_of_area": "admission_confirmed",
}
ALIAS_CONDITIONS: dict[str, tuple[str, str]] = {
    **{f"details_{g}": ("ground", g) for g in "cegjmn"},
    "enquiries_h": ("ground", G.H),
    "enquiries_i": ("ground", G.I),
    "start_date_in_area": ("destination_type", D.IN_AREA),
    "start_date_out_of_area": ("destination_type", D.OUT_OF_AREA),
    "admission_confirmed_in_area": ("destination_type", D.IN_AREA),
    "admission_confirmed_out_of_area": ("destination_type", D.OUT_OF_AREA),
}
# Asked only when they apply, so required here rather than on the field.
REQUIRED_WHEN_SHOWN: dict[str, str] = {
    "details_c": ERROR_DETAILS_C,
    "details_e": ERROR_DETAILS_E,
    "details_g": ERROR_DETAILS_G,
    "details_j": ERROR_DETAILS_J,
    "details_m": ERROR_DETAILS_M,
    "details_n": ERROR_DETAILS_N,
    "parent_notice_date": ERROR_PARENT_NOTICE_REQUIRED,
    "leave_end_date": ERROR_LEAVE_END_REQUIRED,
    "enquiries_h": ERROR_ENQUIRIES_REQUIRED,
    "absence_start_date": ERROR_ABSENCE_START_REQUIRED,
    "enquiries_i": ERROR_ENQUIRIES_REQUIRED,
    "la_enquiries_confirmed": ERROR_LA_ENQUIRIES_REQUIRED,
    "la_enquiries_confirmed_h": ERROR_LA_ENQUIRIES_REQUIRED,
    "exclusion_date": ERROR_EXCLUSION_DATE_REQUIRED,
    "new_address": ERROR_NEW_ADDRESS_REQUIRED,
    "destination_school": ERROR_DESTINATION_SCHOOL_REQUIRED,
    "admission_confirmed_in_area": ERROR_ADMISSION_CONFIRMED_REQUIRED,
    "destination_school_name": ERROR_DESTINATION_SCHOOL_NAME_REQUIRED,
    "destination_la": ERROR_DESTINATION_LA_REQUIRED,
    "admission_confirmed_out_of_area": ERROR_ADMISSION_CONFIRMED_REQUIRED,
    "destination_country": ERROR_DESTINATION_COUNTRY_REQUIRED,
    # Not s2s_lost_pupil_uploaded: it is a follow-up, not a condition of sending (A12).
}

# How far ahead to load term dates when counting school days: 10 or 20 school days never
# take longer than this, even across the summer holiday.
CALENDAR_SPAN = timedelta(days=200)


class Radios(ConditionalRadios):
    """ConditionalRadios with a legend size, that leaves the template context as it found it
    (crispy-forms-gds's ConditionalQuestion pushes onto it and never pops).

    The radios and their reveals are numbered from 1 by the project's
    templates/gds/layout/conditional_question.html, as the error summary expects.
    """

    def __init__(self, field: str, *choices: Any, legend_size: str | None = None) -> None:
        super().__init__(field, *choices)
        self.legend_size = legend_size

    def render(self, form: Any, context: Any, template_pack: str = TEMPLATE_PACK,
               **kwargs: Any) -> str:
        depth = len(context.dicts)
        try:
            bound_field = form[self.field]
            choices = self.render_choices(bound_field, form, context, template_pack, **kwargs)
            extra: dict[str, Any] = {"choices": choices, "field": bound_field}
            if self.legend_size:
                extra["legend_size"] = Size.for_legend(self.legend_size)
            context.update(extra)
            return render_to_string(self.get_template_name(template_pack), context.flatten())
        finally:
            del context.dicts[depth:]


def _note(words: str) -> HTML:
    return HTML(f'<p class="govuk-body">{words}</p>')


def _details(label: str, hint: str) -> TextField:
    return TextField(label=label, help_text=hint, required=False, max_length=2000,
                     widget=forms.Textarea(attrs={"rows": 3}))


def _date(what: str, label: str, hint: str = "For example, 20 11 2026") -> GdsDateField:
    return GdsDateField(what=what, label=label, help_text=hint, required=False)


def _yes_no(label: str, required_message: str, hint: str = "") -> YesNoField:
    return YesNoField(label=label, required_message=required_message, required=False,
                      empty_value=None, help_text=hint)


class LeaverReturnForm(ReturnForm):
    ground = forms.ChoiceField(
        label="Which ground for removing the pupil's name applies?",
        help_text="The grounds are in regulation 9(1) of the School Attendance (Pupil "
        "Registration) (England) Regulations 2024.",
        choices=[Choice(g.value, g.label, hint=GROUND_HINTS[g]) for g in DeletionGround],
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_GROUND_REQUIRED},
    )
    ground_met_date = GdsDateField(
        what="the date the ground was met", label="Date the ground was met",
        help_text="For example, the day the pupil was registered at the new school or the 20th "
        "school day of absence",
    )
    deletion_date = GdsDateField(
        what="the date the pupil's name was removed from the admission register",
        label="Date the pupil's name was removed from the admission register",
        help_text="This cannot be in the future, or before the ground was met",
    )

    # (c), (e), (g), (j), (m), (n)
    details_c = _details("Why will the pupil not come back to this school?",
                         "For example, the pupil now attends the other school full time")
    details_e = _details("Why was the school attendance order revoked?",
                         "For example, the parent now educates the pupil at home")
    details_g = _details("Why does the pupil now live too far from the school?",
                         "For example, the family has moved to another town")
    details_j = _details("Where is the pupil detained, and for how long?",
                         "The name of the setting and the length of the sentence, if you know")
    details_m = _details("Give details of the unpaid boarding fees",
                         "For example, what is owed and what the school did to recover it")
    details_n = _details("Why has the pupil stopped being a pupil at the school?",
                         "For example, the parent gave notice or the place was withdrawn")
    # (f)
    parent_notice_date = _date("the date of the parent's written notice",
                               "Date of the parent's written notice")
    # (h)
    leave_end_date = _date("the date the leave of absence ended",
                           "Date the leave of absence ended",
                           "The last day of the agreed leave. For example, 2 11 2026")
    enquiries_h = _details("What enquiries has the school made to find the pupil?",
                           "Who you contacted and when: for example phone calls, letters, home "
                           "visits, emergency contacts, siblings' schools")
    # Reg 9(1)(h), like (i), needs the school and the LA to have failed, after jointly making
    # reasonable enquiries, to find the child. Saved to la_enquiries_confirmed in clean().
    la_enquiries_confirmed_h = _yes_no(
        "Have the school and the local authority made these enquiries jointly?",
        ERROR_LA_ENQUIRIES_REQUIRED,
        "Ground (h) can only be used after joint enquiries with the Children Missing "
        "Education team",
    )
    # (i)
    absence_start_date = _date("the first day of the continuous absence",
                               "First day of the continuous absence")
    enquiries_i = _details("What enquiries has the school made to find the pupil?",
                           "Who you contacted and when: for example phone calls, letters, home "
                           "visits, emergency contacts, siblings' schools")
    la_enquiries_confirmed = _yes_no(
        "Have the school and the local authority made these enquiries jointly?",
        ERROR_LA_ENQUIRIES_REQUIRED,
        "Ground (i) can only be used after joint enquiries with the Children Missing "
        "Education team",
    )
    # (o)
    exclusion_date = _date("the date the exclusion became final",
                           "Date the exclusion became final",
                           "After any review by the governing board. For example, 20 11 2026")

    moving = forms.ChoiceField(
        label="Is the pupil moving to a new address?",
        choices=[
            (MOVING_YES, "Yes"),
            (MOVING_NO, "No, the pupil is staying at the address above"),
            (MOVING_NOT_KNOWN, "We do not know"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    new_address = TextField(label="New address", max_length=300, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="Include the town, and the country if outside the UK")
    new_postcode = PostcodeField(label="New postcode (optional)", required=False,
                                 help_text="Leave blank for an address outside the UK")

    destination_type = forms.ChoiceField(
        label="Where is the pupil going?",
        choices=[
            Choice(D.IN_AREA.value, D.IN_AREA.label),
            Choice(D.OUT_OF_AREA.value, D.OUT_OF_AREA.label),
            Choice(D.ABROAD.value, D.ABROAD.label),
            Choice(D.NONE.value, "No school",
                   hint="For example, home education, or the pupil has died or left education"),
            Choice(D.UNKNOWN.value, D.UNKNOWN.label),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    destination_school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        label="New school",
        empty_label="Select a school",
        help_text="Start typing the school's name",
        error_messages={"invalid_choice": "Select a school from the list"},
    )
    start_date_in_area = _date("the date the pupil starts at the new school",
                               "Date the pupil starts at the new school (optional)")
    admission_confirmed_in_area = _yes_no(
        "Has the new school confirmed the pupil's admission?", ERROR_ADMISSION_CONFIRMED_REQUIRED)
    destination_school_name = text("destination_school_name", "New school's name",
                                   required=False, max_length=200)
    destination_la = text("destination_la", "New school's local authority", required=False,
                          help_text="For example, Birmingham City Council")
    start_date_out_of_area = _date("the date the pupil starts at the new school",
                                   "Date the pupil starts at the new school (optional)")
    admission_confirmed_out_of_area = _yes_no(
        "Has the new school confirmed the pupil's admission?", ERROR_ADMISSION_CONFIRMED_REQUIRED)
    destination_country = text("destination_country", "Country", required=False)
    s2s_lost_pupil_uploaded = _yes_no(
        "Have you uploaded a lost pupil record to the s2s Lost Pupils Database?",
        ERROR_S2S_REQUIRED,
        "A common transfer file (CTF) with the destination XXX/XXXX, uploaded to the DfE's "
        "School to School (s2s) service. If you have not yet, send this return now and tell "
        "us from the return's page once you have.",
    )

    class Meta(ReturnForm.Meta):
        model = LeaverReturn
        fields = (
            *ReturnForm.Meta.fields,
            "ground", "ground_met_date", "deletion_date",
            "parent_notice_date", "leave_end_date", "absence_start_date",
            "la_enquiries_confirmed", "exclusion_date",
            "new_address", "new_postcode",
            "destination_type", "destination_school", "destination_school_name",
            "destination_la", "destination_country", "s2s_lost_pupil_uploaded",
        )
        # ground_details, enquiries_made, destination_start_date and admission_confirmed are
        # set on the instance from the aliases in clean() (ALIASES).

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page's order, so that the error summary lists the errors in the same order.
        self.order_fields([
            *self.PUPIL_FIELDS, "ground",
            *(name for g in DeletionGround for name in GROUND_FIELDS[g]),
            "ground_met_date", "deletion_date", "moving", *ADDRESS_FIELDS, "destination_type",
            *(name for d in DestinationType for name in DESTINATION_FIELDS[d]),
        ])
        if self.instance.pk:
            # A saved return shows its school even if it has since closed.
            schools = School.objects.all()
        else:
            schools = School.objects.in_area().open()
            if self.school is not None:
                schools = schools.exclude(pk=self.school.pk)
        field = self.fields["destination_school"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = schools
        if self.instance.pk:
            self._initial_from_instance(self.instance)

    def _initial_from_instance(self, leaver: LeaverReturn) -> None:
        """Put a saved return's answers back into the questions they were asked in."""
        for alias, model_field in ALIASES.items():
            condition, value = ALIAS_CONDITIONS[alias]
            if getattr(leaver, condition) == value:
                self.initial[alias] = getattr(leaver, model_field)
        if leaver.ground == G.H:
            self.initial["la_enquiries_confirmed_h"] = leaver.la_enquiries_confirmed
        if leaver.ground != G.K:
            current = _address(leaver.address_line_1, leaver.address_line_2, leaver.town)
            if not leaver.new_address:
                self.initial["moving"] = MOVING_NOT_KNOWN
            elif leaver.new_address == current and leaver.new_postcode == leaver.postcode:
                self.initial["moving"] = MOVING_NO
            else:
                self.initial["moving"] = MOVING_YES

    # -- layout ---------------------------------------------------------------------------
    def layout_fields(self) -> list[Any]:
        ground_questions = {
            G.A: [_note("Tell us the new school and the date the pupil starts there under "
                        "\u201cWhere the pupil is going\u201d.")],
            G.D: [_note("Tell us the school named in the amended order under \u201cWhere the "
                        "pupil is going\u201d.")],
            G.F: [Field("parent_notice_date"),
                  _note("Under \u201cWhere the pupil is going\u201d, select \u201cNo school\u201d.")],
            G.H: [Field("leave_end_date"), Field.textarea("enquiries_h", rows=4),
                  Field.radios("la_enquiries_confirmed_h", inline=True)],
            G.I: [Field("absence_start_date"), Field.textarea("enquiries_i", rows=4),
                  Field.radios("la_enquiries_confirmed", inline=True)],
            G.K: [_note("You do not need to tell us about a new address or where the pupil "
                        "is going.")],
            G.O: [Field("exclusion_date")],
            **{g: [Field.textarea(f"details_{g}", rows=3)] for g in "cegjmn"},
        }
        return [
            *self.pupil_layout(),
            Fieldset(
                Radios("ground", *[ConditionalQuestion(g.label, *ground_questions.get(g, []))
                                   for g in DeletionGround], legend_size="s"),
                Field("ground_met_date"),
                Field("deletion_date"),
                legend="Why the pupil is leaving", legend_size="m", legend_tag="h2",
            ),
            Fieldset(
                Radios(
                    "moving",
                    ConditionalQuestion("Yes", Field.textarea("new_address", rows=3),
                           Field.text("new_postcode", field_width=10)),
                    "No, the pupil is staying at the address above",
                    "We do not know",
                    legend_size="s",
                ),
                Radios(
                    "destination_type",
                    ConditionalQuestion(D.IN_AREA.label, Field.select("destination_school"),
                           Field("start_date_in_area"),
                           Field.radios("admission_confirmed_in_area", inline=True)),
                    ConditionalQuestion(D.OUT_OF_AREA.label, Field.text("destination_school_name"),
                           Field.text("destination_la", field_width=20),
                           Field("start_date_out_of_area"),
                           Field.radios("admission_confirmed_out_of_area", inline=True)),
                    ConditionalQuestion(D.ABROAD.label, Field.text("destination_country", field_width=20)),
                    "No school",
                    ConditionalQuestion(D.UNKNOWN.label, Field.radios("s2s_lost_pupil_uploaded", inline=True)),
                    legend_size="s",
                ),
                legend="Where the pupil is going", legend_size="m", legend_tag="h2",
            ),
            *self.parents_layout(legend="Parents or carers the pupil lives with"),
        ]

    # -- validation -----------------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        ground = data.get("ground") or ""
        met: date | None = data.get("ground_met_date")
        deleted: date | None = data.get("deletion_date")

        if ground in NO_SCHOOL_GROUNDS and not data.get("destination_type"):
            # Home education or death: there is no destination to ask about.
            data["destination_type"] = D.NONE
        destination = data.get("destination_type") or ""
        moving = data.get("moving") or ""
        shown = self._shown(ground, destination, moving)
        self._forget_hidden(data, shown)

        if deleted and deleted > today:
            self.add_error("deletion_date", ERROR_DELETION_IN_FUTURE)
        elif deleted and met and deleted < met:
            self.add_error("deletion_date", ERROR_DELETION_BEFORE_GROUND)

        for name in sorted(shown & REQUIRED_WHEN_SHOWN.keys(), key=list(self.fields).index):
            if name not in self.errors and data.get(name) in (None, ""):
                self.add_error(name, REQUIRED_WHEN_SHOWN[name])

        if ground != G.K and not moving:
            self.add_error("moving", ERROR_MOVING_REQUIRED)
        if not destination:
            self.add_error("destination_type", ERROR_DESTINATION_REQUIRED)
        if ground:
            self._clean_ground(data, ground, met, deleted, today)
        if ground in SCHOOL_GROUNDS and destination and destination not in SCHOOL_DESTINATIONS:
            self.add_error("destination_type",
                           ERROR_DESTINATION_MUST_BE_SCHOOL.format(ground=ground))
        elif ground in NO_SCHOOL_GROUNDS and destination != D.NONE:
            self.add_error("destination_type", ERROR_DESTINATION_MUST_BE_NONE.format(ground=ground))
        elif ground == G.A and destination in SCHOOL_DESTINATIONS:
            # Registered at another school: the school knows when the pupil starts there.
            start = f"start_date_{destination}"
            if data.get(start) is None and start not in self.errors:
                self.add_error(start, ERROR_START_DATE_REQUIRED)

        self._to_model_fields(data, moving)
        return data

    def _clean_ground(self, data: dict[str, Any], ground: str, met: date | None,
                      deleted: date | None, today: date) -> None:
        if ground == G.F:
            notice: date | None = data.get("parent_notice_date")
            if notice and notice > today:
                self.add_error("parent_notice_date", ERROR_PARENT_NOTICE_IN_FUTURE)
            elif notice and met and met < notice:
                self.add_error("ground_met_date", ERROR_GROUND_MET_BEFORE_NOTICE)
        elif ground == G.H:
            leave_end: date | None = data.get("leave_end_date")
            if leave_end and met:
                earliest = self._ten_school_days_after(leave_end)
                if met < earliest:
                    self.add_error("ground_met_date", ERROR_TEN_SCHOOL_DAYS.format(earliest=earliest))
            if data.get("la_enquiries_confirmed_h") is False:
                self.add_error("la_enquiries_confirmed_h",
                               ERROR_LA_ENQUIRIES_NOT_MADE.format(ground=G.H))
            # One model field records the joint enquiries for (h) and (i).
            data["la_enquiries_confirmed"] = data.get("la_enquiries_confirmed_h")
        elif ground == G.I:
            first: date | None = data.get("absence_start_date")
            if first and met:
                earliest = self._twentieth_school_day(first)
                if met < earliest:
                    self.add_error("ground_met_date",
                                   ERROR_TWENTY_SCHOOL_DAYS.format(earliest=earliest))
            if data.get("la_enquiries_confirmed") is False:
                self.add_error("la_enquiries_confirmed",
                               ERROR_LA_ENQUIRIES_NOT_MADE.format(ground=G.I))
        elif ground == G.L:
            dob: date | None = data.get("date_of_birth")
            if dob and deleted:
                _, end = compulsory_school_age(dob)
                if deleted < end:
                    self.add_error("ground", ERROR_STILL_OF_COMPULSORY_AGE.format(end=end))
        elif ground == G.O:
            excluded: date | None = data.get("exclusion_date")
            if excluded and excluded > today:
                self.add_error("exclusion_date", ERROR_EXCLUSION_IN_FUTURE)
            elif excluded and met and met < excluded:
                self.add_error("ground_met_date", ERROR_GROUND_MET_BEFORE_EXCLUSION)

    def _calendar(self, start: date) -> TermCalendar:
        return term_calendar_for(self.school, start, start + CALENDAR_SPAN)

    def _ten_school_days_after(self, leave_end: date) -> date:
        """Reg 9(1)(h): the earliest the ground can be met, on the school's term calendar."""
        found = add_school_days(self._calendar(leave_end), leave_end, REG_9_1_H_SCHOOL_DAYS)
        # No term dates loaded for the span (or they run out first): count working days
        # instead, which may be earlier than the true date, rather than refuse the return.
        return found if found is not None else add_working_days(leave_end, REG_9_1_H_SCHOOL_DAYS)

    def _twentieth_school_day(self, first: date) -> date:
        """Reg 9(1)(i): the day the 20 school days of continuous absence are complete."""
        found = school_days_threshold_date(self._calendar(first), first, REG_9_1_I_SCHOOL_DAYS)
        # The same fallback as (h): working days, counting the first day as day 1.
        return (
            found
            if found is not None
            else add_working_days(first - timedelta(days=1), REG_9_1_I_SCHOOL_DAYS)
        )

    def _shown(self, ground: str, destination: str, moving: str) -> set[str]:
        """The conditional questions that apply to these answers."""
        shown = set(GROUND_FIELDS.get(ground, ()))
        if ground != G.K and moving == MOVING_YES:
            shown.update(ADDRESS_FIELDS)
        shown.update(DESTINATION_FIELDS.get(destination, ()))
        return shown

    def _conditional_fields(self) -> set[str]:
        return {
            *(f for fields in GROUND_FIELDS.values() for f in fields),
            *(f for fields in DESTINATION_FIELDS.values() for f in fields),
            *ADDRESS_FIELDS,
        }

    def _forget_hidden(self, data: dict[str, Any], shown: set[str]) -> None:
        """Drop the answers, and any errors, of questions that do not apply (hidden by the
        reveal, or typed before the person changed their mind)."""
        for name in self._conditional_fields() - shown:
            self.errors.pop(name, None)
            data[name] = None if isinstance(
                self.fields[name], forms.DateField | forms.MultiValueField |
                forms.ModelChoiceField | YesNoField) else ""
        if data.get("ground") == G.K:
            self.errors.pop("moving", None)
            data["moving"] = ""

    def _to_model_fields(self, data: dict[str, Any], moving: str) -> None:
        """Put the aliases that apply on the instance; the booleans are never None."""
        saved: dict[str, Any] = {"ground_details": "", "enquiries_made": "",
                                 "destination_start_date": None, "admission_confirmed": False}
        for alias, model_field in ALIASES.items():
            condition, value = ALIAS_CONDITIONS[alias]
            if data.get(condition) == value and data.get(alias) is not None:
                saved[model_field] = data[alias]
        saved["admission_confirmed"] = bool(saved["admission_confirmed"])
        for model_field, value in saved.items():
            setattr(self.instance, model_field, value)
        for name in ("la_enquiries_confirmed", "la_enquiries_confirmed_h", "s2s_lost_pupil_uploaded"):
            data[name] = bool(data.get(name))
        if moving == MOVING_NO:
            # Not moving: the new address is the current one, so that a blank new address
            # always means "not known" (Ealing's key leaver information).
            data["new_address"] = _address(data.get("address_line_1", ""),
                                           data.get("address_line_2", ""), data.get("town", ""))
            data["new_postcode"] = data.get("postcode", "")

    # -- warnings -------------------------------------------------------------------------
    def warnings(self) -> list[str]:
        from schools.services import leaver_is_late, s2s_reminder_school_days

        found = []
        deleted = self.cleaned_data.get("deletion_date")
        if deleted and leaver_is_late(deleted, timezone.localdate()):
            found.append(WARNING_LATE.format(deleted=deleted))
        found.extend(super().warnings())
        data = self.cleaned_data
        if data.get("destination_type") == D.UNKNOWN and not data.get("s2s_lost_pupil_uploaded"):
            found.append(WARNING_S2S_TO_DO.format(days=s2s_reminder_school_days()))
        missing = self.missing_key_information()
        if missing:
            found.append(WARNING_KEY_INFORMATION_MISSING.format(missing=", ".join(missing)))
        return found

    def missing_key_information(self) -> list[str]:
        """Ealing's key leaver information this return does not give: the one rule
        (`schools.rules.missing_key_leaver_information`) that also decides whether sending it
        raises a referral, so the warning says what will happen. The instance holds the
        answers (clean() and the ModelForm put them there); the parents are not saved yet."""
        return missing_key_leaver_information(
            self.instance, parent_phones=[p.get("phone", "") for p in self.parents()]
        )

    # -- check your answers ---------------------------------------------------------------
    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        data = self.cleaned_data
        ground = data.get("ground") or ""
        destination = data.get("destination_type") or ""
        moving = data.get("moving") or ""
        leaving = ("ground", *GROUND_FIELDS.get(ground, ()), "ground_met_date", "deletion_date")
        going: tuple[str, ...] = ()
        if ground != G.K:
            going = ("moving", *(ADDRESS_FIELDS if moving == MOVING_YES else ()))
        going = (*going, "destination_type", *DESTINATION_FIELDS.get(destination, ()))
        sections = super().summary_sections()
        sections[1:1] = [("Why the pupil is leaving", leaving), ("Where the pupil is going", going)]
        return sections


def _address(line_1: str, line_2: str, town: str) -> str:
    return ", ".join(p for p in (line_1, line_2, town) if p)
