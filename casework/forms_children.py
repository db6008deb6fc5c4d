"""Forms for merging two records of the same child and undoing a merge."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from casework.services import merge as svc
from cme.forms import gds_helper, radios
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
    keep = radios(
        "Which record do you want to keep?",
        [(KEEP_THIS, "This record"), (KEEP_OTHER, "The other record")],
        error="Select the record to keep",
        help_text="The other record's cases and chronology move onto the record you keep.",
    )
    reason = _reason("Why are these records the same child?")
    confirm = forms.BooleanField(
        label="I have checked that these two records are the same child",
        error_messages={"required": "Confirm that the two records are the same child"},
    )

    def __init__(
        self,
        *args: Any,
        this_label: str = "",
        other_label: str = "",
        twin_or_sibling: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (KEEP_THIS, this_label or "This record"),
            (KEEP_OTHER, other_label or "The other record"),
        ]
        layout = [Field.radios("keep", legend_size="s"), Field.textarea("reason", rows=4)]
        if twin_or_sibling:
            # A pair that may be twins or siblings (casework.twins): a second, explicit
            # answer, so that "same child" is never the default reading of a likeness.
            self.fields["twin_or_sibling_reason"] = TextField(
                label="These records may be twins or siblings. What shows they are one child?",
                help_text="For example, the same UPN, or the school confirmed the other "
                "first name is a spelling mistake",
                max_length=2000,
                widget=forms.Textarea,
                error_messages={"required": svc.ERROR_TWIN_REASON_REQUIRED},
            )
            layout.append(Field.textarea("twin_or_sibling_reason", rows=4))
            self.fields[
                "confirm"
            ].label = (
                "I have checked that these two records are the same child, not twins or siblings"
            )
        layout.append(Field.checkbox("confirm"))
        self.helper = gds_helper(*layout)

    def add_service_error(self, message: str) -> None:
        fields = {
            svc.ERROR_REASON_REQUIRED: "reason",
            svc.ERROR_TWIN_REASON_REQUIRED: "twin_or_sibling_reason",
        }
        name = fields.get(message)
        self.add_error(name if name in self.fields else None, message)


class UnmergeForm(forms.Form):
    reason = _reason("Why are you undoing this merge?")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=4))

    def add_service_error(self, message: str) -> None:
        self.add_error("reason" if message == svc.ERROR_REASON_REQUIRED else None, message)
