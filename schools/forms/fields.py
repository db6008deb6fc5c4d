"""Form fields shared by every GOV.UK form in the service."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

from cme.statutory import UPN_LENGTH, upn_check_letter_valid
from cme.text import strip_bidi_controls

# Far-past and far-future dates are typing mistakes, never real events in a child's life.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)

POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class GdsDateField(DateInputField):
    """A GOV.UK date input (day, month, year) that names the field in its error messages.

    ``what`` is the date as the messages name it ("the date of the review"); the label, unless
    given, is the same words ("Date of the review")."""

    def __init__(
        self, *, what: str, label: str | None = None, required: bool = True, **kwargs: Any
    ) -> None:
        self.what = what
        if label is None:
            named = what.removeprefix("the ")
            label = f"{named[0].upper()}{named[1:]}"
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = (
            f"{what[0].upper()}{what[1:]} must include a day, month and year"
        )
        self.error_messages["invalid"] = f"{what[0].upper()}{what[1:]} must be a real date"

    def compress(self, data_list: list[Any]) -> date | None:
        try:
            value: date | None = super().compress(data_list)
        except (ValidationError, OverflowError) as exc:  # a year of 20 digits overflows
            raise ValidationError(
                f"{self.what[0].upper()}{self.what[1:]} must be a real date", code="invalid"
            ) from exc
        if value is not None and not (EARLIEST_DATE <= value <= LATEST_DATE):
            raise ValidationError(
                f"{self.what[0].upper()}{self.what[1:]} must be between "
                f"{EARLIEST_DATE.year} and {LATEST_DATE.year}",
                code="out_of_range",
            )
        return value


def clean_text(value: str) -> str:
    """Strip control characters that have no place in a record (and break CSV exports), and
    the bidirectional controls that reverse what is shown (every name field is a TextField)."""
    return strip_bidi_controls(CONTROL_CHARS_RE.sub("", value)).strip()


class TextField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return clean_text(super().to_python(value) or "")


EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


def optional_email(label: str = "Email address (optional)") -> forms.EmailField:
    return forms.EmailField(label=label, required=False, error_messages={"invalid": EMAIL_INVALID})


class CodeField(forms.CharField):
    """A code typed in any case and spacing (a postcode, a UPN, an NHS number): upper-cased and
    its ``separators`` taken out before ``check`` reads it; blank is "" (the field's
    ``required`` says whether blank is allowed)."""

    separators = re.compile(r"\s+")

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        return self.check(self.separators.sub("", str(value).upper()))

    def check(self, code: str) -> str:
        """The code as stored, or a ValidationError."""
        raise NotImplementedError


class PostcodeField(CodeField):
    default_error_messages = {"invalid": "Enter a real postcode, like AB1 2CD"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "postal-code"}))
        super().__init__(**kwargs)

    def check(self, code: str) -> str:
        if not POSTCODE_RE.match(code):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return f"{code[:-3]} {code[-3:]}"


class UpnField(CodeField):
    """The DfE unique pupil number: 13 characters, the first a check letter."""

    default_error_messages = {
        "invalid": "Enter a UPN of 13 characters, like A123456789012",
        "check_letter": "The UPN's check letter does not match: check it against the admission register",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Unique pupil number (UPN) (optional)")
        super().__init__(**kwargs)

    def check(self, upn: str) -> str:
        if len(upn) != UPN_LENGTH or not upn[1:12].isdigit() or not upn[0].isalpha():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not upn_check_letter_valid(upn):
            raise ValidationError(self.error_messages["check_letter"], code="check_letter")
        return upn


class YesNoField(forms.TypedChoiceField):
    """A yes/no question as GOV.UK radios (a lone checkbox is not a question)."""

    def __init__(self, *, label: str, required_message: str, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            choices=[("yes", "Yes"), ("no", "No")],
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
            error_messages={"required": required_message},
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value
