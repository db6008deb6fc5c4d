"""The referral form (SR1a-style): one form for every door, the public one with two extras."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import HTML, Field, Fieldset
from django import forms
from django.utils import timezone

from cme.forms import gds_helper, section
from referrals.forms.questions import (
    ERROR_DOB_FUTURE,
    ERROR_IDENTIFY_CHILD,
    ERROR_LAST_ATTENDED_FUTURE,
    ERROR_PARENT_NAME,
    ERROR_REFERRER_ADDRESS,
    ERROR_REFERRER_CONTACT,
    ERROR_REFERRER_NAME,
    ERROR_SIBLING_NAME,
    FLAGS,
    PERSON_FIELDS,
    SIBLING_FIELDS,
    ReferralQuestions,
)
from referrals.models import Referral, ReferralPerson, address_lines
from schools.forms.base import (
    address_layout,
    answers_summary,
    birth_layout,
    names_layout,
    shown_answer,
)
from schools.forms.school_picker import SchoolSearchStep
from schools.models import School

#: A referrer's postal address: the street, the town and the postcode at least.
MIN_ADDRESS_LINES = 2


def referrer_fieldset(legend: str, *after_type: Any) -> Fieldset:
    """Who is referring: their type (then `after_type`), name, organisation and contact."""
    return section(
        Field.radios("referrer_type", legend_size="s"),
        *after_type,
        Field.text("referrer_name", field_width=20),
        Field.text("referrer_organisation", field_width=20),
        Field.text("referrer_relationship", field_width=20),
        Field.text("referrer_email", field_width=20),
        Field.text("referrer_phone", field_width=20),
        Field.textarea("referrer_address"),
        legend=legend,
    )


def _sibling_layout(n: int) -> list[Any]:
    return [
        Field.text(f"sibling_{n}_name", field_width=20),
        Field(f"sibling_{n}_date_of_birth"),
        Field.text(f"sibling_{n}_school", field_width=20),
    ]


class ReferralForm(SchoolSearchStep, ReferralQuestions):
    """Tell us about a child who may be missing education.

    `summary()` gives the check-your-answers rows (as ReturnForm.summary does); `referral()`
    the unsaved Referral and `people()` its parents/carers and siblings.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["last_school"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = School.objects.in_area().order_by("name")
        self.helper = gds_helper(*self.layout_fields())

    # -- layout -------------------------------------------------------------------------
    def referrer_layout(self) -> list[Any]:
        return [referrer_fieldset("About you")]

    def child_layout(self) -> list[Any]:
        return [
            section(
                HTML(
                    '<p class="govuk-body">Tell us as much as you know. We need at least the '
                    "child's name, their address or the last school they went to.</p>"
                ),
                *names_layout("first_name", "last_name", "other_names"),
                *birth_layout(),
                Field.text("nhs_number", field_width=10),
                legend="The child",
            ),
            address_layout("Where the child lives, or last lived", Field.text("previous_address")),
            section(
                Field("last_school"),
                Field.text("last_school_name", field_width=20),
                Field("date_last_attended"),
                legend="The child's last school",
            ),
        ]

    def people_layout(self) -> list[Any]:
        return [
            section(
                HTML('<h3 class="govuk-heading-s">First parent or carer</h3>'),
                *[Field.text(f"parent_1_{f}", field_width=20) for f in PERSON_FIELDS],
                HTML('<h3 class="govuk-heading-s">Second parent or carer</h3>'),
                *[Field.text(f"parent_2_{f}", field_width=20) for f in PERSON_FIELDS],
                legend="Parents or carers (optional)",
            ),
            section(
                HTML('<h3 class="govuk-heading-s">First brother or sister</h3>'),
                *_sibling_layout(1),
                HTML('<h3 class="govuk-heading-s">Second brother or sister</h3>'),
                *_sibling_layout(2),
                legend="Brothers and sisters (optional)",
            ),
        ]

    def why_layout(self) -> list[Any]:
        return [
            section(
                Field.checkboxes("reasons", legend_size="s", small=True),
                Field.checkboxes("flags", legend_size="s", small=True),
                Field.textarea("enquiries_made"),
                Field.radios("parent_knows", legend_size="s"),
                Field.textarea("details"),
                legend="Why you are worried",
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
        address = data.get("referrer_address") or ""
        # GOV.UK Notify posts only to 3 lines or more: the name, then at least two of these.
        if (
            address
            and len(address_lines(address)) < MIN_ADDRESS_LINES
            and "referrer_address" not in self.errors
        ):
            self.add_error("referrer_address", ERROR_REFERRER_ADDRESS)
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
        return answers_summary(self)

    def display_value(self, name: str) -> str:
        # Several choices one a line: the summary list shows line breaks.
        return shown_answer(self.fields[name], self.cleaned_data.get(name), "\n")
