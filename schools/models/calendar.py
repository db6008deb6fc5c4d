"""Term dates and closure (INSET) days. School days are counted on these (DOMAIN.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from cme.models import Audited
from schools.models.directory import School


class Term(Audited):
    """A term. With no school it is the LA's term; a school with terms of its own (an academy
    that sets its own dates) uses only its own."""

    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="terms",
        help_text="Leave blank for the local authority's term dates",
    )
    name = models.CharField(max_length=60, help_text="For example, Autumn 2026")
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="term_ends_after_start"),
        ]
        indexes = [models.Index(fields=["school", "start"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d %b %Y} to {self.end:%d %b %Y})"


class Closure(Audited):
    """A day a school (or, with no school, every school in the LA) does not meet in term."""

    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text="Leave blank for a closure of every school",
    )
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
