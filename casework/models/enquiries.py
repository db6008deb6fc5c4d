"""The enquiries made to find a child: the kinds, the standard checks and the results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casework.models.cases import Case
from cme.models import Audited


class EnquiryType(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    PARENT_CONTACT = "parent_contact", "Parents' phone or email"
    SIBLINGS_SCHOOLS = "siblings_schools", "Siblings' schools"
    SCHOOL_ADMISSIONS = "school_admissions", "School admissions"
    OTHER_LAS = "other_las", "Other local authorities (regional and national)"
    S2S = "s2s", "s2s Lost Pupils Database"
    HEALTH = "health", "Health (GP, school nursing)"
    HOUSING = "housing", "Housing"
    POLICE = "police", "Police"
    REFUGE = "refuge", "Refuge"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    SOCIAL_CARE = "social_care", "Children's social care"
    HMRC_DWP = "hmrc_dwp", "HMRC or DWP (through agreements)"
    HOME_OFFICE = "home_office", "Home Office"
    OTHER = "other", "Other"


#: The checks every initial investigation is expected to make (the checklist on the case).
STANDARD_CHECKS = (
    EnquiryType.HOME_VISIT,
    EnquiryType.PARENT_CONTACT,
    EnquiryType.SIBLINGS_SCHOOLS,
    EnquiryType.SCHOOL_ADMISSIONS,
    EnquiryType.OTHER_LAS,
    EnquiryType.S2S,
    EnquiryType.HEALTH,
    EnquiryType.HOUSING,
    EnquiryType.SOCIAL_CARE,
)


class EnquiryResult(models.TextChoices):
    FOUND = "found", "Found"
    NOT_FOUND = "not_found", "Not found"
    NO_RESPONSE = "no_response", "No response"
    INFORMATION = "information", "Information received"


class Enquiry(Audited):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="enquiries")
    enquiry_type = models.CharField(max_length=20, choices=EnquiryType.choices)
    made_on = models.DateField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.CharField("who was contacted", max_length=200, blank=True)
    result = models.CharField(max_length=12, choices=EnquiryResult.choices)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "-id"]
        verbose_name_plural = "enquiries"
