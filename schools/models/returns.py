"""The four school returns (School Attendance (Pupil Registration) (England) Regulations 2024):
the shared row and the joiner and leaver returns here; the part-time timetable and the
absence notification in ``schools.models.attendance``.

One `SchoolReturn` row per submission whatever its kind, so that a school's list of
submissions is one query; each kind keeps its own details in a child table.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cme.models import Audited
from cme.models_base import Referenced, choices_valid, implies, not_before
from schools.models.directory import School


class ReturnKind(models.TextChoices):
    JOINER = "joiner", "New pupil"
    LEAVER = "leaver", "Pupil leaving"
    PART_TIME = "part_time", "Part-time timetable"
    ABSENCE = "absence", "Stopped attending"


class ReturnStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    MATCHED = "matched", "Matched"
    REFERRED = "referred", "Referred to CME"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "X", "Other or not known"


class Bs7666Parts(models.Model):
    """The BS7666 parts of an address and its UPRN, as a common transfer file gives them
    (issue 16 item 3). Blank unless the address came from a CTF and was sent unchanged: the
    address as typed (lines, or one string) stays what every page, export and match reads."""

    address_saon = models.CharField("SAON (flat or unit)", max_length=100, blank=True, default="")
    address_paon = models.CharField(
        "PAON (house number or name)", max_length=100, blank=True, default=""
    )
    address_street = models.CharField("street", max_length=100, blank=True, default="")
    address_locality = models.CharField("locality", max_length=100, blank=True, default="")
    address_post_town = models.CharField("post town", max_length=100, blank=True, default="")
    address_administrative_area = models.CharField(
        "administrative area", max_length=100, blank=True, default=""
    )
    address_uprn = models.CharField("UPRN", max_length=12, blank=True, default="")

    class Meta:
        abstract = True

    def bs7666_lines(self) -> list[str]:
        """The parts as an address reads, one line each; [] if there are none."""
        house = f"{self.address_paon} {self.address_street}".strip()
        return [
            p
            for p in (
                self.address_saon,
                house,
                self.address_locality,
                self.address_post_town,
                self.address_administrative_area,
            )
            if p
        ]


class SchoolReturn(Referenced, Bs7666Parts, Audited):
    kind = models.CharField(max_length=12, choices=ReturnKind.choices, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(
        max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.RECEIVED
    )
    status_detail = models.CharField(
        max_length=200, blank=True, help_text="Shown to the school beside the status"
    )
    submitted_at = models.DateTimeField(db_index=True)
    # The check page's one-time token (issue 12 A4): a second "Accept and send" with the same
    # token finds this return instead of making another.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    is_late = models.BooleanField(default=False)
    # Set by the late-returns job once the school has been told of this late return (its
    # claim, so it tells once). Not a count: the board report counts is_late (issue 13 item 8).
    late_notified_at = models.DateTimeField(null=True, blank=True)
    # Recorded, not blocked: a DOB outside compulsory school age is a warning (DOMAIN.md).
    dob_outside_compulsory_age = models.BooleanField(default=False)
    # The audit trail (issue 6): inherit=True gives each of the four kinds its own history
    # table as well, since a save through JoinerReturn signals for JoinerReturn only. Jobs
    # that flag with .update() (schools/jobs.py) bypass it; they record their own notifications.
    history = HistoricalRecords(inherit=True)

    # The pupil
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    upn = models.CharField("UPN", max_length=13, blank=True)
    address_line_1 = models.CharField(max_length=150)
    address_line_2 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    # The BS7666 parts of the same address and its UPRN (Bs7666Parts), when it came from a CTF
    # unchanged (issue 16 item 3). The lines above stay what every page, export and match reads.

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["school", "-submitted_at"]),
            models.Index(fields=["kind", "status"]),
        ]
        constraints = choices_valid("return", kind=ReturnKind, status=ReturnStatus)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def pupil_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_names, self.last_name) if p)

    @property
    def address(self) -> str:
        parts = (self.address_line_1, self.address_line_2, self.town, self.postcode)
        return ", ".join(p for p in parts if p)

    def detail(self) -> SchoolReturn:
        """The kind-specific row (one more query)."""
        rows: dict[ReturnKind, Callable[[], SchoolReturn]] = {
            ReturnKind.JOINER: lambda: self.joinerreturn,
            ReturnKind.LEAVER: lambda: self.leaverreturn,
            ReturnKind.PART_TIME: lambda: self.parttimetimetable,
            ReturnKind.ABSENCE: lambda: self.absencenotification,
        }
        return rows[ReturnKind(self.kind)]()


class ParentCarer(Bs7666Parts):
    school_return = models.ForeignKey(
        SchoolReturn, on_delete=models.CASCADE, related_name="parents"
    )
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=150)
    # The parts of the name, when it came from a CTF unchanged (issue 16 item 3); `name` stays
    # what is shown and searched.
    title = models.CharField(max_length=35, blank=True, default="")
    forename = models.CharField(max_length=100, blank=True, default="")
    surname = models.CharField(max_length=100, blank=True, default="")
    relationship = models.CharField(max_length=60, blank=True)
    # The CBDS relationship code a CTF gave (schools.ctf.records.RELATIONSHIPS), when the
    # relationship was sent as the file gave it; `relationship` stays the words shown.
    relationship_code = models.CharField(max_length=3, blank=True, default="")
    phone = models.CharField("emergency phone", max_length=40, blank=True)
    # The contact's other numbers a CTF gave, in its order: [{"number": ..., "type": ...}].
    other_phones = models.JSONField(default=list, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(
        max_length=300, blank=True, help_text="Blank when the same as the pupil's"
    )
    # With the BS7666 parts (Bs7666Parts), when a CTF gave the contact's own address.
    address_postcode = models.CharField("postcode", max_length=10, blank=True, default="")
    lives_with_pupil = models.BooleanField(default=True)

    class Meta:
        ordering = ["school_return", "position"]

    def __str__(self) -> str:
        return self.name


class JoinerReturn(SchoolReturn):
    """Regulation 13: by the end of the 5th day after the name is entered on the register."""

    admission_date = models.DateField("date entered on the admission register")
    year_group = models.CharField(max_length=20, blank=True)
    previous_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_school_name = models.CharField(max_length=200, blank=True)
    previous_school_la = models.CharField(
        "previous school's local authority", max_length=100, blank=True
    )
    # Set by the matching job (unmatched leavers, issue 4): the leaver return this one answers.
    matched_leaver = models.OneToOneField(
        "LeaverReturn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matched_joiner",
    )


class DeletionGround(models.TextChoices):
    """Regulation 9(1) grounds for deleting a pupil from the admission register."""

    A = "a", "(a) Registered at another school"
    B = "b", "(b) Nursery pupil not continuing into reception"
    C = "c", "(c) Dual-registered and will not return to this school"
    D = "d", "(d) School attendance order amended to name another school"
    E = "e", "(e) School attendance order revoked"
    F = "f", "(f) Parent has given written notice of home education"
    G = "g", "(g) No longer lives within a reasonable distance"
    H = "h", "(h) Did not return within 10 school days after leave of absence"
    I = "i", "(i) Continuously absent for at least 20 school days"  # noqa: E741
    J = "j", "(j) Detained under a sentence"
    K = "k", "(k) Has died"
    L = "l", "(l) Ceases to be of compulsory school age, not continuing to sixth form"
    M = "m", "(m) Boarder whose fees have not been paid"
    N = "n", "(n) Ceased to be a pupil at an independent or non-maintained special school"
    O = "o", "(o) Permanently excluded"  # noqa: E741


class DestinationType(models.TextChoices):
    IN_AREA = "in_area", "A school in this area"
    OUT_OF_AREA = "out_of_area", "A school in another local authority"
    ABROAD = "abroad", "Moving abroad"
    NONE = "none", "No school (for example home education or has died)"
    UNKNOWN = "unknown", "Not known"


class LeaverReturn(SchoolReturn):
    """Regulation 13(3): made when a deletion ground is met, no later than the deletion."""

    ground = models.CharField(max_length=1, choices=DeletionGround.choices)
    ground_met_date = models.DateField("date the ground was met")
    deletion_date = models.DateField("date removed from the admission register")
    ground_details = models.TextField(blank=True)
    # (f) the date of the parent's written notice of home education
    parent_notice_date = models.DateField(null=True, blank=True)
    # (h) the day the leave of absence ended
    leave_end_date = models.DateField(null=True, blank=True)
    # (i) the first day of the continuous unauthorised absence
    absence_start_date = models.DateField(null=True, blank=True)
    # (h), (i): the enquiries the school made (the LA's are joint for (i))
    enquiries_made = models.TextField(blank=True)
    la_enquiries_confirmed = models.BooleanField(default=False)
    # (o) the date the exclusion became final
    exclusion_date = models.DateField(null=True, blank=True)
    # (f), asked only while CME_CNIS_ENABLED (s434A, Children's Wellbeing and Schools Act
    # 2026): did the LA arrange the pupil's special school place, and is the pupil subject to
    # s47 (Children Act 1989) enquiries or action? None: not asked.
    la_arranged_place = models.BooleanField(
        "the local authority arranged the pupil's place", null=True, blank=True
    )
    s47_enquiries = models.BooleanField(
        "subject to section 47 enquiries or action", null=True, blank=True
    )

    new_address = models.CharField(max_length=300, blank=True)
    new_postcode = models.CharField(max_length=10, blank=True)
    destination_type = models.CharField(max_length=12, choices=DestinationType.choices)
    destination_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_school_name = models.CharField(max_length=200, blank=True)
    destination_la = models.CharField("destination local authority", max_length=100, blank=True)
    destination_country = models.CharField(max_length=100, blank=True)
    destination_start_date = models.DateField(null=True, blank=True)
    admission_confirmed = models.BooleanField(
        "the new school has confirmed the admission", default=False
    )
    s2s_lost_pupil_uploaded = models.BooleanField(
        "uploaded to the s2s Lost Pupils Database", default=False
    )
    # Issue 12 A12: an unknown destination is sent (and referred) at once; the s2s upload is
    # a follow-up the school confirms later from the return's page, reminded by the
    # late_returns job (once: s2s_reminded_at) if not confirmed in time.
    s2s_confirmed_at = models.DateTimeField(null=True, blank=True)
    s2s_reminded_at = models.DateTimeField(null=True, blank=True)
    # Set by the unmatched-leavers job (issue 4) when no joiner return came in time.
    transition_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Deletions are never backdated past the ground, nor ahead of it.
            not_before("deletion_date", "ground_met_date", "leaver_deleted_after_ground_met"),
            implies(
                Q(destination_type=DestinationType.IN_AREA),
                Q(destination_school__isnull=False),
                "leaver_in_area_destination_has_school",
            ),
        ]
