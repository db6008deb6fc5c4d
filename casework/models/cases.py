"""A child's CME cases, the DfE's reasons a child is missing education, and the notes on a
case."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.models.children import Child
from cme.models import Audited
from cme.models_base import Referenced, choices_valid, implies, not_before
from referrals.models import Referral
from schools.models import School


class Category(models.TextChoices):
    WASP = "wasp", "CME-WASP"
    MISSING = "missing", "CME-missing"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    ON_ROLL_IN_AREA = "on_roll_in_area", "Located on a roll in this area"
    ON_ROLL_OTHER_LA = "on_roll_other_la", "On a roll in another local authority (confirmed)"
    MOVED_OTHER_LA = "moved_other_la", "Moved to another local authority (notified and accepted)"
    MOVED_ABROAD = "moved_abroad", "Moved abroad (confirmed)"
    EHE_SUITABLE = "ehe_suitable", "Home educated, education suitable"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    PLACE_STARTED = "place_started", "School place offered and started"
    CEASED_COMPULSORY_AGE = "ceased_compulsory_age", "Ceased compulsory school age"
    DIED = "died", "Died"
    UNTRACEABLE = "untraceable", "Untraceable after reasonable enquiries"


#: The code of the reason existing cases were given by migration, and a case gets when the
#: caller does not say (casework.services.triage.referral_accept).
NOT_RECORDED = "not-recorded"


class CmeReason(models.Model):
    """An item of the DfE's list of primary reasons a child is missing education (the termly
    CME data collection's "Reason" breakdown). Kept as data: next year's list is a data
    migration (add items, set ``applies_until`` on retired ones), not a code change."""

    # The code is the key, so a case's reason reads the same in every copy of the database and
    # a row written by SQL alone (the scale data) takes "not-recorded" by the column default.
    code = models.SlugField(max_length=60, primary_key=True)
    label = models.CharField(max_length=120)
    # The first day of the term the item applies from (and the last day, once retired).
    applies_from = models.DateField()
    applies_until = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label

    def applies_on(self, d: date) -> bool:
        return self.applies_from <= d and (self.applies_until is None or d <= self.applies_until)


class Case(Referenced, Audited):
    """One CME episode for a child, from the accepted referral to its outcome."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="case")
    # Referrals about the child received while this case was open, recorded as duplicates of
    # it: they are part of the child's record (a restricted child's opens only with a reason).
    further_referrals = models.ManyToManyField(
        Referral, blank=True, related_name="further_of", editable=False
    )
    category = models.CharField(max_length=8, choices=Category.choices)
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_cases",
    )
    received_on = models.DateField()
    # = cme.statutory.enquiry_due_date(received_on): the initial investigation clock.
    due_date = models.DateField(db_index=True)
    investigation_completed_at = models.DateTimeField(null=True, blank=True)
    # The CME return (issue 15): the day the child became missing education (by default the
    # referral's date received; changed with a reason, in the chronology) and the primary
    # reason, one per child, from the DfE's list.
    became_cme_on = models.DateField("date became missing education", null=True, blank=True)
    primary_reason: models.ForeignKey[CmeReason, CmeReason] = models.ForeignKey(
        CmeReason,
        on_delete=models.PROTECT,
        related_name="cases",
        default=NOT_RECORDED,
        db_default=models.Value(NOT_RECORDED),
    )

    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True)
    social_care_referred_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    outcome_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_school_name = models.CharField(max_length=200, blank=True)
    outcome_la = models.CharField("other local authority", max_length=100, blank=True)
    outcome_la_accepted = models.BooleanField(default=False)
    outcome_country = models.CharField(max_length=100, blank=True)
    outcome_notes = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    # Set once by the scheduled checks (casework/jobs.py), which claim a case with a
    # conditional UPDATE ... WHERE <flag> IS NULL: the flag is the idempotency key.
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    csa_end_flagged_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: a save that does not carry the version it read is refused.
    version = models.PositiveIntegerField(default=1)

    # The audit trail (issue 6). The scheduled checks set the flags above with .update(),
    # which bypasses history; they record their own Events and notifications instead.
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date"]
        indexes = [
            models.Index(fields=["status", "allocated_to", "due_date"]),
            models.Index(fields=["status", "category"]),
            # The register's default order: its first page is an index scan (issue 7 item 4).
            models.Index(
                fields=["due_date", "id"], condition=Q(status="open"), name="case_open_due_idx"
            ),
        ]
        constraints = [
            not_before("due_date", "received_on", "case_due_after_received"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN) | (~Q(outcome="") & Q(closed_at__isnull=False)),
                name="case_closed_has_outcome",
            ),
            implies(
                Q(status=CaseStatus.OPEN),
                Q(outcome="") | Q(outcome="untraceable"),
                "case_open_has_no_outcome",
            ),
            *choices_valid("case", status=CaseStatus, category=Category),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values), name="case_outcome_valid"
            ),
            # At most one open case per child: triage joins a referral to the open case, a
            # reopen and a merge refuse to make a second (casework.services).
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status=CaseStatus.OPEN),
                name="case_one_open_per_child",
            ),
        ]


class CaseNote(Audited):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()

    class Meta:
        ordering = ["-created_at"]
