"""New pupil (joiner) return: regulation 13(1)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django.utils import timezone

from cme.forms import section
from schools.forms.base import ReturnForm, text
from schools.forms.fields import GdsDateField
from schools.forms.school_picker import SchoolChoiceField, SchoolSearchStep
from schools.models import JoinerReturn

WARNING_LATE = (
    "This return is late: it was due by the end of {due:%-d %B %Y}, the 5th day after the pupil "
    "was entered on the admission register. It will be recorded as late."
)


#: The return's own questions, in the order the form and check page show them.
ADMISSION_FIELDS = (
    "admission_date",
    "year_group",
    "previous_school",
    "previous_school_name",
    "previous_school_la",
)


class JoinerReturnForm(SchoolSearchStep, ReturnForm):
    admission_date = GdsDateField(
        what="the date the pupil was entered on the admission register",
        label="Date entered on the admission register",
        help_text="For example, 3 9 2026",
    )
    year_group = text(
        "year_group",
        "Year group",
        required=False,
        max_length=20,
        help_text="For example, Reception or Year 7",
    )
    previous_school = SchoolChoiceField(
        required=False,
        label="Previous school in this directory (optional)",
        help_text="Start typing the school's name, or enter its URN, postcode or town",
    )
    previous_school_name = text(
        "previous_school_name",
        "Previous school's name, if not in the list",
        required=False,
        max_length=200,
    )
    previous_school_la = text(
        "previous_school_la", "Previous school's local authority", required=False, max_length=100
    )

    class Meta(ReturnForm.Meta):
        model = JoinerReturn
        fields = (*ReturnForm.Meta.fields, *ADMISSION_FIELDS)

    def layout_fields(self) -> list[Any]:
        return [
            *self.pupil_layout(),
            section(
                Field("admission_date"),
                Field.text("year_group", field_width=10),
                Field("previous_school"),
                Field.text("previous_school_name"),
                Field.text("previous_school_la", field_width=20),
                legend="Admission",
            ),
            *self.parents_layout(),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        admitted = data.get("admission_date")
        if admitted and admitted > timezone.localdate():
            self.add_error(
                "admission_date",
                "The date entered on the admission register must be today or in the past",
            )
        if data.get("previous_school") and data.get("previous_school_name"):
            self.add_error(
                "previous_school_name",
                "Either select the previous school from the list or type its name, not both",
            )
        return data

    def warnings(self) -> list[str]:
        from schools.services import joiner_is_late

        found = super().warnings()
        admitted = self.cleaned_data.get("admission_date")
        if admitted and joiner_is_late(admitted, timezone.localdate()):
            from datetime import timedelta

            from django.conf import settings

            found.append(
                WARNING_LATE.format(due=admitted + timedelta(days=settings.CME_JOINER_RETURN_DAYS))
            )
        return found

    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        sections = super().summary_sections()
        sections.insert(1, ("Admission", ADMISSION_FIELDS))
        return sections
