"""The reason an officer gives to open a restricted record, and a manager's to (un)restrict."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from cme.forms import gds_helper
from schools.forms.fields import TextField


class _ReasonForm(forms.Form):
    label = "Reason"
    reason = TextField(
        max_length=2000, widget=forms.Textarea, error_messages={"required": "Enter the reason"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.label
        # The question is the page's heading (GOV.UK "question pages").
        self.helper = gds_helper(Field.textarea("reason", rows=4, label_size="l", label_tag="h1"))


class OpenRestrictedForm(_ReasonForm):
    label = "This record is restricted: why do you need to open it?"


class RestrictForm(_ReasonForm):
    label = "Why?"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page has its own heading; the question is a plain label here.
        self.helper = gds_helper(Field.textarea("reason", rows=4, label_size="m"))
