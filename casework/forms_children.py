"""Forms for merging two records of the same child and undoing a merge."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from casework.services import merge as svc
from cme.forms import gds_helper
from schools.forms.fields import TextField

KEEP_THIS, KEEP_OTHER = "this", "other"


def _reason(label: str) -> TextField:
    return TextField(
        label=label,
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": svc.ERROR_REASON_REQUIRED},
    )


class MergeForm(forms.Form):
    keep = forms.ChoiceField(
        label="Which record do you want to keep?",
        help_text="The other record's cases and chronology move onto the record you keep.",
        choices=[(KEEP_THIS, "This record"), (KEEP_OTHER, "The other record")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the record to keep"},
    )
    reason = _reason("Why are these records the same child?")
    confirm = forms.BooleanField(
        label="I have checked that these two records are the same child",
        error_messages={"required": "Confirm that the two records are the same child"},
    )

    def __init__(
        self, *args: Any, this_label: str = "", other_label: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (KEEP_THIS, this_label or "This record"),
            (KEEP_OTHER, other_label or "The other record"),
        ]
        self.helper = gds_helper(
            Field.radios("keep", legend_size="s"),
            Field.textarea("reason", rows=4),
            Field.checkbox("confirm"),
        )

    def add_service_error(self, message: str) -> None:
        self.add_error("reason" if message == svc.ERROR_REASON_REQUIRED else None, message)


class UnmergeForm(forms.Form):
    reason = _reason("Why are you undoing this merge?")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=4))

    def add_service_error(self, message: str) -> None:
        self.add_error("reason" if message == svc.ERROR_REASON_REQUIRED else None, message)
