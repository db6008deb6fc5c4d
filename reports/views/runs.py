"""Report runs: ask for the board report, watch it build, download it (managers only)."""

from __future__ import annotations

import contextlib
import uuid
from datetime import date
from typing import Any

from crispy_forms_gds.layout import ConditionalQuestion, Field
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from cme.access import acting_user, managers_only
from cme.forms import gds_helper
from reports import periods
from reports import services as svc
from reports.models import DownloadFormat, ReportRun, RunStatus
from schools.forms.fields import GdsDateField
from schools.forms.layout import Radios
from schools.presenters import TOKEN_FIELD

QUICK_CHOICES = [
    ("last_month", "Last month"),
    ("last_quarter", "Last quarter"),
    ("last_12_months", "Last 12 months"),
    ("custom", "Choose the dates"),
]
SUPPRESSION_CHOICES = [
    ("board", "For the board (numbers under 5 hidden)"),
    ("internal", "For internal use (all numbers)"),
]


def quick_period(choice: str, today: date) -> tuple[date, date] | None:
    return {
        "last_month": periods.last_month,
        "last_quarter": periods.last_quarter,
        "last_12_months": periods.last_12_months,
    }.get(choice, lambda _t: None)(today)


def _period_day(what: str, label: str, example: str) -> GdsDateField:
    """An optional date of the chosen period (asked only when "Choose the dates" is picked)."""
    return GdsDateField(what=what, label=label, required=False, help_text=f"For example, {example}")


def _radios(
    label: str, choices: list[tuple[str, str]], initial: str, required: str, help_text: str = ""
) -> forms.ChoiceField:
    """A required question answered by radios; ``required`` is the error when none is picked."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        initial=initial,
        error_messages={"required": required},
        help_text=help_text,
    )


class ReportRequestForm(forms.Form):
    period = _radios(
        "Which period should the report cover?",
        QUICK_CHOICES,
        "last_month",
        "Select the period the report should cover",
    )
    start = _period_day("the first day of the period", "From", "1 4 2026")
    end = _period_day("the last day of the period", "To", "30 6 2026")
    audience = _radios(
        "Who is the report for?",
        SUPPRESSION_CHOICES,
        "board",
        "Select who the report is for",
        help_text="Reports for the board hide counts from 1 to 4 so that no child can be identified.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The dates are asked only when "Choose the dates" is picked (a GOV.UK reveal,
        # matched to its radio by the choice's label).
        self.helper = gds_helper(
            Radios(
                "period",
                *[
                    ConditionalQuestion(label, Field("start"), Field("end"))
                    if value == "custom"
                    else label
                    for value, label in QUICK_CHOICES
                ],
                legend_size="m",
            ),
            Field.radios("audience", legend_size="m"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # noqa: S101 - Form.clean returns cleaned_data
        choice = data.get("period")
        today = timezone.localdate()
        if choice == "custom":
            for name, what in (
                ("start", "the first day of the period"),
                ("end", "the last day of the period"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter {what}")
            if self.errors:
                return data
            period: tuple[date, date] | None = (data["start"], data["end"])
        else:
            period = quick_period(choice or "", today)
        if period is None:
            return data
        try:
            periods.validate_period(*period, today=today)
        except ValidationError as exc:
            field = "start" if exc.code in ("order", "too_long") else "end"
            if choice != "custom":
                field = "period"
            self.add_error(field, exc.messages[0])
            return data
        data["period_start"], data["period_end"] = period
        return data


def _request_token(request: HttpRequest) -> uuid.UUID:
    """The request form's one-time token: the one posted, else a new one for each form shown
    (two tabs ask for two reports; a double click or a retry of one form asks for one)."""
    with contextlib.suppress(ValueError):
        return uuid.UUID(request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else "")
    return uuid.uuid4()


@managers_only
def runs(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    token = _request_token(request)
    if request.method == "POST":
        # Asked already (a double click, or a retry after a lost answer): that run, no other.
        run = svc.report_already_requested(token)
        form = ReportRequestForm(request.POST)
        if run is None and form.is_valid():
            run = svc.report_request(
                by=user,
                start=form.cleaned_data["period_start"],
                end=form.cleaned_data["period_end"],
                suppressed=form.cleaned_data["audience"] == "board",
                submission_token=token,
            )
        if run is not None:
            messages.success(request, f"Report {run.pk} requested: it is being built")
            return redirect("reports:runs")
    else:
        form = ReportRequestForm()
    page = Paginator(ReportRun.objects.select_related("requested_by"), 25).get_page(
        request.GET.get("page")
    )
    busy = any(run.in_progress for run in page.object_list)
    return render(
        request,
        "reports/runs.html",
        {"form": form, "page": page, "busy": busy, "submission_token": token},
    )


@managers_only
def retry(request: HttpRequest, run_id: int) -> HttpResponse:
    """POST: build a failed run again ("Try again" on the runs page)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    run = get_object_or_404(ReportRun, pk=run_id)
    if svc.report_retry(run_id=run.pk, by=acting_user(request)):
        messages.success(request, f"Report {run.pk} is being built again")
    else:
        messages.info(request, f"Report {run.pk} has not failed: it was not built again")
    return redirect("reports:runs")


@managers_only
def run_status(request: HttpRequest, run_id: int) -> JsonResponse:
    run = get_object_or_404(ReportRun, pk=run_id)
    ready = run.status == RunStatus.READY
    return JsonResponse(
        {
            "id": run.pk,
            "status": run.status,
            "progress": run.progress,
            "message": run.message,
            "ready": run.status == RunStatus.READY,
            "pdf_url": reverse("reports:download_pdf", args=[run.pk]) if ready else "",
            "csv_url": reverse("reports:download_csv", args=[run.pk]) if ready else "",
            "error": run.error,
        }
    )


def _download(request: HttpRequest, run_id: int, fmt: str) -> FileResponse:
    run = get_object_or_404(ReportRun, pk=run_id)
    file = run.pdf_file if fmt == DownloadFormat.PDF else run.csv_file
    if run.status != RunStatus.READY or not file:
        raise Http404("The report is not ready")
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The report file is missing") from exc
    svc.report_download_record(run=run, user=acting_user(request), fmt=fmt)
    name = file.name.rsplit("/", 1)[-1]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type="application/pdf" if fmt == DownloadFormat.PDF else "text/csv; charset=utf-8",
    )


@managers_only
def download_pdf(request: HttpRequest, run_id: int) -> FileResponse:
    return _download(request, run_id, DownloadFormat.PDF)


@managers_only
def download_csv(request: HttpRequest, run_id: int) -> FileResponse:
    return _download(request, run_id, DownloadFormat.CSV)
