"""Term dates and closure (INSET) days. School days are counted on these (DOMAIN.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cme.models import Audited
from cme.models_base import not_before
from schools.models.directory import School


def _school_or_la_wide(
    related_name: str, help_text: str
) -> models.ForeignKey[School | None, School | None]:
    """The school a row is for; none: the row applies to every school in the LA."""
    return models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=related_name,
        help_text=help_text,
    )


class Term(Audited):
    """A term. With no school it is the LA's term; a school with terms of its own (an academy
    that sets its own dates) uses only its own."""

    school = _school_or_la_wide("terms", "Leave blank for the local authority's term dates")
    name = models.CharField(max_length=60, help_text="For example, Autumn 2026")
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["start"]
        constraints = [
            not_before("end", "start", "term_ends_after_start"),
        ]
        indexes = [models.Index(fields=["school", "start"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d %b %Y} to {self.end:%d %b %Y})"


class Closure(Audited):
    """A day a school (or, with no school, every school in the LA) does not meet in term."""

    school = _school_or_la_wide("closures", "Leave blank for a closure of every school")
    date = models.DateField()
    reason = models.CharField(max_length=120, default="INSET day")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="closure_unique_per_school"),
            # NULLs never compare equal, so LA-wide closures need their own rule.
            models.UniqueConstraint(
                fields=["date"], condition=Q(school__isnull=True), name="closure_unique_la_wide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y}: {self.reason}"
