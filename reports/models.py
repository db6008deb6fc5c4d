"""Report runs for the safeguarding board: who asked for which period, and each download.

The files are in the shared private storage (``STORAGES["private"]``: the database by default,
S3 when configured; docs/decisions/018-no-state-on-a-host.md), with no URL: they are served
only through the managers-only download views, which record each download.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q

from cme.models_base import choices_valid
from cme.storage import private_storage


def _storage() -> Storage:
    """STORAGES["private"] (Django calls this when the model class is made; the migrations
    refer to it by name)."""
    return private_storage()


class RunKind(models.TextChoices):
    ON_DEMAND = "on_demand", "On request"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Building"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReportRun(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_runs",
        help_text="Empty for the scheduled monthly and quarterly builds.",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    period_start = models.DateField()
    period_end = models.DateField()
    kind = models.CharField(max_length=20, choices=RunKind.choices, default=RunKind.ON_DEMAND)
    suppressed = models.BooleanField(
        default=True, help_text="Numbers under 5 hidden (for board distribution)."
    )
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    pdf_file = models.FileField(upload_to="reports/", storage=_storage, blank=True)
    csv_file = models.FileField(upload_to="reports/", storage=_storage, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Stamped when the build is claimed and at each progress step (and when the sweep sends a
    # run again): a building run whose heartbeat stops is taken to be from a dead worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # How many times a build of this run has started (the sweep gives up after the second).
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A generic description of what went wrong: never personal data (the log has the trace).
    error = models.TextField(blank=True)
    # The request form's one-time token: a double click or a retry asks for one run.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            *choices_valid("reportrun", status=RunStatus),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="reportrun_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="reportrun_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                condition=~Q(kind=RunKind.ON_DEMAND),
                name="reportrun_scheduled_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.period_start} to {self.period_end}, {self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.BUILDING)

    @property
    def is_ready(self) -> bool:
        return self.status == RunStatus.READY


class DownloadFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"


class ReportDownload(models.Model):
    """One download of a run's file. Append-only: never changed or deleted in the service."""

    run = models.ForeignKey(ReportRun, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_downloads"
    )
    at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(max_length=3, choices=DownloadFormat.choices)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Download of report {self.run_id} ({self.format})"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Report downloads are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("Report downloads are append-only")


# ------------------------------------------------------------------ the termly CME return


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn term"
    SPRING = "spring", "Spring term"
    SUMMER = "summer", "Summer term"


class CensusDate(models.Model):
    """A school census day, on which the termly CME return counts (issue 15). Kept by the
    administrator in the admin; the 2025/26 days are seeded by migration."""

    #: The calendar year the academic year starts in (2025 for 2025/26).
    academic_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=8, choices=Term.choices)
    census_date = models.DateField(unique=True)

    class Meta:
        ordering = ["census_date"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "term"], name="census_one_a_term"),
            *choices_valid("census", term=Term),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_term_display()} {self.academic_year_label} ({self.census_date:%-d %B %Y})"
        )

    @property
    def academic_year_label(self) -> str:
        return f"{self.academic_year}/{(self.academic_year + 1) % 100:02d}"

    @property
    def time_period(self) -> str:
        """The published files' ``time_period``: 202526 for 2025/26."""
        return f"{self.academic_year}{(self.academic_year + 1) % 100:02d}"


class CensusSubmission(models.Model):
    """A return marked as submitted: the figures and the children counted, frozen, so the
    return can be reproduced and explained after the cases change."""

    census = models.ForeignKey(CensusDate, on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # [[breakdown_topic, breakdown, child_count], ...] in the order of the published file.
    figures = models.JSONField()
    # The children counted, one row each as they stood at the census date:
    # [case id, child id, sex, year group, duration, reason] (the records stay in casework).
    children = models.JSONField()
    # The EHE part at the census date, frozen with the rest: {count name: children}
    # (ehe.selectors.CensusCounts). Empty for returns submitted before it was kept.
    ehe = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.census} submitted {self.submitted_at:%Y-%m-%d %H:%M}"


class PublishedUpload(models.Model):
    """The DfE's published cme_census.csv, uploaded by the administrator (no network access):
    the national and regional figures the dashboard compares with."""

    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d})"


class PublishedFigure(models.Model):
    """One Total row of the published file, national, regional or this authority's (the
    comparison needs no more). Counts and rates are kept as published: "x" (unavailable)
    and "low" are text."""

    upload = models.ForeignKey(PublishedUpload, on_delete=models.CASCADE, related_name="figures")
    time_period = models.CharField(max_length=6)
    time_identifier = models.CharField(max_length=20)
    geographic_level = models.CharField(max_length=20)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=60, blank=True)
    new_la_code = models.CharField(max_length=9, blank=True)
    child_count = models.CharField(max_length=12)
    rate_per_100 = models.CharField(max_length=12)

    class Meta:
        indexes = [models.Index(fields=["time_period", "time_identifier"])]

    def __str__(self) -> str:
        return f"{self.time_period} {self.time_identifier} {self.geographic_level}"
