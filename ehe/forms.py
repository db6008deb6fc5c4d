"""The EHE register's forms (one page each). They validate input; the services decide."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from cme.forms import gds_helper, radios, section
from ehe.models import ContactKind, Suitability
from schools.forms.base import text
from schools.forms.fields import GdsDateField, PostcodeField, optional_email

TEXT_MAX = 2000


def _notes(label: str, *, required: bool = False) -> forms.CharField:
    return text("", label, required=required, max_length=TEXT_MAX, widget=forms.Textarea)


class EheForm(forms.Form):
    #: Service error messages that belong to one field (shown against it, not the form).
    error_fields: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.layout())

    def layout(self) -> list[Any]:
        return []

    def add_service_error(self, message: str) -> None:
        self.add_error(self.error_fields.get(message), message)


class ParentFields(EheForm):
    parent_title = text("", "Title", required=False, max_length=35)
    parent_first_name = text("", "Parent's first name", required=False)
    parent_last_name = text("", "Parent's last name")
    parent_relationship = text("", "Relationship to the child", required=False, max_length=60)
    parent_phone = text("", "Phone number", required=False, max_length=40)
    parent_email = optional_email()

    def parent_layout(self) -> list[Any]:
        return [
            Field.text("parent_title", field_width=5),
            Field.text("parent_first_name", field_width=20),
            Field.text("parent_last_name", field_width=20),
            Field.text("parent_relationship", field_width=20),
            Field.text("parent_phone", field_width=20),
            Field.text("parent_email", field_width=30),
        ]

    def parent(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["parent_title"],
            "first_name": d["parent_first_name"],
            "last_name": d["parent_last_name"],
            "relationship": d["parent_relationship"],
            "phone": d["parent_phone"],
            "email": d["parent_email"],
        }


class AddChildForm(ParentFields):
    """An officer puts a child on the register (told by a parent, another service...)."""

    first_name = text("", "First name")
    last_name = text("", "Last name")
    date_of_birth = GdsDateField(what="the date of birth")
    address_line_1 = text("", "Address line 1", max_length=150)
    address_line_2 = text("", "Address line 2", required=False, max_length=150)
    town = text("", "Town or city")
    postcode = PostcodeField(label="Postcode", error_messages={"required": "Enter the postcode"})
    started_on = GdsDateField(
        what="the date home education started",
        label="When did home education start?",
        help_text="For example, 2 9 2026",
    )

    def layout(self) -> list[Any]:
        return [
            section(
                Field.text("first_name", field_width=20),
                Field.text("last_name", field_width=20),
                Field("date_of_birth"),
                legend="The child",
            ),
            section(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("postcode", field_width=10),
                legend="The child's home address",
            ),
            section(Field("started_on"), legend="Home education"),
            section(*self.parent_layout(), legend="A parent"),
        ]


class ParentForm(ParentFields):
    address = text(
        "",
        "Address, if different from the child's",
        required=False,
        max_length=150,
    )
    postcode = PostcodeField(label="Postcode (optional)", required=False)

    def layout(self) -> list[Any]:
        return [
            *self.parent_layout(),
            Field.text("address"),
            Field.text("postcode", field_width=10),
        ]


class ContactForm(EheForm):
    kind = radios(
        "What kind of contact?",
        ContactKind.choices,
        error="Select the kind of contact",
        unknown_error=True,
    )
    made_on = GdsDateField(what="the date of the contact", label="When")
    with_whom = text("", "Who", required=False, max_length=200)
    notes = _notes("What was said or seen")
    next_contact_on = GdsDateField(
        what="the date of the next contact",
        label="Next contact due (optional)",
        required=False,
        help_text="Leave blank for a year from this contact",
    )

    def layout(self) -> list[Any]:
        return [
            Field.radios("kind", legend_size="s", small=True),
            Field("made_on"),
            Field.text("with_whom"),
            Field.textarea("notes", rows=4),
            Field("next_contact_on"),
        ]


class SuitabilityForm(EheForm):
    suitability = radios(
        "Does the education appear suitable?",
        [c for c in Suitability.choices if c[0] != Suitability.NOT_ASSESSED],
        error="Select whether the education appears suitable",
        unknown_error=True,
    )
    formed_on = GdsDateField(what="the date of the view")
    reasons = _notes("Reasons", required=True)

    def layout(self) -> list[Any]:
        return [
            Field.radios("suitability", legend_size="s"),
            Field("formed_on"),
            Field.textarea("reasons", rows=5),
        ]


class EndForm(EheForm):
    ended_on = GdsDateField(what="the date home education ended", label="Date it ended")
    reason = text("", "Why", max_length=300)

    def layout(self) -> list[Any]:
        return [Field("ended_on"), Field.text("reason")]
