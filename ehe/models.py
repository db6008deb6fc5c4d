"""The elective home education (EHE) register: who is home educated, by whom, since when, the
LA's contacts with the family and its view of whether the education appears suitable; and
the notices and orders of the school attendance order route (Education Act 1996 s437-s443)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.models import Case, Child
from cme.models import Audited
from cme.models_base import PostalAddress, choices_valid, not_before
from referrals.models import Referral
from schools.models import School, SchoolReturn


class Source(models.TextChoices):
    LEAVER_RETURN = "leaver_return", "A school's leaver return, ground (f)"
    REFERRAL = "referral", "A referral triaged as home education"
    OFFICER = "officer", "Added by an officer"
    CNIS = "cnis", "The children not in school register"


class Status(models.TextChoices):
    ACTIVE = "active", "Home educated"
    ENDED = "ended", "No longer home educated"


class Suitability(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not yet assessed"
    SUITABLE = "suitable", "Appears suitable"
    NOT_SUITABLE = "not_suitable", "Does not appear suitable"


class HomeEducation(Audited, PostalAddress):
    """One child's entry on the EHE register (the address is the child's home address)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="home_education")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=16, choices=Source.choices)
    # Where the entry came from: a return or a referral adds a child once (the idempotency key).
    source_return = models.OneToOneField(
        SchoolReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField("date home education started", null=True, blank=True)
    suitability = models.CharField(
        max_length=14, choices=Suitability.choices, default=Suitability.NOT_ASSESSED
    )
    suitability_on = models.DateField("date of the LA's view", null=True, blank=True)
    # ehe.rules.next_contact_due: when the LA should next be in touch with the family.
    next_contact_due = models.DateField(null=True, blank=True)
    # The children-not-in-school register asked for the notice route (ehe.signals).
    notice_route_reason = models.CharField(max_length=300, blank=True)
    # The CME case opened when the parent did not satisfy the LA (s437(3)).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["next_contact_due", "id"]
        verbose_name_plural = "home education entries"
        indexes = [
            models.Index(
                fields=["next_contact_due", "id"],
                condition=Q(status="active"),
                name="ehe_active_contact_due_idx",
            ),
        ]
        constraints = [
            *choices_valid("ehe", status=Status, source=Source, suitability=Suitability),
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="active"), name="ehe_one_active_per_child"
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(ended_on__isnull=False), name="ehe_ended_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"Home education {self.pk}"


def _of_entry(related_name: str) -> models.ForeignKey[HomeEducation, HomeEducation]:
    """The register entry a parent, contact, view or notice is kept on (which outlives it)."""
    return models.ForeignKey(HomeEducation, on_delete=models.PROTECT, related_name=related_name)


class Parent(Audited, PostalAddress):
    """A parent of a home-educated child (s576: anyone with parental responsibility or care)."""

    home_education = _of_entry("parents")
    title = models.CharField(max_length=35, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    relationship = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    # Blank address lines: the parent lives at the child's address.
    lives_with_child = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["home_education", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


class ContactKind(models.TextChoices):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    HOME_VISIT = "home_visit", "Home visit"
    MEETING = "meeting", "Meeting elsewhere"
    REPORT = "report", "Report or samples of work received"
    OTHER_AGENCY = "other_agency", "Enquiry with another agency"
    OTHER = "other", "Other"


class Contact(Audited):
    """An enquiry the LA made, or a contact with the family, on a day (the dated log)."""

    home_education = _of_entry("contacts")
    kind = models.CharField(max_length=14, choices=ContactKind.choices)
    made_on = models.DateField()
    with_whom = models.CharField("who", max_length=200, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "-id"]
        constraints = choices_valid("ehe_contact", kind=ContactKind)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.made_on:%Y-%m-%d}"


class SuitabilityView(Audited):
    """The LA's view of whether the education appears suitable, as formed on a day."""

    home_education = _of_entry("views")
    suitability = models.CharField(max_length=14, choices=Suitability.choices)
    formed_on = models.DateField()
    reasons = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-formed_on", "-id"]
        constraints = choices_valid("ehe_view", suitability=Suitability)

    def __str__(self) -> str:
        return f"{self.get_suitability_display()} on {self.formed_on:%Y-%m-%d}"


class NoticeKind(models.TextChoices):
    PRELIMINARY = "preliminary", "Preliminary notice"
    S437_1 = "s437_1", "Notice to satisfy the authority, s437(1)"
    INTENTION = "intention", "Notice of intention to serve a school attendance order, s438"
    ORDER = "order", "School attendance order, s437(3)"
    AMENDMENT = "amendment", "Amendment of the school attendance order, s440"
    REVOCATION = "revocation", "Revocation of the school attendance order, s442"


class Answer(models.TextChoices):
    WAITING = "waiting", "Waiting for the parent"
    SATISFIED = "satisfied", "The parent satisfied the authority"
    NOT_SATISFIED = "not_satisfied", "The parent did not satisfy the authority"
    CHOSE_SCHOOL = "chose_school", "The parent chose a school"
    NO_CHOICE = "no_choice", "The parent did not choose a school"
    NONE_NEEDED = "none_needed", "No answer needed"


class Notice(Audited):
    """A notice or order served on the parents, with its dates (ehe.rules) and letter (PDF)."""

    home_education = _of_entry("notices")
    kind = models.CharField(max_length=12, choices=NoticeKind.choices)
    served_on = models.DateField("date served")
    # The parent's period, in calendar days beginning with the day of service, and its last day.
    period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    period_ends_on = models.DateField(null=True, blank=True)
    # The school the notice of intention intends to name, or the order names (s438(2)(b)).
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # s438(2)(b): other schools the authority regards as suitable alternatives.
    alternatives = models.ManyToManyField(School, blank=True, related_name="+")
    answer = models.CharField(max_length=14, choices=Answer.choices, default=Answer.NONE_NEEDED)
    answered_on = models.DateField(null=True, blank=True)
    details = models.TextField(blank=True)
    # How many letters/emails were queued to the parents (cme.outbox) when it was served.
    letters_queued = models.PositiveSmallIntegerField(default=0)
    emails_queued = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["served_on", "id"]
        constraints = [
            *choices_valid("ehe_notice", kind=NoticeKind, answer=Answer),
            not_before(
                "period_ends_on", "served_on", "ehe_notice_period_after_service", or_unset=True
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} served {self.served_on:%Y-%m-%d}"
