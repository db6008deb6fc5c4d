"""The referral form (SR1a-style): one form for every door, the public one with two extras."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crispy_forms_gds.layout import HTML, Div, Field, Fieldset
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cme.forms import gds_helper
from referrals.models import (
    ParentKnows,
    Reason,
    ReceivedVia,
    Referral,
    ReferralPerson,
    ReferrerType,
)
from referrals.vocabulary import FLAG_FIELDS, FLAG_QUESTIONS
from schools.forms.base import text
from schools.forms.fields import GdsDateField, PostcodeField, TextField, UpnField, YesNoField
from schools.models import Gender, School

ERROR_IDENTIFY_CHILD = (
    "Enter the child's name, their address or the last school they went to, "
    "so that we can find them"
)
ERROR_REASONS_REQUIRED = "Select at least one reason for the referral"
ERROR_REFERRER_NAME = "Enter your full name"
ERROR_REFERRER_CONTACT = "Enter an email address or a phone number so that we can contact you"
ERROR_REFERRER_TYPE = "Select who is making the referral"
ERROR_PARENT_KNOWS = "Select whether the child's parents or carers know about this referral"
ERROR_ANONYMOUS = "Select whether you want to stay anonymous"
ERROR_DOB_FUTURE = "The child's date of birth must be in the past"
ERROR_LAST_ATTENDED_FUTURE = "The date the child last attended must be today or in the past"
ERROR_NHS_FORMAT = "Enter an NHS number of 10 digits, like 943 476 5919"
ERROR_NHS_CHECK = "The NHS number is not valid: check it and enter it again"
ERROR_SIBLING_NAME = "Enter the sibling's full name"
ERROR_PARENT_NAME = "Enter the parent or carer's full name"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"

#: The vulnerability flags: booleans on Referral, asked as one checkboxes question.
FLAGS = FLAG_FIELDS
FLAG_CHOICES = FLAG_QUESTIONS

PERSON_FIELDS = ("name", "relationship", "phone", "email")
SIBLING_FIELDS = ("name", "date_of_birth", "school")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10 to 2 over the first nine digits."""
    # isascii() too: "²".isdigit() is True but int("²") raises.
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


class NhsNumberField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "NHS number (optional)")
        kwargs.setdefault("help_text", "10 digits, for example 943 476 5919")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        digits = re.sub(r"[\s-]+", "", str(value))
        if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
            raise ValidationError(ERROR_NHS_FORMAT, code="invalid")
        if not nhs_number_valid(digits):
            raise ValidationError(ERROR_NHS_CHECK, code="check_digit")
        return digits


def _email(label: str = "Email address (optional)") -> forms.EmailField:
    return forms.EmailField(label=label, required=False, error_messages={"invalid": EMAIL_INVALID})


