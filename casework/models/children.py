"""Children: one record per child, and a manager's merges of duplicate records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left, Length
from simple_history.models import HistoricalRecords

from cme.models import Audited
from cme.models_base import PostalAddress
from referrals.models import VulnerabilityFlags
from schools.models import Gender, School


class Child(Audited, VulnerabilityFlags, PostalAddress):
    """One record per child. Duplicates found later are merged (and can be unmerged)."""

    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    nhs_number = models.CharField("NHS number", max_length=12, blank=True)
    # The address (PostalAddress), its postcode indexed for "Find a child".
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    last_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Normalised for matching (casework.matching): lower case, no accents or punctuation.
    first_name_key = models.CharField(max_length=100, blank=True, db_index=True)
    last_name_key = models.CharField(max_length=100, blank=True, db_index=True)
    last_name_phonetic = models.CharField(max_length=20, blank=True, db_index=True)
    # Issue 14: the candidate query's other keys (see casework/matching/blocking.py).
    first_name_phonetic = models.CharField(max_length=20, blank=True)
    postcode_key = models.CharField(max_length=10, blank=True)
    nhs_number_key = models.CharField(max_length=12, blank=True)
    # The words of the middle and other names, normalised, space-separated: "Find a child"
    # looks a word up among them by exact key (a GIN index over the words on PostgreSQL).
    other_name_keys = models.CharField(max_length=300, blank=True)

    # A restricted record (a family in a refuge): address hidden in lists (issue 6).
    restricted = models.BooleanField(default=False)

    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_children"
    )
    # Set by the retention job (casework/retention.py) when the record is anonymised.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    # The audit trail (issue 6): who changed what, when; history_user is the request user.
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name_key", "date_of_birth"]),
            # The candidate query ORs equality on these pairs (a BitmapOr on PostgreSQL);
            # merged children are never candidates, so they are not in the indexes.
            *(
                models.Index(fields=pair, name=name, condition=Q(merged_into__isnull=True))
                for name, pair in (
                    ("child_match_lph_dob", ["last_name_phonetic", "date_of_birth"]),
                    ("child_match_lph_fph", ["last_name_phonetic", "first_name_phonetic"]),
                    ("child_match_fph_dob", ["first_name_phonetic", "date_of_birth"]),
                    ("child_match_pc_fph", ["postcode_key", "first_name_phonetic"]),
                    ("child_match_pc_dob", ["postcode_key", "date_of_birth"]),
                    ("child_match_lph_pc", ["last_name_phonetic", "postcode_key"]),
                )
            ),
            # Date of birth and postcode district (the key without its inward code): the
            # expression is casework.matching.blocking.postcode_outward_expression's.
            models.Index(
                F("date_of_birth"),
                Left("postcode_key", Length("postcode_key") - 3),
                name="child_match_dob_outward",
                condition=Q(merged_into__isnull=True),
            ),
            models.Index(
                fields=["nhs_number_key"],
                name="child_match_nhs",
                condition=Q(merged_into__isnull=True) & ~Q(nhs_number_key=""),
            ),
        ]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_names, self.last_name) if p)


class ChildMerge(Audited):
    """A manager's merge of a duplicate child record into another, with who and why."""

    kept = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_merged")
    reason = models.TextField()
    moved_case_ids = models.JSONField(default=list)
    moved_event_ids = models.JSONField(default=list)
    # Identifiers copied onto ``kept`` (field -> its value before), put back on undo when
    # nobody has changed them since. Flags are not: a vulnerability flag is never cleared.
    copied_fields = models.JSONField(default=dict)
    # A pair that may be twins or siblings (casework.twins): what differed, and why the
    # manager was sure it was one child (issue 14).
    twin_or_sibling_differences = models.JSONField(default=list, blank=True)
    twin_or_sibling_reason = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
