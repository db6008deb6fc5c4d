"""The referral form's questions (SR1a-style), as form fields, and how they are grouped."""

from __future__ import annotations

from django import forms

from cme.forms import radios
from referrals.forms.validators import NhsNumberField
from referrals.models import ParentKnows, Reason, Referral, ReferrerType
from referrals.vocabulary import FLAG_FIELDS, FLAG_QUESTIONS
from schools.forms.base import text
from schools.forms.fields import (
    GdsDateField,
    PostcodeField,
    TextField,
    UpnField,
    optional_email,
)
from schools.forms.school_picker import SchoolChoiceField
from schools.models import Gender, School

ERROR_IDENTIFY_CHILD = (
    "Enter the child's name, their address or the last school they went to, "
    "so that we can find them"
)
ERROR_REASONS_REQUIRED = "Select at least one reason for the referral"
ERROR_REFERRER_NAME = "Enter your full name"
ERROR_REFERRER_CONTACT = "Enter an email address or a phone number so that we can contact you"
ERROR_REFERRER_ADDRESS = (
    "Enter the postal address on separate lines: the street, the town and the postcode"
)
ERROR_REFERRER_TYPE = "Select who is making the referral"
ERROR_PARENT_KNOWS = "Select whether the child's parents or carers know about this referral"
ERROR_DOB_FUTURE = "The child's date of birth must be in the past"
ERROR_LAST_ATTENDED_FUTURE = "The date the child last attended must be today or in the past"
ERROR_SIBLING_NAME = "Enter the sibling's full name"
ERROR_PARENT_NAME = "Enter the parent or carer's full name"

#: The vulnerability flags: booleans on Referral, asked as one checkboxes question.
FLAGS = FLAG_FIELDS
FLAG_CHOICES = FLAG_QUESTIONS

PERSON_FIELDS = ("name", "relationship", "phone", "email")
SIBLING_FIELDS = ("name", "date_of_birth", "school")

REFERRER_FIELDS: tuple[str, ...] = (
    "referrer_type",
    "referrer_name",
    "referrer_organisation",
    "referrer_relationship",
    "referrer_email",
    "referrer_phone",
    "referrer_address",
)
CHILD_FIELDS: tuple[str, ...] = Referral.CHILD_IDENTITY_FIELDS
ADDRESS_FIELDS: tuple[str, ...] = (*Referral.CHILD_ADDRESS_FIELDS, "previous_address")
SCHOOL_FIELDS: tuple[str, ...] = ("last_school", "last_school_name", "date_last_attended")
WHY_FIELDS: tuple[str, ...] = ("reasons", "flags", "enquiries_made", "parent_knows", "details")


def _phone(label: str = "Phone number (optional)") -> TextField:
    return TextField(
        label=label,
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


class ReferralQuestions(forms.ModelForm[Referral]):
    """Every question of the referral form; `ReferralForm` lays them out and checks them."""

    # -- who is referring --------------------------------------------------------------
    referrer_type = radios(
        "Who is making the referral?",
        [(v, label) for v, label in ReferrerType.choices if v != ReferrerType.SYSTEM],
        error=ERROR_REFERRER_TYPE,
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
    referrer_email = optional_email("Your email address")
    referrer_phone = _phone("Your phone number")
    referrer_address = TextField(
        label="Your postal address (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text="If you give no email address, we post you the outcome. "
        "Put the street, the town and the postcode on separate lines",
    )

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
    gender = radios("Sex (optional)", Gender.choices, required=False)
    upn = UpnField(help_text="13 characters, starting with a letter, if you know it")
    nhs_number = NhsNumberField()
    address_line_1 = text("address_line_1", "Address line 1", required=False, max_length=150)
    address_line_2 = text("address_line_2", "Address line 2", required=False, max_length=150)
    town = text("town", "Town or city", required=False)
    postcode = PostcodeField(label="Postcode (optional)", required=False)
    previous_address = text("previous_address", "Previous address", required=False, max_length=300)
    last_school = SchoolChoiceField(
        label="Last school the child went to (optional)",
        required=False,
        queryset=School.objects.none(),
        search={"area": "1"},
        help_text="A school in this area: start typing its name, or enter its URN or postcode",
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
    parent_knows = radios(
        "Do the child's parents or carers know you are making this referral?",
        ParentKnows.choices,
        error=ERROR_PARENT_KNOWS,
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
    parent_1_email = optional_email()
    parent_2_name = text("parent_2_name", "Full name", required=False, max_length=150)
    parent_2_relationship = text(
        "parent_2_relationship", "Relationship to the child", required=False, max_length=60
    )
    parent_2_phone = _phone()
    parent_2_email = optional_email()
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
        # The model's fields; "flags" and the people are not fields of Referral.
        fields: tuple[str, ...] = (
            *REFERRER_FIELDS,
            *CHILD_FIELDS,
            *ADDRESS_FIELDS,
            *SCHOOL_FIELDS,
            *(name for name in WHY_FIELDS if name != "flags"),
        )

    REFERRER_FIELDS = REFERRER_FIELDS
    CHILD_FIELDS = CHILD_FIELDS
    ADDRESS_FIELDS = ADDRESS_FIELDS
    SCHOOL_FIELDS = SCHOOL_FIELDS
    WHY_FIELDS = WHY_FIELDS
