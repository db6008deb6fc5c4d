"""Children not in school (Children's Wellbeing and Schools Act 2026): the LA's consent to
home education (s434A) and the children-not-in-school register (ss436B-436G)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.models import Child
from cme.models import Audited, one_of
from schools.models import LeaverReturn


class ConsentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    GRANTED = "granted", "Consent given"
    REFUSED = "refused", "Consent refused"


class ConsentRequest(Audited):
    """s434A: a ground (f) leaver return for a pupil the school may not delete for home
    education without the LA's consent, held (schools.holds) until a manager decides."""

    leaver = models.OneToOneField(
        LeaverReturn, on_delete=models.PROTECT, related_name="consent_request"
    )
    # Why consent is needed (any of them): the school's answers and the LA's own record.
    la_placed_special_school = models.BooleanField(
        "at a special school, placed there by the local authority", default=False
    )
    s47_by_school = models.BooleanField(
        "subject to s47 enquiries or action (the school says)", default=False
    )
    s47_by_la = models.BooleanField(
        "has a child protection plan (the local authority's record)", default=False
    )
    # The LA's record of the child the leaver matched, if any (never shown to the school).
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="consent_requests"
    )
    status = models.CharField(
        max_length=8, choices=ConsentStatus.choices, default=ConsentStatus.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            one_of("status", ConsentStatus, "cnis_consent_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ConsentStatus.PENDING)
                | (Q(decided_on__isnull=False) & ~Q(reasons="")),
                name="cnis_consent_decision_dated_with_reasons",
            ),
            models.CheckConstraint(
                condition=Q(la_placed_special_school=True)
                | Q(s47_by_school=True)
                | Q(s47_by_la=True),
                name="cnis_consent_has_a_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent request for {self.leaver.reference}"

    @property
    def grounds(self) -> list[str]:
        found = []
        if self.la_placed_special_school:
            found.append("Attends a special school, placed there by the local authority")
        if self.s47_by_school:
            found.append("Subject to s47 enquiries or action (the school's answer)")
        if self.s47_by_la:
            found.append("Child protection plan (the local authority's record)")
        return found
