"""Report runs in the admin: read-only (the service builds them; downloads are a record)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from cme.admin import ReadOnly, UploadPage
from cme.models import User
from reports.models import (
    CensusDate,
    CensusSubmission,
    PublishedUpload,
    ReportDownload,
    ReportRun,
)
from reports.published import PublishedFileError, PublishedResult, published_upload
from schools.forms.upload import too_big_message


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin[Any]):
    """The service writes these rows; the admin shows them."""


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


class PublishedUploadForm(forms.Form):
    file = forms.FileField(
        label="cme_census.csv",
        error_messages={"required": "Choose the cme_census.csv file", "empty": "The file is empty"},
    )

    def __init__(self, *args: Any, too_big: bool = False, **kwargs: Any) -> None:
        self.too_big = too_big  # stopped by cme.uploads before it was stored
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.too_big:
            self.errors.pop("file", None)
            self.add_error("file", forms.ValidationError(too_big_message(), code="too_big"))
        return cleaned


@admin.register(PublishedUpload)
class PublishedUploadAdmin(UploadPage, ReadOnlyAdmin):
    """The DfE's published figures: uploaded through the page below, never edited."""

    list_display = ["file_name", "rows", "uploaded_by", "uploaded_at"]
    upload_route = "upload/"
    upload_url_name = "reports_publishedupload_upload"
    upload_title = "Upload the DfE's published cme_census.csv"
    upload_template = "admin/reports/publishedupload/upload.html"
    upload_form = PublishedUploadForm
    upload_errors = (PublishedFileError,)

    def upload_result(self, request: HttpRequest, form: forms.Form) -> PublishedResult | None:
        if not isinstance(request.user, User):
            return None
        file = form.cleaned_data["file"]
        return published_upload(data=file.read(), file_name=file.name, by=request.user)