def _phone(label: str = "Phone number (optional)") -> TextField:
    return TextField(
        label=label,
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


class ReferralForm(forms.ModelForm[Referral]):
    """Tell us about a child who may be missing education.

    `summary()` gives the check-your-answers rows (as ReturnForm.summary does); `referral()`
    the unsaved Referral and `people()` its parents/carers and siblings.
    """

    # -- who is referring --------------------------------------------------------------
    referrer_type = forms.ChoiceField(
        label="Who is making the referral?",
        choices=[(v, label) for v, label in ReferrerType.choices if v != ReferrerType.SYSTEM],
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_REFERRER_TYPE},
    )
    # Required unless anonymous: checked in clean(), so the public form can waive them.
    referrer_name = TextField(label="Your full name", required=False, max_length=150)
    referrer_organisation = TextField(
        label="Organisation (optional)",
        required=False,
        max_length=200,
        help_text="For example, the school, GP practice or service you work for",
    )
    referrer_relationship = TextField(
        label="Your relationship to the child (optional)",
        required=False,
        max_length=100,
        help_text="For example, class teacher, health visitor, neighbour, aunt",
    )
    referrer_email = _email("Your email address")
    referrer_phone = _phone("Your phone number")

    # -- the child -----------------------------------------------------------------------
    first_name = text(
        "first_name",
        "First name",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = text(
        "last_name",
        "Last name",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    other_names = text(
        "other_names",
        "Other names or spellings",
        required=False,
        max_length=200,
        help_text="Any other name the child is known by",
    )
    date_of_birth = GdsDateField(
        what="the child's date of birth",
        required=False,
        label="Date of birth (optional)",
        help_text="For example, 27 3 2015. Leave it blank if you do not know it",
    )
    gender = forms.ChoiceField(
        label="Sex (optional)",
        required=False,
        choices=Gender.choices,
        widget=forms.RadioSelect,
    )
    upn = UpnField(help_text="13 characters, starting with a letter, if you know it")
    nhs_number = NhsNumberField()
    address_line_1 = text("address_line_1", "Address line 1", required=False, max_length=150)
    address_line_2 = text("address_line_2", "Address line 2", required=False, max_length=150)
    town = text("town", "Town or city", required=False)
    postcode = PostcodeField(label="Postcode (optional)", required=False)
    previous_address = text("previous_address", "Previous address", required=False, max_length=300)
    last_school = forms.ModelChoiceField(
        label="Last school the child went to (optional)",
        required=False,
        queryset=School.objects.none(),
        empty_label="Choose a school in this area",
    )
    last_school_name = text(
        "last_school_name",
        "Or the school's name, if it is not in the list",
        required=False,
        max_length=200,
    )
    date_last_attended = GdsDateField(
        what="the date the child last attended",
        required=False,
        label="Date the child last attended school (optional)",
        help_text="For example, 14 10 2026",
    )

    # -- why ------------------------------------------------------------------------------
    reasons = forms.MultipleChoiceField(
        label="Why are you worried the child is missing education?",
        help_text="Select all that apply",
        choices=Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERROR_REASONS_REQUIRED},
    )
    flags = forms.MultipleChoiceField(
        label="Do you know if any of these apply to the child? (optional)",
        help_text="Select all that apply",
        required=False,
        choices=FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    enquiries_made = TextField(
        label="What have you already done to find the child? (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, phoned the family, visited the home, asked the last school",
    )
    parent_knows = forms.ChoiceField(
        label="Do the child's parents or carers know you are making this referral?",
        choices=ParentKnows.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_PARENT_KNOWS},
    )
    details = TextField(
        label="Anything else we should know (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    # -- parents/carers and siblings (ReferralPerson rows) --------------------------------
    parent_1_name = text("parent_1_name", "Full name", required=False, max_length=150)
    parent_1_relationship = text(
        "parent_1_relationship",
        "Relationship to the child",
        required=False,
        max_length=60,
        help_text="For example, mother, father, grandparent, foster carer",
    )
    parent_1_phone = _phone()
    parent_1_email = _email()
    parent_2_name = text("parent_2_name", "Full name", required=False, max_length=150)
    parent_2_relationship = text(
        "parent_2_relationship", "Relationship to the child", required=False, max_length=60
    )
    parent_2_phone = _phone()
    parent_2_email = _email()
    sibling_1_name = text("sibling_1_name", "Full name", required=False, max_length=150)
    sibling_1_date_of_birth = GdsDateField(
        what="the sibling's date of birth", required=False, label="Date of birth (optional)"
    )
    sibling_1_school = text("sibling_1_school", "School", required=False, max_length=200)
    sibling_2_name = text("sibling_2_name", "Full name", required=False, max_length=150)
    sibling_2_date_of_birth = GdsDateField(
        what="the sibling's date of birth", required=False, label="Date of birth (optional)"
    )
    sibling_2_school = text("sibling_2_school", "School", required=False, max_length=200)

    class Meta:
        model = Referral
        fields: tuple[str, ...] = (
            "referrer_type",
            "referrer_name",
            "referrer_organisation",
            "referrer_relationship",
            "referrer_email",
            "referrer_phone",
            "first_name",
            "last_name",
            "other_names",
            "date_of_birth",
            "gender",
            "upn",
            "nhs_number",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "previous_address",
            "last_school",
            "last_school_name",
            "date_last_attended",
            "reasons",
            "enquiries_made",
            "parent_knows",
            "details",
        )

    REFERRER_FIELDS: tuple[str, ...] = (
        "referrer_type",
        "referrer_name",
        "referrer_organisation",
        "referrer_relationship",
        "referrer_email",
        "referrer_phone",
    )
    CHILD_FIELDS: tuple[str, ...] = (
        "first_name",
        "last_name",
        "other_names",
        "date_of_birth",
        "gender",
        "upn",
        "nhs_number",
    )
    ADDRESS_FIELDS: tuple[str, ...] = (
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "previous_address",
    )
    SCHOOL_FIELDS: tuple[str, ...] = ("last_school", "last_school_name", "date_last_attended")
    WHY_FIELDS: tuple[str, ...] = ("reasons", "flags", "enquiries_made", "parent_knows", "details")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["last_school"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = School.objects.in_area().order_by("name")
        self.helper = gds_helper(*self.layout_fields())

    # -- layout -------------------------------------------------------------------------
    def referrer_layout(self) -> list[Any]:
        return [
            Fieldset(
                Field.radios("referrer_type", legend_size="s"),
                Field.text("referrer_name", field_width=20),
                Field.text("referrer_organisation", field_width=20),
                Field.text("referrer_relationship", field_width=20),
                Field.text("referrer_email", field_width=20),
                Field.text("referrer_phone", field_width=20),
                legend="About you",
                legend_size="m", legend_tag="h2",
            )
        ]

    def child_layout(self) -> list[Any]:
        return [
            Fieldset(
                HTML(
                    '<p class="govuk-body">Tell us as much as you know. We need at least the '
                    "child's name, their address or the last school they went to.</p>"
                ),
                Field.text("first_name", field_width=20),
                Field.text("last_name", field_width=20),
                Field.text("other_names", field_width=20),
                Field("date_of_birth"),
                Field.radios("gender", legend_size="s", inline=True),
                Field.text("upn", field_width=10),
                Field.text("nhs_number", field_width=10),
                legend="The child",
                legend_size="m", legend_tag="h2",
            ),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                Field.text("previous_address"),
                legend="Where the child lives, or last lived",
                legend_size="m", legend_tag="h2",
            ),
            Fieldset(
                Field.select("last_school"),
                Field.text("last_school_name", field_width=20),
                Field("date_last_attended"),
                legend="The child's last school",
                legend_size="m", legend_tag="h2",
            ),
        ]

    def people_layout(self) -> list[Any]:
        return [
            Fieldset(
                HTML('<h3 class="govuk-heading-s">First parent or carer</h3>'),
                *[Field.text(f"parent_1_{f}", field_width=20) for f in PERSON_FIELDS],
                HTML('<h3 class="govuk-heading-s">Second parent or carer</h3>'),
                *[Field.text(f"parent_2_{f}", field_width=20) for f in PERSON_FIELDS],
                legend="Parents or carers (optional)",
                legend_size="m", legend_tag="h2",
            ),
            Fieldset(
                HTML('<h3 class="govuk-heading-s">First brother or sister</h3>'),
                Field.text("sibling_1_name", field_width=20),
                Field("sibling_1_date_of_birth"),
                Field.text("sibling_1_school", field_width=20),
                HTML('<h3 class="govuk-heading-s">Second brother or sister</h3>'),
                Field.text("sibling_2_name", field_width=20),
                Field("sibling_2_date_of_birth"),
                Field.text("sibling_2_school", field_width=20),
                legend="Brothers and sisters (optional)",
                legend_size="m", legend_tag="h2",
            ),
        ]

    def why_layout(self) -> list[Any]:
        return [
            Fieldset(
                Field.checkboxes("reasons", legend_size="s", small=True),
                Field.checkboxes("flags", legend_size="s", small=True),
                Field.textarea("enquiries_made"),
                Field.radios("parent_knows", legend_size="s"),
                Field.textarea("details"),
                legend="Why you are worried",
                legend_size="m", legend_tag="h2",
            )
        ]

    def layout_fields(self) -> list[Any]:
        return [
            *self.referrer_layout(),
            *self.child_layout(),
            *self.people_layout(),
            *self.why_layout(),
        ]

    # -- validation ---------------------------------------------------------------------
    def referrer_details_required(self, data: dict[str, Any]) -> bool:
        return True

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        today = timezone.localdate()
        if self.referrer_details_required(data):
            if not data.get("referrer_name") and "referrer_name" not in self.errors:
                self.add_error("referrer_name", ERROR_REFERRER_NAME)
            if (
                not data.get("referrer_email")
                and not data.get("referrer_phone")
                and "referrer_email" not in self.errors
            ):
                self.add_error("referrer_email", ERROR_REFERRER_CONTACT)
        identified = any(
            data.get(name)
            for name in (
                "first_name",
                "last_name",
                "address_line_1",
                "postcode",
                "last_school",
                "last_school_name",
            )
        )
        if not identified:
            self.add_error("first_name", ERROR_IDENTIFY_CHILD)
        dob: date | None = data.get("date_of_birth")
        if dob and dob > today:
            self.add_error("date_of_birth", ERROR_DOB_FUTURE)
        last: date | None = data.get("date_last_attended")
        if last and last > today:
            self.add_error("date_last_attended", ERROR_LAST_ATTENDED_FUTURE)
        for prefix, details in (
            ("parent_1", PERSON_FIELDS[1:]),
            ("parent_2", PERSON_FIELDS[1:]),
            ("sibling_1", SIBLING_FIELDS[1:]),
            ("sibling_2", SIBLING_FIELDS[1:]),
        ):
            if not data.get(f"{prefix}_name") and any(data.get(f"{prefix}_{f}") for f in details):
                self.add_error(
                    f"{prefix}_name",
                    ERROR_SIBLING_NAME if prefix.startswith("sibling") else ERROR_PARENT_NAME,
                )
        return data

    # -- results ------------------------------------------------------------------------
    def referral(self) -> Referral:
        """The unsaved referral these answers describe (the caller sets the channel)."""
        referral: Referral = self.save(commit=False)
        flags = set(self.cleaned_data.get("flags") or [])
        for name in FLAGS:
            setattr(referral, name, name in flags)
        return referral

    def people(self) -> list[dict[str, Any]]:
        """The parents/carers and siblings to store as ReferralPerson rows."""
        found: list[dict[str, Any]] = []
        data = self.cleaned_data
        for n in (1, 2):
            if data.get(f"parent_{n}_name"):
                found.append(
                    {
                        "kind": ReferralPerson.Kind.PARENT,
                        **{f: data.get(f"parent_{n}_{f}") or "" for f in PERSON_FIELDS},
                    }
                )
        for n in (1, 2):
            if data.get(f"sibling_{n}_name"):
                found.append(
                    {
                        "kind": ReferralPerson.Kind.SIBLING,
                        "name": data[f"sibling_{n}_name"],
                        "date_of_birth": data.get(f"sibling_{n}_date_of_birth"),
                        "school_name": data.get(f"sibling_{n}_school") or "",
                    }
                )
        return found

    # -- check your answers -------------------------------------------------------------
    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        return [
            ("About you", self.REFERRER_FIELDS),
            ("The child", self.CHILD_FIELDS),
            ("Where the child lives", self.ADDRESS_FIELDS),
            ("The child's last school", self.SCHOOL_FIELDS),
            ("First parent or carer", tuple(f"parent_1_{f}" for f in PERSON_FIELDS)),
            ("Second parent or carer", tuple(f"parent_2_{f}" for f in PERSON_FIELDS)),
            ("First brother or sister", tuple(f"sibling_1_{f}" for f in SIBLING_FIELDS)),
            ("Second brother or sister", tuple(f"sibling_2_{f}" for f in SIBLING_FIELDS)),
            ("Why you are worried", self.WHY_FIELDS),
        ]

    def summary(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """(section, [(field name, label, value shown)]) for every answered question."""
        sections = []
        for title, names in self.summary_sections():
            rows = []
            for name in names:
                if name not in self.fields:
                    continue
                shown = self.display_value(name)
                if shown:
                    label = str(self.fields[name].label).removesuffix(" (optional)")
                    rows.append((name, label, shown))
            if rows:
                sections.append((title, rows))
        return sections

    def display_value(self, name: str) -> str:
        value = self.cleaned_data.get(name)
        field = self.fields[name]
        if value is None or value == "" or value == []:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, date):
            return f"{value:%-d %B %Y}"
        if isinstance(value, list):
            labels = dict(getattr(field, "choices", []))
            return "\n".join(str(labels.get(v, v)) for v in value)
        if isinstance(field, forms.ModelChoiceField):
            return str(value)
        choices = getattr(field, "choices", None)
        if choices is not None:
            return str(dict(choices).get(value, value))
        return str(value)


class PublicReferralForm(ReferralForm):
    """The public door: may be anonymous, and carries a honeypot for form-filling robots."""

    anonymous = YesNoField(
        label="Do you want to stay anonymous?",
        required_message=ERROR_ANONYMOUS,
        help_text="If you do, we will not ask for your name or contact details, and we will "
        "not be able to tell you what happens next",
    )
    # People never see this (visually hidden, out of the tab order); robots fill it in.
    website = forms.CharField(
        label="Leave this blank",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    REFERRER_FIELDS = ("anonymous", *ReferralForm.REFERRER_FIELDS)

    class Meta(ReferralForm.Meta):
        fields = ("anonymous", *ReferralForm.Meta.fields)

    def referrer_layout(self) -> list[Any]:
        return [
            Fieldset(
                Field.radios("referrer_type", legend_size="s"),
                Field.radios("anonymous", legend_size="s", inline=True),
                Field.text("referrer_name", field_width=20),
                Field.text("referrer_organisation", field_width=20),
                Field.text("referrer_relationship", field_width=20),
                Field.text("referrer_email", field_width=20),
                Field.text("referrer_phone", field_width=20),
                legend="About you",
                legend_size="m", legend_tag="h2",
            ),
            Div(Field.text("website"), css_class="govuk-visually-hidden", aria_hidden="true"),
        ]

    def referrer_details_required(self, data: dict[str, Any]) -> bool:
        return data.get("anonymous") is False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("anonymous"):
            # Asked not to be known: whatever was typed about the referrer is not kept.
            for name in (
                "referrer_name",
                "referrer_organisation",
                "referrer_email",
                "referrer_phone",
            ):
                data[name] = ""
                self.errors.pop(name, None)
        return data

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


ERROR_DATE_RECEIVED_FUTURE = "The date the referral was received must be today or in the past"
ERROR_RECEIVED_VIA = "Select how the referral was received"
ERROR_RECORDED_REFERRER_NAME = "Enter the full name of the person who made the referral"


class RecordedReferralForm(ReferralForm):
    """The signed-in door for LA users: an officer recording a referral someone else made
    (a phone call, an email, a letter). It asks when and how the referral reached the team,
    the date received starting the enquiry clock, and who referred, not the officer."""

    date_received = GdsDateField(
        what="the date the referral was received",
        label="Date the referral was received",
        help_text="The enquiry clock (10 working days) runs from this date. For example, 27 3 2026",
    )
    received_via = forms.ChoiceField(
        label="How was the referral received?",
        choices=ReceivedVia.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_RECEIVED_VIA},
    )

    RECEIVED_FIELDS: tuple[str, ...] = ("date_received", "received_via")

    class Meta(ReferralForm.Meta):
        fields = ("date_received", "received_via", *ReferralForm.Meta.fields)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "referrer_type": "Who made the referral?",
            "referrer_name": "Their full name",
            "referrer_organisation": "Their organisation (optional)",
            "referrer_relationship": "Their relationship to the child (optional)",
            "referrer_email": "Their email address (optional)",
            "referrer_phone": "Their phone number (optional)",
        }
        for name, label in labels.items():
            self.fields[name].label = label

    def referrer_layout(self) -> list[Any]:
        return [
            Fieldset(
                Field("date_received"),
                Field.radios("received_via", legend_size="s"),
                legend="How the referral was received",
                legend_size="m", legend_tag="h2",
            ),
            Fieldset(
                Field.radios("referrer_type", legend_size="s"),
                Field.text("referrer_name", field_width=20),
                Field.text("referrer_organisation", field_width=20),
                Field.text("referrer_relationship", field_width=20),
                Field.text("referrer_email", field_width=20),
                Field.text("referrer_phone", field_width=20),
                legend="Who made the referral",
                legend_size="m", legend_tag="h2",
            ),
        ]

    def referrer_details_required(self, data: dict[str, Any]) -> bool:
        # A caller may give a name but no way back to them: only the name is asked for.
        return False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("referrer_name") and "referrer_name" not in self.errors:
            self.add_error("referrer_name", ERROR_RECORDED_REFERRER_NAME)
        received: date | None = data.get("date_received")
        if received and received > timezone.localdate():
            self.add_error("date_received", ERROR_DATE_RECEIVED_FUTURE)
        return data

    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        sections = super().summary_sections()
        sections[0] = ("Who made the referral", self.REFERRER_FIELDS)
        return [("How the referral was received", self.RECEIVED_FIELDS), *sections]
