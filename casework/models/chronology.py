"""What happened to a child, and when: the chronology's entries."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models

from casework.models.cases import Case
from casework.models.children import Child


class EventKind(models.TextChoices):
    RETURN = "return", "School return"
    REFERRAL = "referral", "Referral received"
    DECISION = "decision", "Triage decision"
    CASE_OPENED = "case_opened", "Case opened"
    ALLOCATED = "allocated", "Allocated"
    ENQUIRY = "enquiry", "Enquiry"
    NOTE = "note", "Note"
    CATEGORY = "category", "Category changed"
    ESCALATED = "escalated", "Escalated"
    INVESTIGATION = "investigation", "Initial investigation completed"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    MERGED = "merged", "Records merged"
    UNMERGED = "unmerged", "Merge undone"
    RESTRICTED = "restricted", "Record restricted"
    UNRESTRICTED = "unrestricted", "Restriction lifted"
    CME_DETAILS = "cme_details", "CME return details changed"
    TRANSFER = "transfer", "Transfer to another local authority"
    # Issue 17 (the ehe app): the EHE register, and the notices and orders served.
    EHE = "ehe", "Home education"
    NOTICE = "notice", "Notice served"


class Event(models.Model):
    """What happened to a child, and when: the chronology is a list of these."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="events")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    occurred_at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["child", "-occurred_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The chronology's heading for the entry: its kind, then its summary, without saying
        the same thing twice. A summary that already says what kind of entry it is ("Closed:
        Moved abroad", "Case CS-1 opened: …", "Note added") is the whole title; any other is
        led by its kind ("Enquiry: Home visit: no answer")."""
        return event_title(self.get_kind_display(), self.summary)


_WORD = re.compile(r"[a-z]+")


def event_title(kind_label: str, summary: str) -> str:
    """``"<kind>: <summary>"``, or the summary alone when every word of the kind's label is
    already a word of it (so nothing is repeated)."""
    said = set(_WORD.findall(summary.lower()))
    if not summary or set(_WORD.findall(kind_label.lower())) <= said:
        return summary or kind_label
    return f"{kind_label}: {summary}"
