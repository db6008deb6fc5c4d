"""Report runs in the admin: read-only (the service builds them; downloads are a record)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reports.models import CensusDate, CensusSubmission, ReportDownload, ReportRun


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "kind",
        "period_start",
        "period_end",
        "suppressed",
        "status",
        "progress",
        "requested_by",
        "requested_at",
        "finished_at",
    ]
    list_filter = ["kind", "status", "suppressed"]
    date_hierarchy = "requested_at"
    # The files are served only by the managers-only download views, never from here.
    exclude = ["pdf_file", "csv_file"]


@admin.register(ReportDownload)
class ReportDownloadAdmin(ReadOnlyAdmin):
    list_display = ["run", "user", "format", "at"]
    list_filter = ["format"]
    date_hierarchy = "at"


@admin.register(CensusDate)
class CensusDateAdmin(admin.ModelAdmin[CensusDate]):
    """The administrator keeps the school census days the termly CME return counts on."""

    list_display = ["academic_year", "term", "census_date"]
    ordering = ["-census_date"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A day a return was submitted for stays, with its snapshot.
        return obj is None or not obj.submissions.exists()


@admin.register(CensusSubmission)
class CensusSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["census", "submitted_by", "submitted_at"]
    exclude = ["children"]  # the children counted are seen through the return screen
