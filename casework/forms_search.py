"""The "Find a child" form: one form with a field for each thing an officer may know.

Separate optional fields rather than one box: what an officer has in front of them (a
referral, a phone call, a school's return) gives the details already sorted (a name here, a
date of birth there), a GOV.UK date input is the accessible way to enter a date, and each
field can say exactly what is wrong with it ("The UPN's check letter does not match") where
a single box could only guess whether "12 3 15" was a date and "EX2 3CC" a name.
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Fieldset
from django import forms

from casework.selectors.search import MIN_WORD, SearchTerms
from cme.forms import gds_helper
from referrals.forms.validators import NhsNumberField
from schools.forms.fields import GdsDateField, PostcodeField, TextField, UpnField

ERROR_EMPTY = "Enter a name, date of birth, UPN, NHS number or postcode"
ERROR_NAME_SHORT = f"Enter at least {MIN_WORD} letters of a name"


class FindChildForm(forms.Form):
    name = TextField(
        label="Name",
        required=False,
        max_length=200,
        help_text="First name, surname or both, in any order. Other spellings are found too",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = GdsDateField(
        what="the date of birth", required=False, help_text="For example, 27 3 2015"
    )
    upn = UpnField(label="Unique pupil number (UPN)", help_text="13 characters, like A123456789012")
    nhs_number = NhsNumberField(label="NHS number")
    postcode = PostcodeField(
        label="Postcode",
        required=False,
        help_text="With or without the space",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(
        self, *args: Any, legend: str = "What do you know about the child?", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Fieldset(
                Field.text("name", field_width=20),
                Field("date_of_birth"),
                Field.text("upn", field_width=20),
                Field.text("nhs_number", field_width=10),
                Field.text("postcode", field_width=10),
                legend=legend,
                legend_size="m",
            )
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        name = data.get("name", "")
        if name and not any(len(w) >= MIN_WORD for w in name.split()):
            self.add_error("name", ERROR_NAME_SHORT)
        elif not any(data.get(f) for f in self.fields):
            # Linked to the first field: the summary's link takes the officer to it.
            self.add_error("name", ERROR_EMPTY)
        return data

    def terms(self) -> SearchTerms:
        data = self.cleaned_data
        return SearchTerms(
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth"),
            upn=data.get("upn", ""),
            nhs_number=data.get("nhs_number", ""),
            postcode=data.get("postcode", ""),
        )

    @classmethod
    def initial_from(cls, terms: SearchTerms) -> dict[str, Any]:
        """The form filled with a search already made (on the results page, to refine it)."""
        return {
            "name": terms.name,
            "date_of_birth": terms.date_of_birth,
            "upn": terms.upn,
            "nhs_number": terms.nhs_number,
            "postcode": terms.postcode,
        }
