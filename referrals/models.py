"""The CME referral (SR1a-style): one model whatever door it came through."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cme.models import Audited
from cme.models_base import PostalAddress, Referenced, choices_valid, implies
from referrals.vocabulary import FLAG_FIELDS
from schools.models import Gender, School, SchoolReturn


class Channel(models.TextChoices):
    PUBLIC = "public", "Public form"
    SIGNED_IN = "signed_in", "Signed-in form"
    SYSTEM = "system", "Raised by the system"


class ReceivedVia(models.TextChoices):
    """How a referral recorded by an officer reached the team (issue 12, A15)."""

    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online (another form or portal)"
    MEETING = "meeting", "Meeting or multi-agency panel"
    OTHER = "other", "Other"


class ReferrerType(models.TextChoices):
    SCHOOL = "school", "A school"
    LA_SERVICE = "la_service", "A service of this council"
    AGENCY = "agency", "A partner agency (health, police, housing, youth justice)"
    OTHER_LA = "other_la", "Another local authority"
    PUBLIC = "public", "A member of the public"
    PARENT = "parent", "A parent or carer"
    SYSTEM = "system", "School returns"


class SystemTrigger(models.TextChoices):
    UNKNOWN_DESTINATION = "unknown_destination", "Leaver with an unknown destination"
    MISSING_KEY_INFO = "missing_key_info", "Leaver missing key information"
    UNMATCHED_LEAVER = "unmatched_leaver", "Transition not completed"
    ABSENCE_THRESHOLD = "absence_threshold", "Absence threshold reached, whereabouts unknown"
    # Issue 12 A9: raised at once when the school does not know where the pupil is.
    ABSENCE_WHEREABOUTS_UNKNOWN = "absence_unknown", "Stopped attending, whereabouts unknown"


class Reason(models.TextChoices):
    """Who is at risk (DOMAIN.md)."""

    FAILED_TO_START = (
        "failed_to_start",
        "Failed to start at a transition point (Reception or Year 7)",
    )
    STOPPED_ATTENDING = "stopped_attending", "Stopped attending school"
    OFF_ROLLING = "off_rolling", "Illegal exclusion or off-rolling"
    PERMANENT_EXCLUSION = "permanent_exclusion", "Permanent exclusion"
    FAILED_TRANSITION = "failed_transition", "Failed transition between schools"
    BULLYING = "bullying", "Bullying or discrimination"
    NEW_MIGRANT = "new_migrant", "New migrant, refugee or asylum-seeking family"
    UASC = "uasc", "Unaccompanied asylum-seeking child"
    TEENAGE_PARENT = "teenage_parent", "Teenage parent"
    MOBILE_FAMILY = (
        "mobile_family",
        "Highly mobile family (Gypsy, Roma, Traveller; service families)",
    )
    TEMPORARY_ACCOMMODATION = "temporary_accommodation", "Temporary accommodation or homeless"
    REFUGE = "refuge", "Living in a refuge"
    FORCED_MARRIAGE = "forced_marriage", "Forced marriage"
    HONOUR_VIOLENCE = "honour_violence", "Honour-based violence"
    TRAFFICKING = "trafficking", "Trafficking"
    EXPLOITATION = "exploitation", "Criminal or sexual exploitation (gangs)"
    FGM = "fgm", "Female genital mutilation"
    RADICALISATION = "radicalisation", "Radicalisation"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    ONLINE_GROOMING = "online_grooming", "Online grooming"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    ABUSE_NEGLECT = "abuse_neglect", "Abuse or neglect, including domestic abuse"
    PARENTAL_NEEDS = "parental_needs", "Parental mental health or learning difficulty"
    MISSING_RUNAWAY = "missing_runaway", "Missing or runaway"
    YOUNG_CARER = "young_carer", "Young carer"
    IN_CARE = "in_care", "Child in care or with a social worker"
    SEN_EHCP = "sen_ehcp", "SEN or EHCP"
    MOVED_AWAY = "moved_away", "Moved away, destination not known"
    OTHER = "other", "Other"


#: Reasons that are safeguarding concerns in themselves: such a referral is triaged first.
SAFEGUARDING_REASONS = frozenset(
    {
        Reason.FORCED_MARRIAGE,
        Reason.HONOUR_VIOLENCE,
        Reason.TRAFFICKING,
        Reason.EXPLOITATION,
        Reason.FGM,
        Reason.RADICALISATION,
        Reason.ABUSE_NEGLECT,
        Reason.ONLINE_GROOMING,
        Reason.MISSING_RUNAWAY,
    }
)


class ReferralStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    NOT_CME = "not_cme", "Not CME"
    DUPLICATE = "duplicate", "Duplicate of an open case"


class NotCmeReason(models.TextChoices):
    ON_ROLL_ATTENDING = "on_roll_attending", "On roll and attending a school"
    ON_ROLL_NOT_ATTENDING = (
        "on_roll_not_attending",
        "On roll but not attending (school's attendance process)",
    )
    EHE_SUITABLE = "ehe_suitable", "Home educated and the education is suitable"
    # Issue 17: the child goes onto the EHE register, where the LA's enquiries continue.
    HOME_EDUCATED = "home_educated", "Home educated: add to the EHE register for enquiries"
    ALTERNATIVE_PROVISION = "alternative_provision", "In alternative provision"
    NOT_COMPULSORY_AGE = "not_compulsory_age", "Not of compulsory school age"
    OUT_OF_AREA = "out_of_area", "Lives in another local authority (passed on)"
    INSUFFICIENT = "insufficient", "Not enough information to identify the child"


class ParentKnows(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "I do not know"


class VulnerabilityFlags(models.Model):
    """The vulnerability flags a referral carries and a child keeps (DOMAIN.md: who is at risk)."""

    FLAG_FIELDS = FLAG_FIELDS

    child_protection_plan = models.BooleanField(default=False)
    looked_after = models.BooleanField(default=False)
    child_in_need = models.BooleanField("child in need or has a social worker", default=False)
    ehcp_sen = models.BooleanField("EHCP or SEN", default=False)
    gypsy_roma_traveller = models.BooleanField("Gypsy, Roma or Traveller", default=False)
    young_carer = models.BooleanField(default=False)
    new_arrival_eal = models.BooleanField("new arrival or EAL", default=False)
    youth_justice = models.BooleanField(default=False)

    class Meta:
        abstract = True


def address_lines(text: str) -> list[str]:
    """A typed postal address as its lines: one a line, or one line split at its commas."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return lines


