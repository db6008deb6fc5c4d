"""The notice route's forms: serve a notice, record the parent's answer."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from cme.forms import gds_helper, radios
from ehe import rules
from ehe.forms import EheForm, _notes
from ehe.models import Answer, NoticeKind
from ehe.services import notices as svc
from schools.forms.fields import GdsDateField
from schools.forms.school_picker import SchoolChoiceField, SchoolSearchStep

SCHOOL_HINT = "Start typing the school's name, or enter its URN, postcode or town"


def _school(label: str, *, required: bool = False) -> SchoolChoiceField:
    return SchoolChoiceField(label=label, required=required, help_text=SCHOOL_HINT)


class NoticeForm(SchoolSearchStep, EheForm):
    """One form for every notice; the kind decides which questions it asks."""

    served_on = GdsDateField(
        what="the date of service",
        label="Date served",
        help_text="The day it was handed over, or would arrive in the ordinary course of post",
    )
    period_days = forms.IntegerField(
        label="Days the parent has to satisfy the authority",
        help_text="At least 15, counting the day of service (section 437(2))",
        min_value=rules.S437_MIN_DAYS,
        max_value=366,
        error_messages={
            "required": "Enter the number of days",
            "invalid": "Enter the number of days as a number, like 15",
            "min_value": rules.ERROR_S437_TOO_SHORT,
            "max_value": "Enter a period of 366 days or fewer",
        },
    )
    school = _school("School to name")
    alternative_1 = _school("A suitable alternative school (optional)")
    alternative_2 = _school("Another suitable alternative school (optional)")
    details = _notes("Anything else the letter should say")

    error_fields = {svc.ERROR_SCHOOL: "school", svc.ERROR_SAME_SCHOOL: "school"}

    #: The questions each kind asks (besides the date and the details).
    QUESTIONS: dict[str, tuple[str, ...]] = {
        NoticeKind.S437_1: ("period_days",),
        NoticeKind.INTENTION: ("school", "alternative_1", "alternative_2"),
        NoticeKind.ORDER: ("school",),
        NoticeKind.AMENDMENT: ("school",),
    }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(*args, **kwargs)
        asked = self.QUESTIONS.get(kind, ())
        for name in ("period_days", "school", "alternative_1", "alternative_2"):
            if name not in asked:
                del self.fields[name]
        if kind in (NoticeKind.INTENTION, NoticeKind.AMENDMENT):
            self.fields["school"].required = True
            self.fields["school"].error_messages["required"] = svc.ERROR_SCHOOL
        if kind == NoticeKind.ORDER:
            self.fields["school"].label = "School to name, if not the one already given"
        if kind == NoticeKind.REVOCATION:
            self.fields["details"].label = "Why the order is revoked"
            self.fields["details"].required = True
            self.fields["details"].error_messages["required"] = svc.ERROR_REASON
        self.helper = gds_helper(*self.layout())

    def layout(self) -> list[Any]:
        fields: list[Any] = [Field("served_on")]
        if "period_days" in self.fields:
            fields.append(Field.text("period_days", field_width=3))
        fields += [
            Field(name)
            for name in ("school", "alternative_1", "alternative_2")
            if name in self.fields
        ]
        fields.append(Field.textarea("details", rows=4))
        return fields

    def alternatives(self) -> list[Any]:
        names = ("alternative_1", "alternative_2")
        return [self.cleaned_data[n] for n in names if self.cleaned_data.get(n)]


class AnswerForm(SchoolSearchStep, EheForm):
    answer = radios("What happened?", error="Select what happened", unknown_error=True)
    answered_on = GdsDateField(what="the date")
    school = _school("The school the parent chose (if they chose one)")
    details = _notes("Details")

    error_fields = {svc.ERROR_SCHOOL: "school", svc.ERROR_ALREADY_ANSWERED: "answer"}

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = svc.ANSWERS.get(NoticeKind(kind), ())
        answer = self.fields["answer"]
        assert isinstance(answer, forms.ChoiceField)  # noqa: S101 - declared above
        answer.choices = [(a.value, a.label) for a in allowed]
        if Answer.CHOSE_SCHOOL not in allowed:
            del self.fields["school"]
        self.helper = gds_helper(*self.layout())

    def layout(self) -> list[Any]:
        return [
            Field.radios("answer", legend_size="s"),
            Field("answered_on"),
            *([Field("school")] if "school" in self.fields else []),
            Field.textarea("details", rows=4),
        ]
