"""What every school return asks: the pupil, their address, and their parents or carers."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol, TypeAlias

from crispy_forms_gds.layout import HTML, Field, Fieldset
from django import forms
from django.utils import timezone

from cme.forms import gds_helper, radios, section
from cme.statutory import compulsory_school_age, is_compulsory_school_age
from schools.ctf.summary import structured_sections
from schools.forms.fields import (
    GdsDateField,
    PostcodeField,
    TextField,
    UpnField,
    optional_email,
)
from schools.models import Gender

WARNING_DOB_OUTSIDE_CSA = (
    "The date of birth you gave means the pupil is not of compulsory school age "
    "(from {start:%-d %B %Y} to {end:%-d %B %Y}). Check it is right: you can still send the return."
)


def text(
    name: str, label: str, *, required: bool = True, max_length: int = 100, **kw: Any
) -> TextField:
    what = label[0].lower() + label[1:]
    return TextField(
        label=label if required else f"{label} (optional)",
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter the {what}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kw,
    )


PUPIL_FIELDS: tuple[str, ...] = (
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "gender",
    "upn",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
)

Summary: TypeAlias = list[tuple[str, list[tuple[str, str, str]]]]


class Summarised(Protocol):
    """A form with check-your-answers sections (a return or a referral)."""

    @property
    def fields(self) -> dict[str, forms.Field]: ...

    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]: ...

    def display_value(self, name: str) -> str: ...


def answers_summary(form: Summarised) -> Summary:
    """(section, [(field name, label, value shown)]) for every answered question, in the
    sections of `form.summary_sections()`; a section with no answer is left out."""
    sections = []
    for title, names in form.summary_sections():
        rows = []
        for name in names:
            if name not in form.fields:
                continue
            shown = form.display_value(name)
            if shown:
                rows.append((name, str(form.fields[name].label).removesuffix(" (optional)"), shown))
        if rows:
            sections.append((title, rows))
    return sections


def shown_answer(field: forms.Field, value: Any, list_separator: str = ", ") -> str:
    """An answer as check your answers shows it: "" if none, Yes or No, a date in words, a
    choice's label (the labels of several, joined by `list_separator`)."""
    if value is None or value in ("", []):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, list):
        labels = dict(getattr(field, "choices", []))
        return list_separator.join(str(labels.get(v, v)) for v in value)
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        return str(dict(choices).get(value, value))
    return str(value)


