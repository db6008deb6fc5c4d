"""Transfers between councils (issue 16 item 4): the LA directory, a transfer sent to another
LA's CME team and its answer, and a transfer received from another LA."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.models import Case
from cme.models import Audited
from cme.models_base import Referenced, choices_valid, implies
from referrals.models import Referral


class LocalAuthority(Audited):
    """One English local authority's CME team: where a transfer is sent. Kept by the
    administrators in the admin site (the demo data seeds a few)."""

    code = models.CharField(
        "LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the 3-digit LA code, for example 888")],
    )
    name = models.CharField(max_length=150)
    cme_email = models.EmailField("CME team email address")
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TransferStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


#: Statuses that still wait for the other LA's decision (the reminder's clock runs).
AWAITING = (TransferStatus.SENT, TransferStatus.ACKNOWLEDGED)


class RejectionReason(models.TextChoices):
    NOT_RESIDENT = "not_resident", "The child does not live in that authority's area"
    NOT_FOUND = "not_found", "The child could not be found at the address given"
    ON_ROLL = "on_roll", "The child is on a school roll there (not missing education)"
    INSUFFICIENT = "insufficient", "Not enough information to identify the child"
    DUPLICATE = "duplicate", "Already known to that authority"
    OTHER = "other", "Another reason (see the notes)"


class TransferTrigger(models.TextChoices):
    MOVED = "moved", "The case closed as moved to another local authority"
    WHEREABOUTS = "whereabouts", "The child's whereabouts are believed to be in another area"


class Transfer(Referenced, Audited):
    """A child's CME case sent to another LA's CME team, as a CTF and a PDF summary, and
    what that LA answered. The two files are in the private storage (ADR 018); the other LA
    downloads them through a tokenised, expiring link (ADR 015)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    to_la = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="transfers")
    trigger = models.CharField(max_length=12, choices=TransferTrigger.choices)
    reasons = models.TextField("why the child is being transferred")
    status = models.CharField(
        max_length=12, choices=TransferStatus.choices, default=TransferStatus.SENT
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # = transfers.rules.transfer_answer_due(sent_at's date): the reminder's day.
    answer_due = models.DateField(db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=16, choices=RejectionReason.choices, blank=True)
    answer_notes = models.TextField(blank=True)
    ctf_name = models.CharField(max_length=255, editable=False)
    pdf_name = models.CharField(max_length=255, editable=False)
    # The download link's token, as its SHA-256 (the token itself is only in the email).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    link_expires_at = models.DateTimeField()
    # Set once by the reminder sweep (transfers.jobs), which claims with a conditional UPDATE.
    reminder_flagged_at = models.DateTimeField(null=True, blank=True)
    # The check page's one-time token: a second "Send" with the same token finds this one.
    submission_token = models.UUIDField(unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            *choices_valid("transfer", status=TransferStatus, trigger=TransferTrigger),
            implies(
                Q(status=TransferStatus.REJECTED),
                ~Q(rejection_reason=""),
                "transfer_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AWAITING) | Q(answered_at__isnull=False),
                name="transfer_answer_has_time",
            ),
            # One transfer at a time waits for an answer on a case.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=AWAITING),
                name="transfer_one_awaiting_per_case",
            ),
        ]

    @property
    def awaiting(self) -> bool:
        return self.status in AWAITING


class TransferDownload(models.Model):
    """Each download of a transfer's file through its link (the other LA is not a user, so
    the access log cannot hold it: it is here, and in the case's chronology)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="downloads")
    file = models.CharField(max_length=4)  # "ctf" or "pdf"
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.file} of transfer {self.transfer_id}"


class ReceivedTransfer(Audited):
    """A transfer another LA sent us, uploaded as its CTF, and the referral it made.

    ``key`` is the sending LA's code and its transfer reference (or the file's SHA-256 when it
    gives none): the same transfer uploaded twice finds this row and its one referral."""

    key = models.CharField(max_length=100, unique=True, editable=False)
    from_la_code = models.CharField(max_length=3, blank=True)
    from_la_name = models.CharField(max_length=150, blank=True)
    their_reference = models.CharField(max_length=40, blank=True)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="received_transfer"
    )
    file_name = models.CharField(max_length=255, editable=False)
    # The sending LA's history as the file gave it (reasons, enquiries, flags), for the page.
    history_data = models.JSONField(default=dict)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Transfer received from {self.from_la_name or self.from_la_code}"
