"""The three triage decisions as GOV.UK forms. Choices come from the possible matches the
view has already loaded, so a posted id outside them is simply an invalid choice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from casework.matching import Match
from casework.models import Case, Category, Child
from cme.forms import gds_helper
from cme.models import User
from referrals.models import NotCmeReason

NEW_CHILD = "new"
NOTES_MAX_LENGTH = 2000


def _child_label(match: Match) -> str:
    child = match.child
    born = (
        f"born {child.date_of_birth:%-d %B %Y}"
        if child.date_of_birth
        else "date of birth not known"
    )
    return f"{child.full_name}, {born} (match {match.score}%: {'; '.join(match.reasons)})"


def officer_label(officer: User) -> str:
    loads = getattr(officer, "open_cases", None)
    name = officer.full_name or officer.email
    if loads is None:
        return name
    due = getattr(officer, "due_this_week", 0)
    overdue = getattr(officer, "overdue", 0)
    return f"{name}: {loads} open, {due} due this week, {overdue} overdue"


def _radios(label: str, error: str, **kwargs: Any) -> forms.ChoiceField:
    """A radios question with one error message, whether nothing or an unknown value came."""
    return forms.ChoiceField(
        label=label,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
        **kwargs,
    )


class AcceptForm(forms.Form):
    child = _radios(
        "Open the case on",
        "Select a new child record or one of the matched children",
    )
    category = _radios(
        "Category",
        "Select the category",
        choices=Category.choices,
        help_text="CME-WASP: whereabouts known. CME-missing: whereabouts unknown.",
    )

    def __init__(
        self,
        *args: Any,
        matches: Iterable[Match] = (),
        officers: Iterable[User] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "accept")
        super().__init__(*args, **kwargs)
        # A matched child with an open case is a duplicate, not a new case: not offered here.
        self.children: dict[str, Child] = {
            str(m.child.pk): m.child for m in matches if not m.open_cases
        }
        labels = {str(m.child.pk): _child_label(m) for m in matches if not m.open_cases}
        child_field = self.fields["child"]
        assert isinstance(child_field, forms.ChoiceField)  # noqa: S101 - declared above
        child_field.choices = [
            (NEW_CHILD, "A new child record"),
            *labels.items(),
        ]
        self.officers: dict[str, User] = {}
        layout = [Field.radios("child", legend_size="s"), Field.radios("category", legend_size="s")]
        if officers is not None:
            self.officers = {str(o.pk): o for o in officers}
            self.fields["officer"] = forms.ChoiceField(
                label="Allocate to (optional)",
                required=False,
                choices=[("", "Do not allocate now")]
                + [(pk, officer_label(o)) for pk, o in self.officers.items()],
                error_messages={"invalid_choice": "Select an officer from the list"},
            )
            layout.append(Field.select("officer"))
        self.helper = gds_helper(*layout)

    def chosen_child(self) -> Child | None:
        value = self.cleaned_data["child"]
        return None if value == NEW_CHILD else self.children[value]

    def chosen_officer(self) -> User | None:
        value = self.cleaned_data.get("officer") or ""
        return self.officers.get(value)


class NotCmeForm(forms.Form):
    reason = _radios(
        "Why is the child not missing education?",
        "Select why the child is not missing education",
        choices=NotCmeReason.choices,
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Notes must be {NOTES_MAX_LENGTH} characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "notcme")
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.radios("reason", legend_size="s"), Field.textarea("notes"))


class DuplicateForm(forms.Form):
    case = _radios(
        "Duplicate of which open case?",
        "Select the open case this referral duplicates",
    )

    def __init__(self, *args: Any, cases: Iterable[Case] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "duplicate")
        super().__init__(*args, **kwargs)
        self.cases: dict[str, Case] = {str(c.pk): c for c in cases}
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ChoiceField)  # noqa: S101 - declared above
        case_field.choices = [
            (
                pk,
                f"{c.reference}: {c.child.full_name}, {c.get_category_display()}, "
                f"due {c.due_date:%-d %B %Y}",
            )
            for pk, c in self.cases.items()
        ]
        self.helper = gds_helper(Field.radios("case", legend_size="s"))

    def chosen_case(self) -> Case:
        return self.cases[self.cleaned_data["case"]]