def _parent_phone(n: int, *, required: bool) -> TextField:
    return text(
        f"parent_{n}_phone",
        "Emergency phone number",
        required=required,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


def _parent_address(n: int) -> TextField:
    return text(
        f"parent_{n}_address", "Address, if not the pupil's", required=False, max_length=300
    )


def forget_answer(form: forms.BaseForm, data: dict[str, Any], name: str, empty: Any = None) -> None:
    """Drop the answer to a question that does not apply, and its error: it was asked only
    under another choice (a reveal), so what was typed there is not what was meant."""
    data[name] = empty
    form.errors.pop(name, None)


def refuse_future(
    form: forms.BaseForm, data: dict[str, Any], name: str, message: str, today: date
) -> None:
    """A date that must be today or in the past: `message` on it if it is later."""
    day: date | None = data.get(name)
    if day and day > today:
        form.add_error(name, message)


def _parent_layout(n: int) -> list[Any]:
    return [
        *[
            Field.text(f"parent_{n}_{f}", field_width=20)
            for f in ("name", "relationship", "phone", "email")
        ],
        Field.text(f"parent_{n}_address"),
    ]


def names_layout(*names: str) -> list[Any]:
    """A person's names, as text inputs of width 20."""
    return [Field.text(name, field_width=20) for name in names]


def birth_layout() -> list[Any]:
    """The date of birth, sex and UPN questions, as every return and referral asks them."""
    return [
        Field("date_of_birth"),
        Field.radios("gender", legend_size="s", inline=True),
        Field.text("upn", field_width=10),
    ]


def address_layout(legend: str, *more: Any) -> Fieldset:
    """The address questions (lines 1 and 2, town, postcode), then any `more`."""
    return section(
        Field.text("address_line_1"),
        Field.text("address_line_2"),
        Field.text("town", field_width=20),
        Field.text("postcode", field_width=10),
        *more,
        legend=legend,
    )


class ReturnForm(forms.ModelForm[Any]):
    """The fields common to all four returns. Subclasses add their own and their layout.

    `summary()` gives the check-your-answers rows; `warnings()` the things a person should
    look at again but that do not stop the return.
    """

    first_name = text(
        "first_name",
        "First name",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    middle_names = text("middle_names", "Middle names", required=False)
    last_name = text(
        "last_name",
        "Last name",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = GdsDateField(
        what="the pupil's date of birth", label="Date of birth", help_text="For example, 27 3 2015"
    )
    gender = radios(
        "Sex",
        Gender.choices,
        error="Select the pupil's sex as recorded on the admission register",
    )
    upn = UpnField(help_text="13 characters, starting with a letter, as on the admission register")
    address_line_1 = text("address_line_1", "Address line 1", max_length=150)
    address_line_2 = text("address_line_2", "Address line 2", required=False, max_length=150)
    town = text("town", "Town or city")
    postcode = PostcodeField(label="Postcode", error_messages={"required": "Enter the postcode"})

    parent_1_name = text("parent_1_name", "Full name", max_length=150)
    parent_1_relationship = text(
        "parent_1_relationship",
        "Relationship to the pupil",
        max_length=60,
        help_text="For example, mother, father, grandparent, foster carer",
    )
    parent_1_phone = _parent_phone(1, required=True)
    parent_1_email = optional_email()
    parent_1_address = _parent_address(1)
    parent_2_name = text("parent_2_name", "Full name", required=False, max_length=150)
    parent_2_relationship = text(
        "parent_2_relationship", "Relationship to the pupil", required=False, max_length=60
    )
    parent_2_phone = _parent_phone(2, required=False)
    parent_2_email = optional_email()
    parent_2_address = _parent_address(2)

    PUPIL_FIELDS = PUPIL_FIELDS

    class Meta:
        fields: tuple[str, ...] = PUPIL_FIELDS

    def __init__(self, *args: Any, school: Any = None, **kwargs: Any) -> None:
        self.school = school
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.layout_fields())

    # -- layout -------------------------------------------------------------------------
    def pupil_layout(self) -> list[Any]:
        return [
            section(
                *names_layout("first_name", "middle_names", "last_name"),
                *birth_layout(),
                legend="The pupil",
            ),
            address_layout("The pupil's address"),
        ]

    def parents_layout(self, legend: str = "Parents or carers") -> list[Any]:
        return [
            section(
                HTML('<h3 class="govuk-heading-s">First parent or carer</h3>'),
                *_parent_layout(1),
                HTML('<h3 class="govuk-heading-s">Second parent or carer (optional)</h3>'),
                *_parent_layout(2),
                legend=legend,
            ),
        ]

    def layout_fields(self) -> list[Any]:
        return [*self.pupil_layout(), *self.parents_layout()]

    # -- validation ---------------------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        dob = data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            self.add_error("date_of_birth", "The pupil's date of birth must be in the past")
        if data.get("parent_2_name") and not data.get("parent_2_phone"):
            self.add_error(
                "parent_2_phone", "Enter an emergency phone number for the second parent or carer"
            )
        for field in (
            "parent_2_relationship",
            "parent_2_phone",
            "parent_2_email",
            "parent_2_address",
        ):
            if data.get(field) and not data.get("parent_2_name"):
                self.add_error("parent_2_name", "Enter the second parent or carer's full name")
                break
        return data

    def parents(self) -> list[dict[str, Any]]:
        """The parents or carers to store with the return."""
        found = []
        for n in (1, 2):
            name = self.cleaned_data.get(f"parent_{n}_name")
            if name:
                found.append(
                    {
                        "name": name,
                        "relationship": self.cleaned_data.get(f"parent_{n}_relationship", ""),
                        "phone": self.cleaned_data.get(f"parent_{n}_phone", ""),
                        "email": self.cleaned_data.get(f"parent_{n}_email", ""),
                        "address": self.cleaned_data.get(f"parent_{n}_address", ""),
                    }
                )
        return found

    def warnings(self) -> list[str]:
        dob: date | None = self.cleaned_data.get("date_of_birth")
        found = []
        if dob and not is_compulsory_school_age(dob, timezone.localdate()):
            start, end = compulsory_school_age(dob)
            found.append(WARNING_DOB_OUTSIDE_CSA.format(start=start, end=end))
        return found

    # -- check your answers -------------------------------------------------------------
    SUMMARY_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def summary(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """(section, [(field name, label, value shown)]) for every answered question."""
        return answers_summary(self)

    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        return [
            ("The pupil", self.PUPIL_FIELDS),
            (
                "First parent or carer",
                tuple(
                    f"parent_1_{f}" for f in ("name", "relationship", "phone", "email", "address")
                ),
            ),
            (
                "Second parent or carer",
                tuple(
                    f"parent_2_{f}" for f in ("name", "relationship", "phone", "email", "address")
                ),
            ),
        ]

    @classmethod
    def summary_of(cls, instance: Any) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """The same summary for a saved return (its detail page)."""
        form = cls(instance=instance, school=instance.school)
        data = {name: form[name].initial for name in form.fields}
        parents = list(instance.parents.all())
        for parent in parents:
            for attr in ("name", "relationship", "phone", "email", "address"):
                data[f"parent_{parent.position}_{attr}"] = getattr(parent, attr)
        form.cleaned_data = data
        # What a CTF gave beyond the answers (BS7666 parts, UPRN, codes, more contacts).
        return [*form.summary(), *structured_sections(instance, parents)]

    def display_value(self, name: str) -> str:
        value = self.cleaned_data.get(name)
        field = self.fields[name]
        if (
            isinstance(field, forms.ModelChoiceField)
            and field.queryset is not None
            and value
            and not hasattr(value, "pk")
        ):
            value = field.queryset.filter(pk=value).first()
        return shown_answer(field, value)
