"""The three triage decisions as GOV.UK forms. Choices come from the possible matches the
view has already loaded, so a posted id outside them is simply an invalid choice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import ConditionalQuestion, Field
from django import forms

from casework.forms_reason import primary_reason_field, reasons_in_use
from casework.matching import Match
from casework.models import Case, Category, Child
from casework.services.triage import ERROR_TWIN_REASON_REQUIRED
from cme.forms import gds_helper, offer_rows, radios
from cme.models import User
from referrals.models import NotCmeReason
from schools.forms.fields import TextField
from schools.forms.layout import Radios

NEW_CHILD = "new"
NOTES_MAX_LENGTH = 2000
#: Shown beside a candidate who may be a twin or sibling (and on the triage page's table).
TWIN_OR_SIBLING = "Possible twin or sibling"


def _child_label(match: Match) -> str:
    child = match.child
    born = (
        f"born {child.date_of_birth:%-d %B %Y}"
        if child.date_of_birth
        else "date of birth not known"
    )
    # The record number keeps two children of the same name apart (and the reveals, which
    # crispy-forms-gds matches to their radio by label).
    return (
        f"{child.full_name} (record {child.pk}), {born} "
        f"(match {match.score}%: {'; '.join(match.reasons)})"
    )


def _child_choice(match: Match) -> Choice:
    if not match.possible_twin_or_sibling:
        return Choice(str(match.child.pk), _child_label(match))
    return Choice(
        str(match.child.pk),
        _child_label(match),
        hint=f"{TWIN_OR_SIBLING}. What differs: {'; '.join(match.differs)}",
    )


def twin_reason_field_name(child_pk: int | str) -> str:
    return f"reason_{child_pk}"


def officer_label(officer: User) -> str:
    loads = getattr(officer, "open_cases", None)
    name = officer.full_name or officer.email
    if loads is None:
        return name
    due = getattr(officer, "due_this_week", 0)
    overdue = getattr(officer, "overdue", 0)
    return f"{name}: {loads} open, {due} due this week, {overdue} overdue"


class AcceptForm(forms.Form):
    child = radios(
        "Open the case on",
        error="Select a new child record or one of the matched children",
        unknown_error=True,
    )
    category = radios(
        "Category",
        Category.choices,
        error="Select the category",
        unknown_error=True,
        help_text="CME-WASP: whereabouts known. CME-missing: whereabouts unknown.",
    )
    # Issue 15: the DfE's primary reason, a required choice when a case is accepted.
    primary_reason = primary_reason_field()

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
        offered = [m for m in matches if not m.open_cases]
        self.children: dict[str, Child] = {str(m.child.pk): m.child for m in offered}
        # No choice is made for the officer (no initial): above all never a possible twin
        # or sibling, who is linked only with a reason typed under it.
        self.flagged: set[str] = {str(m.child.pk) for m in offered if m.possible_twin_or_sibling}
        choices = [Choice(NEW_CHILD, "A new child record"), *map(_child_choice, offered)]
        child_field = self.fields["child"]
        assert isinstance(child_field, forms.ChoiceField)  # noqa: S101 - declared above
        child_field.choices = choices
        reveals: dict[str, ConditionalQuestion] = {}
        for choice in choices:
            pk = str(choice.value)
            if pk not in self.flagged:
                continue
            name = twin_reason_field_name(pk)
            self.fields[name] = TextField(
                label="Why are you sure this is the same child and not a twin or sibling?",
                help_text="For example, the school confirmed the name was misspelt",
                required=False,
                max_length=NOTES_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": f"The reason must be {NOTES_MAX_LENGTH} characters or fewer"
                },
            )
            reveals[pk] = ConditionalQuestion(str(choice.label), Field.textarea(name, rows=3))
        self.officers: dict[str, User] = {}
        layout = [
            Radios(
                "child",
                *[reveals.get(str(c.value), str(c.label)) for c in choices],
                legend_size="s",
            ),
            Field.radios("category", legend_size="s"),
            Field.select("primary_reason"),
        ]
        # This year's list, read for each form (the class's field keeps its first rows).
        offer_rows(self, "primary_reason", reasons_in_use())
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = data.get("child") or ""
        name = twin_reason_field_name(value)
        # A reason refused already (too long) says so once, not also "enter a reason".
        if value in self.flagged and name not in self.errors and not data.get(name):
            self.add_error(name, ERROR_TWIN_REASON_REQUIRED)
        return data

    def chosen_child(self) -> Child | None:
        value = self.cleaned_data["child"]
        return None if value == NEW_CHILD else self.children[value]

    def twin_or_sibling_reason(self) -> str:
        """The reason typed under the chosen child ('' for any other choice)."""
        value = self.cleaned_data["child"]
        return str(self.cleaned_data.get(twin_reason_field_name(value)) or "")

    def add_service_error(self, message: str) -> None:
        """The service's "why is this the same child" error goes under the chosen child."""
        value = (self.cleaned_data or {}).get("child") or ""
        if message == ERROR_TWIN_REASON_REQUIRED and value in self.flagged:
            self.add_error(twin_reason_field_name(value), message)
        else:
            self.add_error(None, message)

    def chosen_officer(self) -> User | None:
        value = self.cleaned_data.get("officer") or ""
        return self.officers.get(value)


class NotCmeForm(forms.Form):
    reason = radios(
        "Why is the child not missing education?",
        NotCmeReason.choices,
        error="Select why the child is not missing education",
        unknown_error=True,
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
    case = radios(
        "Duplicate of which open case?",
        error="Select the open case this referral duplicates",
        unknown_error=True,
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
