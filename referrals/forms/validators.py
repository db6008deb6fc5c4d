"""The NHS number: its check digit and its form field."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from schools.forms.fields import CodeField

ERROR_NHS_FORMAT = "Enter an NHS number of 10 digits, like 943 476 5919"
ERROR_NHS_CHECK = "The NHS number is not valid: check it and enter it again"

#: An NHS number is 10 digits, the last a modulus 11 check digit (NHS Data Dictionary).
NHS_NUMBER_LENGTH = 10
MODULUS = 11


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10 to 2 over the first nine digits."""
    # isascii() too: "²".isdigit() is True but int("²") raises.
    if len(digits) != NHS_NUMBER_LENGTH or not (digits.isascii() and digits.isdigit()):
        return False
    total = sum(int(d) * (NHS_NUMBER_LENGTH - i) for i, d in enumerate(digits[:9]))
    check = MODULUS - total % MODULUS
    if check == MODULUS:
        check = 0
    if check == NHS_NUMBER_LENGTH:  # a remainder giving 10 is never issued
        return False
    return check == int(digits[9])


class NhsNumberField(CodeField):
    separators = re.compile(r"[\s-]+")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "NHS number (optional)")
        kwargs.setdefault("help_text", "10 digits, for example 943 476 5919")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def check(self, digits: str) -> str:
        if len(digits) != NHS_NUMBER_LENGTH or not (digits.isascii() and digits.isdigit()):
            raise ValidationError(ERROR_NHS_FORMAT, code="invalid")
        if not nhs_number_valid(digits):
            raise ValidationError(ERROR_NHS_CHECK, code="check_digit")
        return digits
