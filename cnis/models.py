"""Children not in school (Children's Wellbeing and Schools Act 2026): the LA's consent to
home education (s434A) and the children-not-in-school register (ss436B-436G)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.models import Child
from cme.models import Audited
from cme.models_base import choices_valid, not_before, one_of
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
            *choices_valid("cnis_consent", status=ConsentStatus),
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


# ------------------------------------------------------- the children-not-in-school register


class Eligibility(models.TextChoices):
    """s436B(2): why the child is eligible (also the optional prescribed "reason")."""

    NOT_REGISTERED = "not_registered", "Not a registered pupil at a relevant school"
    HOME_EDUCATED = "home_educated", "Home educated (not a registered pupil)"
    EDUCATED_ELSEWHERE = (
        "elsewhere",
        "Registered, but the school has arranged for education elsewhere (off-site)",
    )
    PART_TIME = "part_time", "Registered, but the school has arranged part-time attendance"


class Source(models.TextChoices):
    """Where an item of the register's information came from (s436C: each marked)."""

    PARENT = "parent", "The parent"
    PROVIDER = "provider", "The provider"
    SCHOOL_RETURN = "school_return", "A school return"
    LA_RECORDS = "la_records", "The local authority's records"
    EHE_REGISTER = "ehe_register", "The elective home education register"
    OFFICER = "officer", "An officer's enquiries"


class VisitOutcome(models.TextChoices):
    VISITED = "visited", "The visit took place"
    REFUSED = "refused", "The parent refused the visit"
    NO_RESPONSE = "no_response", "No response from the parent"


class RegisterEntry(Audited):
    """One child on the children-not-in-school register (s436B), with the s436C information
    kept on it and its parents, providers, notified changes and requests."""

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="cnis_entry")
    eligibility = models.CharField(max_length=16, choices=Eligibility.choices)
    eligibility_source = models.CharField(max_length=16, choices=Source.choices)
    # The part-time timetable (or other return) that brought the child here, if any.
    source_return = models.ForeignKey(
        "schools.SchoolReturn", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_on = models.DateField()
    # The request for a home visit (within 15 days of registration) and its outcome.
    visit_requested_on = models.DateField(null=True, blank=True)
    visit_outcome = models.CharField(
        max_length=12, choices=VisitOutcome.choices, blank=True, default=""
    )
    visit_outcome_on = models.DateField(null=True, blank=True)
    # The information the LA asked the parent for, and by when.
    information_requested_on = models.DateField(null=True, blank=True)
    information_due_on = models.DateField(null=True, blank=True)
    information_received_on = models.DateField(null=True, blank=True)
    # Set once, when ehe.signals.notice_route_requested was sent (the claim).
    notice_route_requested_at = models.DateTimeField(null=True, blank=True)
    notice_route_reason = models.CharField(max_length=200, blank=True)
    # Set once by the home-visits job when no visit was requested in time.
    visit_overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name_plural = "register entries"
        constraints = [
            *choices_valid("cnis_entry", eligibility=Eligibility),
            one_of("eligibility_source", Source, "cnis_entry_source_valid"),
            not_before(
                "visit_requested_on",
                "registered_on",
                "cnis_visit_requested_after_registration",
                or_unset=True,
            ),
            models.CheckConstraint(
                condition=Q(visit_outcome="") | Q(visit_outcome_on__isnull=False),
                name="cnis_visit_outcome_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Register entry {self.pk}"


class Educator(Audited):
    """A parent or provider named on an entry (s436C(2)(b)-(e)): their address, and where the
    information came from (s436C: each item marked)."""

    address = models.CharField(max_length=300)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PARENT)

    class Meta:
        abstract = True
        ordering = ["entry", "id"]


class EntryParent(Educator):
    """s436C(2)(b)-(d): a parent's name and address, whether they provide education, and
    the time the child spends in education provided by them."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="parents")
    name = models.CharField(max_length=150)
    provides_education = models.BooleanField()
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    history = HistoricalRecords()

    class Meta(Educator.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(provides_education=True) | Q(hours_per_week__isnull=True),
                name="cnis_parent_hours_only_if_educating",
            ),
        ]


class ProviderType(models.TextChoices):
    TUTOR = "tutor", "Tutor"
    ONLINE = "online", "Online school or course"
    SETTING = "setting", "Out-of-school setting"
    SCHOOL = "school", "A school (off-site or part-time)"
    ALTERNATIVE = "alternative", "Alternative provision"
    OTHER = "other", "Other"


class Provider(Educator):
    """s436C(2)(e): another person providing education: name and address, type, where the
    education happens (or its website or email if online), the time the child spends with
    them, and the time without a parent present."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="providers")
    name = models.CharField(max_length=200)
    provider_type = models.CharField(max_length=12, choices=ProviderType.choices)
    location = models.CharField("where the education happens", max_length=300, blank=True)
    online_contact = models.CharField("website or email (online)", max_length=300, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    hours_without_parent = models.DecimalField(max_digits=4, decimal_places=1)
    email = models.EmailField("email for requests (s436E)", blank=True)
    history = HistoricalRecords()

    class Meta(Educator.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_without_parent__lte=models.F("hours_per_week")),
                name="cnis_provider_unsupervised_within_hours",
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_contact=""),
                name="cnis_provider_has_a_place_or_online_contact",
            ),
        ]


class ChangeNotice(Audited):
    """s436D: a parent's notification of a change to the information, with its date."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="changes")
    notified_on = models.DateField()
    details = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-notified_on", "-id"]


class ProviderRequest(Audited):
    """s436E: the LA's request to a provider for information, with a deadline; chased once
    by the cnis_chase job when unanswered by then."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="requests")
    sent_on = models.DateField()
    due_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            not_before("due_on", "sent_on", "cnis_request_due_after_sent", strictly=True)
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="cnis_request_open",
                condition=Q(answered_on__isnull=True, chased_at__isnull=True),
            )
        ]
