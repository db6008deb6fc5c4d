"""Schools (from the DfE GIAS directory) and the staff who act for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cme.models import Audited


class SchoolType(models.TextChoices):
    MAINTAINED = "maintained", "Local authority maintained"
    ACADEMY = "academy", "Academy"
    FREE = "free", "Free school"
    INDEPENDENT = "independent", "Independent school"
    SPECIAL = "special", "Special school"
    PRU = "pru", "Pupil referral unit"
    ALTERNATIVE_PROVISION = "ap", "Alternative provision"
    OTHER = "other", "Other"


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class SchoolQuerySet(models.QuerySet["School"]):
    def open(self) -> SchoolQuerySet:
        return self.filter(is_open=True)

    def in_area(self) -> SchoolQuerySet:
        return self.filter(la_code=settings.CME_LA_CODE)


class School(Audited):
    urn = models.PositiveIntegerField("URN", unique=True, help_text="DfE unique reference number")
    name = models.CharField(max_length=200)
    school_type = models.CharField(max_length=20, choices=SchoolType.choices)
    # The GIAS wording, kept because our types group several of it.
    gias_type = models.CharField("GIAS type", max_length=120, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.NOT_APPLICABLE)
    la_code = models.CharField("LA code", max_length=3, db_index=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_open = models.BooleanField("open", default=True)
    # From GIAS: the town, for finding a school; the close date, which an open school
    # "proposed to close" has too.
    town = models.CharField(max_length=100, blank=True)
    close_date = models.DateField(null=True, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def is_in_area(self) -> bool:
        return bool(self.la_code == settings.CME_LA_CODE)


class SchoolMembership(Audited):
    """One user may serve several schools (a trust's attendance lead, say)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.school}"
