"""A review of a part-time timetable: regulation 11(6), attendance code C2.

"Working together to improve school attendance" (2024): a part-time timetable is reviewed
regularly; the LA is told at each review. See `schools.forms.part_time` for the timetable.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import ConditionalQuestion, Field
from django import forms
from django.http import QueryDict
from django.utils import timezone

from cme.forms import gds_helper, radios
from schools.forms.base import forget_answer
from schools.forms.fields import GdsDateField, YesNoField
from schools.forms.part_time import (
    ERROR_REVIEW_DATE_ON_CLOSED_DAY,
    HoursField,
    notes_field,
    radio_choices,
)
from schools.models import PartTimeTimetable, ReviewOutcome, TimetableReview
from schools.selectors import school_closed_on

ERROR_REVIEW_PAGE_OUT_OF_DATE = (
    "This page is out of date. Check the timetable's details above, then save your review again."
)


def form_with_version(form: TimetableReviewForm, version: int) -> None:
    """Re-show ``form`` as typed, on the timetable's current version (after a stale save)."""
    data = QueryDict(mutable=True)
    for key in form.data:
        data.setlist(
            key, form.data.getlist(key) if isinstance(form.data, QueryDict) else [form.data[key]]
        )
    data["version"] = str(version)
    form.data = data


class TimetableReviewForm(forms.ModelForm[TimetableReview]):
    """One review of a part-time timetable. What it asks next depends on the outcome."""

    review_date = GdsDateField(what="the date of the review", help_text="For example, 20 11 2026")
    outcome = radios(
        "What was decided at the review?",
        ReviewOutcome.choices,
        error="Select what was decided at the review",
    )
    # Revealed under "Continue with changes".
    hours_per_week = HoursField(
        label="New hours a week in school (optional)",
        required=False,
        help_text="Leave blank if the hours are not changing",
    )
    planned_end_date = GdsDateField(
        what="the new planned end date",
        required=False,
        label="New planned end date (optional)",
        help_text="Leave blank if the end date is not changing",
    )
    next_review_date = GdsDateField(what="the date of the next review", required=False)
    # Revealed under "Continue as agreed": a field can be shown in one reveal only.
    continue_next_review_date = GdsDateField(what="the date of the next review", required=False)
    parent_agreed = YesNoField(
        label="Does the parent agree with what was decided?",
        required_message="Select yes if the parent agrees with what was decided",
    )
    notes = notes_field("Notes", help_text="What was discussed, and what will happen next")
    # The reviews the page was opened on (schools.services.timetable_version): a review
    # saved by someone else since is not silently overridden (issue 12).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # The dates on a closed day the person was shown and kept (ISO, comma-separated; issue 12).
    confirmed_dates = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    DATE_FIELDS = ("review_date", "continue_next_review_date", "next_review_date")

    CHANGED_FIELDS = ("hours_per_week", "planned_end_date", "next_review_date")
    CONTINUE_FIELDS = ("continue_next_review_date",)

    class Meta:
        model = TimetableReview
        fields = (
            "review_date",
            "outcome",
            "hours_per_week",
            "planned_end_date",
            "next_review_date",
            "parent_agreed",
            "notes",
        )

    def __init__(self, *args: Any, timetable: PartTimeTimetable, **kwargs: Any) -> None:
        from schools.services import timetable_version

        self.timetable = timetable
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = timetable_version(timetable)
        #: Dates on a day the school is closed, asked about on this showing of the form.
        self.dates_to_confirm: list[str] = []
        self.helper = gds_helper(
            Field("review_date"),
            radio_choices(
                "outcome",
                ReviewOutcome.choices,
                {
                    ReviewOutcome.CONTINUE: ConditionalQuestion(
                        ReviewOutcome.CONTINUE.label, Field("continue_next_review_date")
                    ),
                    ReviewOutcome.CHANGED: ConditionalQuestion(
                        ReviewOutcome.CHANGED.label,
                        Field.text("hours_per_week", field_width=5),
                        Field("planned_end_date"),
                        Field("next_review_date"),
                    ),
                },
            ),
            Field.radios("parent_agreed", legend_size="s", inline=True),
            Field.textarea("notes", rows=4),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("version") is None:
            # Not sent from this page (the hidden field is always there): refuse to guess.
            self.errors.pop("version", None)
            self.add_error(None, ERROR_REVIEW_PAGE_OUT_OF_DATE)
        reviewed = self._clean_review_date(data.get("review_date"))

        outcome = data.get("outcome")
        # Only the questions revealed under the chosen outcome count: answers typed under
        # another outcome and then hidden must not change the timetable.
        reveals: dict[str, tuple[str, ...]] = {
            ReviewOutcome.CHANGED: self.CHANGED_FIELDS,
            ReviewOutcome.CONTINUE: self.CONTINUE_FIELDS,
        }
        revealed = reveals.get(outcome or "", ())
        for name in (*self.CHANGED_FIELDS, *self.CONTINUE_FIELDS):
            if name not in revealed:
                forget_answer(self, data, name)
        if outcome == ReviewOutcome.CONTINUE:
            data["next_review_date"] = data.get("continue_next_review_date")
            self._check_next_review(
                "continue_next_review_date", reviewed, self.timetable.planned_end_date
            )
        elif outcome == ReviewOutcome.CHANGED:
            self._clean_changes(data, reviewed)

        self._check_closed_days(data)

        # A timetable that goes on must still be agreed with the parent; ending it needs no
        # agreement (full-time education is every pupil's entitlement).
        if outcome in (ReviewOutcome.CONTINUE, ReviewOutcome.CHANGED) and (
            data.get("parent_agreed") is False
        ):
            self.add_error(
                "parent_agreed",
                "A part-time timetable can only continue if the parent agrees to it",
            )
        return data

    def _clean_review_date(self, reviewed: date | None) -> date | None:
        """The date of the review if it can be: not in the future, nor before the timetable
        started or the last review. None if it is not given or is refused."""
        if not reviewed:
            return reviewed
        timetable = self.timetable
        last = timetable.reviews.order_by("-review_date").first()
        if reviewed > timezone.localdate():
            self.add_error("review_date", "The date of the review must be today or in the past")
        elif reviewed < timetable.start_date:
            self.add_error(
                "review_date",
                "The date of the review must be on or after the "
                f"day the timetable started, {timetable.start_date:%-d %B %Y}",
            )
        elif last is not None and reviewed < last.review_date:
            self.add_error(
                "review_date",
                "The date of the review must be on or after the "
                f"last review, {last.review_date:%-d %B %Y}",
            )
        else:
            return reviewed
        return None

    def _clean_changes(self, data: dict[str, Any], reviewed: date | None) -> None:
        """'Changed': new hours or a new end (after the review), and the next review."""
        new_end: date | None = data.get("planned_end_date")
        if (
            data.get("hours_per_week") is None
            and new_end is None
            and not {"hours_per_week", "planned_end_date"} & set(self.errors)
        ):
            self.add_error(
                "hours_per_week",
                "Enter the new hours a week or the new planned "
                "end date, or select 'Continue as agreed'",
            )
        if new_end and reviewed and new_end <= reviewed:
            self.add_error(
                "planned_end_date", "The new planned end date must be after the date of the review"
            )
            new_end = None
        self._check_next_review(
            "next_review_date", reviewed, new_end or self.timetable.planned_end_date
        )

    def _check_closed_days(self, data: dict[str, Any]) -> None:
        """A review on Christmas Day or a closure day is most likely a slip: ask once, and
        keep the date if the person sends the same date again (it is in ``confirmed_dates``)."""
        confirmed = set((data.get("confirmed_dates") or "").split(","))
        asked: set[date] = set()
        for name in self.DATE_FIELDS:
            day: date | None = data.get(name)
            # next_review_date repeats continue_next_review_date under "Continue as agreed".
            if day is None or name in self.errors or day in asked:
                continue
            asked.add(day)
            why = school_closed_on(self.timetable.school, day)
            if why:
                self.dates_to_confirm.append(day.isoformat())
                if day.isoformat() not in confirmed:
                    self.add_error(name, ERROR_REVIEW_DATE_ON_CLOSED_DAY.format(day=day, why=why))

    def _check_next_review(self, name: str, reviewed: date | None, end: date) -> None:
        value: date | None = self.cleaned_data.get(name)
        if name in self.errors:
            return
        if value is None:
            self.add_error(name, "Enter the date of the next review")
        elif reviewed and value <= reviewed:
            self.add_error(name, "The date of the next review must be after the date of the review")
        elif value > end:
            self.add_error(
                name,
                "The date of the next review must be on or before the planned "
                f"end date, {end:%-d %B %Y}",
            )
