"""Report runs for the safeguarding board: who asked for which period, and each download.

The files live under ``settings.CME_REPORT_STORAGE`` (outside MEDIA_ROOT's public URL space):
they are served only through the managers-only download views, which record each download.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q

from cme.models import one_of


class ReportStorage(FileSystemStorage):
    """Private storage for report files: the folder is read from settings on each use (so a
    test can point it elsewhere) and there is no base URL, so nothing can link to a file."""

    @property
    def base_location(self) -> str:
        return str(settings.CME_REPORT_STORAGE)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Report files have no URL: they are served by the download views")


report_storage = ReportStorage()


def _storage() -> ReportStorage:
    return report_storage


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

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            one_of("status", RunStatus, "reportrun_status_valid"),
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