# Its __str__ is Referenced's: "Referral RF-…".
class Referral(Referenced, Audited, VulnerabilityFlags, PostalAddress):  # noqa: DJ008
    #: Who the child is and where they live, as the referral form asks them; triage copies
    #: them (with the last school) onto a new child record.
    CHILD_IDENTITY_FIELDS = (
        "first_name",
        "last_name",
        "other_names",
        "date_of_birth",
        "gender",
        "upn",
        "nhs_number",
    )
    CHILD_ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town", "postcode")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(db_index=True)
    # An officer recording a referral (a phone call) says when and how it reached the team:
    # the date received starts the enquiry clock instead of the moment it was recorded.
    date_received = models.DateField(null=True, blank=True)
    received_via = models.CharField(
        "how it was received", max_length=10, choices=ReceivedVia.choices, blank=True
    )
    # The check page's one-time token (issue 12 A4): a second "Accept and send" with the same
    # token finds this referral instead of making another.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )

    # Who referred
    referrer_type = models.CharField(max_length=12, choices=ReferrerType.choices)
    anonymous = models.BooleanField(default=False)
    referrer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_relationship = models.CharField(
        "relationship to the child", max_length=100, blank=True
    )
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    #: Where the outcome is posted (a letter through GOV.UK Notify) when there is no email.
    referrer_address = models.CharField("referrer's postal address", max_length=300, blank=True)
    referring_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Raised by the system from a school return
    source_return = models.ForeignKey(
        SchoolReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    trigger = models.CharField(max_length=20, choices=SystemTrigger.choices, blank=True)

    # The child
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    other_names = models.CharField("other names or spellings", max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    nhs_number = models.CharField("NHS number", max_length=12, blank=True)
    # The address (PostalAddress), then the one before it.
    previous_address = models.CharField(max_length=300, blank=True)
    last_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_school_name = models.CharField(max_length=200, blank=True)
    date_last_attended = models.DateField(null=True, blank=True)

    # Why
    reasons = models.JSONField(default=list, blank=True)
    enquiries_made = models.TextField("enquiries the referrer has made", blank=True)
    parent_knows = models.CharField(max_length=8, choices=ParentKnows.choices, blank=True)
    details = models.TextField(blank=True)

    # Triage decision
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_cme_reason = models.CharField(max_length=24, choices=NotCmeReason.choices, blank=True)
    decision_notes = models.TextField(blank=True)

    # The audit trail (issue 6): who changed what, when; history_user is the request user.
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]
        constraints = [
            *choices_valid("referral", status=ReferralStatus),
            implies(
                Q(status=ReferralStatus.NOT_CME),
                ~Q(not_cme_reason=""),
                "referral_not_cme_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.NEW) | Q(decided_at__isnull=False),
                name="referral_decision_has_time",
            ),
            # One referral per return and trigger: raising it twice is a no-op.
            models.UniqueConstraint(
                fields=["source_return", "trigger"],
                condition=Q(source_return__isnull=False),
                name="referral_once_per_return_trigger",
            ),
        ]

    @property
    def child_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or "Name not known"

    @property
    def is_high_risk(self) -> bool:
        return (
            self.child_protection_plan
            or self.looked_after
            or bool(SAFEGUARDING_REASONS.intersection(self.reasons or []))
        )


class ReferralPerson(models.Model):
    """A parent or carer, or a sibling, named on a referral."""

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        SIBLING = "sibling", "Sibling"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    school_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["referral", "kind", "id"]

    def __str__(self) -> str:
        return self.name
