"""The two attendance returns: part-time timetables (regulation 11(6), code C2) and their
reviews, and continuous-absence notifications (regulation 9(1)(h) and (i)). Each is a kind of
``SchoolReturn`` (schools.models.returns)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from cme.models import Audited
from cme.models_base import implies, not_before
from schools.models.returns import SchoolReturn


class PartTimeReason(models.TextChoices):
    MEDICAL = "medical", "Medical or health needs"
    REINTEGRATION = "reintegration", "Reintegration after long absence"
    SEMH = "semh", "Social, emotional or mental health needs"
    SEN = "sen", "Special educational needs (awaiting provision)"
    OTHER = "other", "Other"


class PartTimeTimetable(SchoolReturn):
    """Regulation 11(6), code C2: agreed with the parent, time-limited, reviewed regularly."""

    start_date = models.DateField()
    planned_end_date = models.DateField()
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    reason = models.CharField(max_length=16, choices=PartTimeReason.choices)
    reason_details = models.TextField(blank=True)
    parent_agreed = models.BooleanField(default=False)
    parent_agreed_date = models.DateField(null=True, blank=True)
    next_review_date = models.DateField()
    social_worker_involved = models.BooleanField(default=False)
    has_ehcp = models.BooleanField("has an EHCP", default=False)
    ended_on = models.DateField(null=True, blank=True)
    # Set by the part-time-reviews job (issue 4): the review or end date last reminded, so
    # that a review that moves the date re-arms the reminder.
    review_reminded_on = models.DateField(null=True, blank=True)
    end_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            not_before("planned_end_date", "start_date", "timetable_ends_after_start"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lt=32.5),
                name="timetable_hours_part_time",
            ),
        ]


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue as agreed"
    CHANGED = "changed", "Continue with changes"
    ENDED = "ended", "Ended: back to a full-time timetable"


class TimetableReview(Audited):
    timetable = models.ForeignKey(
        PartTimeTimetable, on_delete=models.CASCADE, related_name="reviews"
    )
    review_date = models.DateField()
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    planned_end_date = models.DateField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    parent_agreed = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-review_date", "-id"]


class AbsenceType(models.TextChoices):
    UNAUTHORISED = "unauthorised", "Unauthorised absence"
    AFTER_LEAVE = "after_leave", "Has not returned after authorised leave of absence"


class Whereabouts(models.TextChoices):
    KNOWN = "known", "We know where the pupil is"
    UNKNOWN = "unknown", "We do not know where the pupil is"


class AbsenceNotification(SchoolReturn):
    """Continuous absence: regulation 9(1)(h) (10 school days after leave) and (i) (20 days)."""

    first_day_of_absence = models.DateField()
    absence_type = models.CharField(max_length=14, choices=AbsenceType.choices)
    leave_end_date = models.DateField(null=True, blank=True)
    last_contact_date = models.DateField(null=True, blank=True)
    last_contact_details = models.TextField(blank=True)
    whereabouts = models.CharField(max_length=8, choices=Whereabouts.choices)
    enquiries = models.JSONField(default=list, blank=True)
    enquiry_notes = models.TextField(blank=True)
    # Set by the continuous-absence job (issue 4).
    threshold_reached_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            implies(
                Q(absence_type="after_leave"),
                Q(leave_end_date__isnull=False),
                "absence_after_leave_has_leave_end",
            ),
        ]


# Kept at module level so that forms, views and the demo data use one list.
SCHOOL_ENQUIRY_CHOICES = [
    ("phone", "Phoned the parents or carers"),
    ("email_letter", "Emailed or wrote to the parents or carers"),
    ("home_visit", "Made a home visit"),
    ("siblings_schools", "Asked siblings' schools"),
    ("emergency_contacts", "Called the other emergency contacts"),
    ("social_care", "Contacted children's social care"),
    ("other_agencies", "Contacted other agencies (health, police, housing)"),
    ("friends", "Asked the pupil's friends"),
]
