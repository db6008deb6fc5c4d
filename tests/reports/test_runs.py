"""Report runs: a manager asks, a task builds (eagerly here), managers download; beat builds
last month's and last quarter's reports and tells the managers."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks, Settings

from cme.models import Notification, Role, User
from reports import periods
from reports import services as svc
from reports.figures import BoardFigures
from reports.models import ReportDownload, ReportRun, RunKind, RunStatus
from reports.tasks import build_report, monthly_board_report, quarterly_board_report
from tests.factories import UserFactory
from tests.reports.test_pdf import LA, PDFTOTEXT, needs_poppler, sample_figures

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

TODAY = "2026-04-10"


@pytest.fixture(autouse=True)
def storage(settings: Settings, tmp_path: Path) -> Path:
    settings.CME_REPORT_STORAGE = str(tmp_path / "reports")
    settings.CME_LA_NAME = LA
    return tmp_path / "reports"


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list[tuple[date, date]]:
    """Hand-built figures (unsuppressed, with small numbers) for whatever period is asked."""
    calls: list[tuple[date, date]] = []

    def fake(start: date, end: date) -> BoardFigures:
        calls.append((start, end))
        return sample_figures(suppressed=False, small=3)

    monkeypatch.setattr(svc, "get_figures", fake)
    return calls


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in PDF and charts, for tests about runs rather than the document."""
    import reports.charts
    import reports.pdf

    monkeypatch.setattr(reports.charts, "board_charts", lambda f: {})
    monkeypatch.setattr(reports.pdf, "render_pdf", lambda f, la, charts=None: b"%PDF-1.7 stand-in")


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(f"{TODAY} 09:00 +01:00", tick=False):
        yield


def _text(path: Path) -> str:
    return subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _request(client: Client, **data: str) -> TestResponse:
    form = {"period": "last_quarter", "audience": "board"}
    form.update(data)
    return client.post(reverse("reports:runs"), form)


# ------------------------------------------------------------------ request → ready → download


@needs_poppler
def test_a_manager_asks_the_task_builds_and_the_download_is_recorded(
    manager_client: Client,
    manager: User,
    figures: list[tuple[date, date]],
    frozen: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    tmp_path: Path,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(manager_client)
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert (run.requested_by, run.kind, run.suppressed) == (manager, RunKind.ON_DEMAND, True)
    assert (run.period_start, run.period_end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert figures == [(date(2026, 1, 1), date(2026, 3, 31))]
    assert run.status == RunStatus.READY
    assert run.progress == 100
    assert run.started_at
    assert run.finished_at
    assert run.error == ""

    page = manager_client.get(reverse("reports:runs"))
    assert page.status_code == 200
    assert b"Ready" in page.content
    assert b"report-progress.js" not in page.content
    assert reverse("reports:download_pdf", args=[run.pk]).encode() in page.content
    status = manager_client.get(reverse("reports:run_status", args=[run.pk])).json()
    assert status["ready"]
    assert status["pdf_url"] == reverse("reports:download_pdf", args=[run.pk])
    assert not ReportDownload.objects.exists()  # asking the status is not a download

    response = manager_client.get(reverse("reports:download_pdf", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.getvalue()
    assert body.startswith(b"%PDF")
    path = tmp_path / "downloaded.pdf"  # the file is in the shared storage, not on a disk
    path.write_bytes(body)
    text = _text(path)
    assert "<5" in text  # suppressed for the board by default
    assert not any(" ".join(line.split()).startswith("Police 3") for line in text.splitlines())

    response = manager_client.get(reverse("reports:download_csv", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.getvalue()

    downloads = list(ReportDownload.objects.order_by("pk").values_list("user", "format", "run"))
    assert downloads == [(manager.pk, "pdf", run.pk), (manager.pk, "csv", run.pk)]


@pytest.mark.usefixtures("fast", "figures", "frozen")
def test_internal_use_is_not_suppressed(
    manager_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _request(manager_client, audience="internal", period="last_month")
    run = ReportRun.objects.get()
    assert run.suppressed is False
    assert (run.period_start, run.period_end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert run.status == RunStatus.READY
    assert run.csv_file.size > 0


@pytest.mark.usefixtures("fast", "figures", "frozen")
def test_a_custom_period(
    manager_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(
            manager_client,
            period="custom",
            **{
                "start_0": "1",
                "start_1": "9",
                "start_2": "2025",
                "end_0": "28",
                "end_1": "2",
                "end_2": "2026",
            },
        )
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert (run.period_start, run.period_end) == (date(2025, 9, 1), date(2026, 2, 28))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (("1", "3", "2026"), ("1", "2", "2026"), "on or before the end date"),
        (("1", "4", "2026"), ("30", "4", "2026"), "today or in the past"),
        (("1", "1", "2024"), ("31", "3", "2026"), "at most 24 months"),
        (("", "", ""), ("31", "3", "2026"), "Enter the first day of the period"),
    ],
)
def test_a_bad_period_is_refused(
    manager_client: Client,
    frozen: None,
    start: tuple[str, str, str],
    end: tuple[str, str, str],
    message: str,
) -> None:
    response = _request(
        manager_client,
        period="custom",
        **{f"start_{i}": v for i, v in enumerate(start)},
        **{f"end_{i}": v for i, v in enumerate(end)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportRun.objects.exists()


def test_the_service_checks_who_asks_and_the_period(
    officer: User, manager: User, frozen: None
) -> None:
    with pytest.raises(PermissionDenied):
        svc.report_request(by=officer, start=date(2026, 1, 1), end=date(2026, 1, 31))
    with pytest.raises(ValidationError):
        svc.report_request(by=manager, start=date(2026, 2, 1), end=date(2026, 1, 31))
    with pytest.raises(ValidationError):
        svc.report_request(by=manager, start=date(2026, 4, 1), end=date(2026, 4, 11))
    with pytest.raises(ValidationError):
        svc.report_request(by=manager, start=date(2024, 3, 1), end=date(2026, 3, 31))
    svc.report_request(by=manager, start=date(2024, 4, 1), end=date(2026, 3, 31))  # 24 months


def test_periods() -> None:
    assert periods.last_month(date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert periods.last_quarter(date(2026, 1, 5)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert periods.last_quarter(date(2026, 5, 20)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert periods.last_12_months(date(2026, 4, 10)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert svc.first_working_day_of_month(date(2027, 1, 20)) == date(2027, 1, 4)


# ----------------------------------------------------------------- progress, failure, claims


def _january(manager: User, **fields: Any) -> ReportRun:
    """A run for January 2026, asked for by the manager: queued unless ``fields`` say not."""
    return ReportRun.objects.create(
        requested_by=manager, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), **fields
    )


def _january_built(manager: User) -> ReportRun:
    """The January run, built through the task (eager in tests), as saved."""
    run = _january(manager)
    build_report.delay(run.pk)
    run.refresh_from_db()
    return run


def _the_run_after_each_step(monkeypatch: pytest.MonkeyPatch) -> list[ReportRun]:
    """Builds from sample figures; the list fills with the run as saved after each progress
    step, read back from the database."""
    steps: list[ReportRun] = []
    real = svc._progress

    def spy(run_id: int, percent: int, message: str) -> None:
        real(run_id, percent, message)
        steps.append(ReportRun.objects.get(pk=run_id))

    monkeypatch.setattr(svc, "_progress", spy)
    monkeypatch.setattr(svc, "get_figures", lambda s, e: sample_figures())
    return steps


def test_the_page_polls_and_shows_progress_while_a_run_builds(
    manager_client: Client, manager: User
) -> None:
    run = _january(
        manager,
        status=RunStatus.BUILDING,
        progress=60,
        message="Laying out the PDF",
    )
    page = manager_client.get(reverse("reports:runs")).content.decode()
    # No self-refresh (WCAG 2.2.1): a module script polls status.json; a link for no JS.
    assert 'http-equiv="refresh"' not in page
    assert 'src="/static/js/report-progress.js"' in page
    assert f'data-status-url="{reverse("reports:run_status", args=[run.pk])}"' in page
    assert "Check progress" in page
    assert f'<progress id="progress-{run.pk}" max="100" value="60">' in page
    assert "Laying out the PDF (60%)" in page
    status = manager_client.get(reverse("reports:run_status", args=[run.pk])).json()
    assert status == {
        "id": run.pk,
        "status": "building",
        "progress": 60,
        "message": "Laying out the PDF",
        "ready": False,
        "pdf_url": "",
        "csv_url": "",
        "error": "",
    }


def test_progress_is_saved_at_each_step(
    fast: None, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _january(manager)
    steps = _the_run_after_each_step(monkeypatch)
    assert build_report.delay(run.pk).get() is True
    assert [step.progress for step in steps] == [10, 30, 60, 90]
    run.refresh_from_db()
    assert run.progress == 100
    assert run.status == RunStatus.READY


def test_a_failed_build_is_marked_failed_without_detail(
    manager: User, manager_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(start: date, end: date) -> NoReturn:
        raise RuntimeError("Jane Smith, 12 High Street")  # a message that must not be shown

    monkeypatch.setattr(svc, "get_figures", boom)
    run = _january(manager)
    assert build_report.delay(run.pk).get() is False
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == svc.FAILED_MESSAGE
    assert "Jane" not in run.error
    assert not run.pdf_file
    page = manager_client.get(reverse("reports:runs")).content.decode()
    assert "Failed" in page
    assert "Jane" not in page
    assert manager_client.get(reverse("reports:download_pdf", args=[run.pk])).status_code == 404


def test_a_database_error_hands_the_run_back_for_a_retry(
    fast: None, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    attempts: list[int] = []

    def flaky(start: date, end: date) -> BoardFigures:
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("server closed the connection")
        return sample_figures()

    monkeypatch.setattr(svc, "get_figures", flaky)
    run = _january(manager)
    with pytest.raises(OperationalError):  # raised, so the task's autoretry takes it
        svc.report_build(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    # shared_task(autoretry_for=...) sets it; celery-stubs' Task does not declare it.
    assert OperationalError in build_report.autoretry_for  # type: ignore[attr-defined]
    assert svc.report_build(run.pk) is True  # the retry
    run.refresh_from_db()
    assert run.status == RunStatus.READY


def test_a_second_build_task_for_the_same_run_does_nothing(
    fast: None, manager: User, figures: list[tuple[date, date]]
) -> None:
    run = _january(manager)
    assert build_report.delay(run.pk).get() is True
    run.refresh_from_db()
    first = (run.pdf_file.name, run.finished_at)
    assert build_report.delay(run.pk).get() is False
    run.refresh_from_db()
    assert (run.pdf_file.name, run.finished_at) == first
    assert len(figures) == 1


def _building(manager: User, *, heartbeat_minutes: float, attempts: int = 1) -> ReportRun:
    now = timezone.now()
    return _january(
        manager,
        status=RunStatus.BUILDING,
        progress=30,
        message="Drawing the charts",
        started_at=now - timedelta(minutes=heartbeat_minutes + 1),
        heartbeat_at=now - timedelta(minutes=heartbeat_minutes),
        attempts=attempts,
    )


def test_a_redelivered_task_rebuilds_a_run_whose_heartbeat_stopped(
    fast: None, manager: User, figures: list[tuple[date, date]]
) -> None:
    # A live build (heartbeat a moment ago) is left alone by a duplicate delivery...
    run = _building(manager, heartbeat_minutes=0.5)
    assert build_report.delay(run.pk).get() is False
    # ...but once its heartbeat has stopped for 2 minutes the redelivered task takes it over.
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=3))
    assert build_report.delay(run.pk).get() is True
    run.refresh_from_db()
    assert run.status == RunStatus.READY
    assert run.attempts == 2


def test_progress_steps_are_heartbeats(
    fast: None, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _january(manager)
    steps = _the_run_after_each_step(monkeypatch)
    before = timezone.now()
    assert build_report.delay(run.pk).get() is True
    beats = [step.heartbeat_at for step in steps]
    assert len(beats) == 4
    assert all(b is not None and b >= before for b in beats)
    assert beats == sorted(beats)  # type: ignore[type-var]  # none is None: asserted above


def test_the_sweep_sends_a_stopped_run_again_once_then_fails_it(
    fast: None, manager: User, figures: list[tuple[date, date]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cme.tasks
    from cme.jobs import run_job

    sent: list[tuple[object, ...]] = []

    def enqueue(task: object, *args: object, **kw: object) -> bool:
        sent.append(args)
        return True

    monkeypatch.setattr(cme.tasks, "enqueue", enqueue)
    today = timezone.localdate()
    run = _building(manager, heartbeat_minutes=3)  # the worker died at 30%
    alive = _building(manager, heartbeat_minutes=0.5)  # another build still going

    first = run_job("requeue_pending", today=today)
    assert first.flagged == [f"report run {run.pk}"]
    assert sent == [(run.pk,)]
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    assert run.attempts == 1
    assert ReportRun.objects.get(pk=alive.pk).status == RunStatus.BUILDING
    # Run again at once: nothing more is sent or changed.
    assert run_job("requeue_pending", today=today).flagged == []
    assert sent == [(run.pk,)]

    # The requeued task claims it (second attempt), and that worker dies too.
    assert svc._claim(run.pk) is True
    ReportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=3))
    third = run_job("requeue_pending", today=today)
    assert third.flagged == [f"report run {run.pk} failed"]
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == svc.STOPPED_MESSAGE
    assert run.finished_at is not None
    assert build_report.delay(run.pk).get() is False  # a late redelivery does not revive it
    assert run_job("requeue_pending", today=today).flagged == []
    assert sent == [(run.pk,)]
    assert ReportRun.objects.get(pk=run.pk).status == RunStatus.FAILED


def test_a_run_building_too_long_is_stale_whatever_its_heartbeat(
    fast: None, manager: User, figures: list[tuple[date, date]]
) -> None:
    run = _building(manager, heartbeat_minutes=0.5)
    ReportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=31))
    assert build_report.delay(run.pk).get() is True


def test_the_beat_sweep_runs_every_minute(settings: Settings) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["requeue_pending"]
    assert entry["task"] == "cme.tasks.requeue_pending"
    assert entry["schedule"] <= 60
    assert build_report.reject_on_worker_lost
    assert build_report.acks_late


def test_a_failed_run_shows_try_again_and_a_manager_rebuilds_it(
    fast: None,
    manager: User,
    manager_client: Client,
    figures: list[tuple[date, date]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    run = _building(manager, heartbeat_minutes=3, attempts=2)
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=svc.STOPPED_MESSAGE)
    page = manager_client.get(reverse("reports:runs")).content.decode()
    url = reverse("reports:retry", args=[run.pk])
    assert f'action="{url}"' in page
    assert "Try again" in page
    assert "Failed" in page
    assert manager_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.READY
    assert run.attempts == 1
    # A second click (the run is no longer failed) builds nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert manager_client.post(url).status_code == 302
    assert len(figures) == 1


@pytest.mark.parametrize("persona", ["staff_a", "officer", "administrator"])
def test_only_managers_may_try_again(
    persona: str, request: pytest.FixtureRequest, client: Client, manager: User
) -> None:
    run = _building(manager, heartbeat_minutes=3, attempts=2)
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("reports:retry", args=[run.pk])).status_code == 403
    assert ReportRun.objects.get(pk=run.pk).status == RunStatus.FAILED


def test_not_ready_runs_cannot_be_downloaded(manager: User, manager_client: Client) -> None:
    run = _january(manager)
    for name in ("reports:download_pdf", "reports:download_csv"):
        assert manager_client.get(reverse(name, args=[run.pk])).status_code == 404
    assert manager_client.get(reverse("reports:download_pdf", args=[99999])).status_code == 404
    assert not ReportDownload.objects.exists()


def test_downloads_are_append_only(
    fast: None, manager: User, figures: list[tuple[date, date]]
) -> None:
    run = _january_built(manager)
    download = svc.report_download_record(run=run, user=manager, fmt="pdf")
    with pytest.raises(ValueError, match="append-only"):
        download.save()
    with pytest.raises(ValueError, match="append-only"):
        download.delete()


def test_report_files_have_no_public_url(
    fast: None, manager: User, figures: list[tuple[date, date]]
) -> None:
    run = _january_built(manager)
    with pytest.raises(ValueError, match="no URL"):
        _ = run.pdf_file.url


def test_the_status_is_checked_by_the_database(manager: User) -> None:
    with pytest.raises(IntegrityError):
        _january(
            manager,
            status="lost",
        )


@pytest.mark.parametrize("rows", [2, 20])
def test_the_runs_list_runs_a_constant_number_of_queries(
    manager_client: Client, rows: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    statuses = [RunStatus.READY, RunStatus.FAILED, RunStatus.BUILDING, RunStatus.QUEUED]
    ReportRun.objects.bulk_create(
        ReportRun(
            # Each asked for by someone else: the names come with the runs, not one by one.
            requested_by=UserFactory.create(role=Role.MANAGER, full_name=f"Manager {i:02d}"),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            status=statuses[i % 4],
            progress=40,
        )
        for i in range(rows)
    )
    # session, user, the count, the page, the unread count, the session save (+ 4 savepoints)
    with django_assert_max_num_queries(10):
        response = manager_client.get(reverse("reports:runs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f"Manager {i:02d}" in html for i in range(rows))


# ------------------------------------------------------------------------------- beat


def test_beat_has_the_two_report_entries(settings: Settings) -> None:
    monthly = settings.CELERY_BEAT_SCHEDULE["monthly_board_report"]
    quarterly = settings.CELERY_BEAT_SCHEDULE["quarterly_board_report"]
    assert monthly["task"] == "reports.tasks.monthly_board_report"
    assert quarterly["task"] == "reports.tasks.quarterly_board_report"
    assert monthly["schedule"].day_of_month == set(range(1, 8))
    assert quarterly["schedule"].month_of_year == {1, 4, 7, 10}


def test_monthly_build_on_the_first_working_day_once(
    fast: None,
    manager: User,
    officer: User,
    figures: list[tuple[date, date]],
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    other_manager = type(manager).objects.create_user(
        "mo@la.gov.uk", role="manager", full_name="Mo Manager"
    )
    # 1 December 2026 is a Tuesday: the first working day of the month.
    with django_capture_on_commit_callbacks(execute=True):
        summary = monthly_board_report.delay("2026-12-01").get()
        monthly_board_report.delay("2026-12-01").get()
    assert "created" in summary
    assert "notified 2" in summary
    run = ReportRun.objects.get()
    assert (run.kind, run.period_start, run.period_end) == (
        RunKind.MONTHLY,
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert run.suppressed is True
    assert run.requested_by is None
    assert run.status == RunStatus.READY
    notes = Notification.objects.filter(key=f"report:{run.pk}")
    assert sorted(n.user_id for n in notes) == sorted([manager.pk, other_manager.pk])
    assert all(n.url == reverse("reports:runs") for n in notes)
    assert len(mailoutbox) == 2
    assert len(figures) == 1


def test_monthly_build_waits_for_the_first_working_day(
    fast: None, figures: list[tuple[date, date]], db: None
) -> None:
    # 1 January 2027 is a bank holiday; 2 and 3 are the weekend; Monday 4th is the day.
    for day in ("2027-01-01", "2027-01-02", "2027-01-03", "2027-01-05"):
        assert "not today" in monthly_board_report.delay(day).get()
    assert not ReportRun.objects.exists()
    monthly_board_report.delay("2027-01-04").get()
    run = ReportRun.objects.get()
    assert (run.period_start, run.period_end) == (date(2026, 12, 1), date(2026, 12, 31))


def test_quarterly_build_at_the_start_of_a_quarter(
    fast: None, manager: User, figures: list[tuple[date, date]]
) -> None:
    assert "not today" in quarterly_board_report.delay("2026-12-01").get()
    quarterly_board_report.delay("2026-10-01").get()
    quarterly_board_report.delay("2026-10-01").get()
    run = ReportRun.objects.get()
    assert (run.kind, run.period_start, run.period_end) == (
        RunKind.QUARTERLY,
        date(2026, 7, 1),
        date(2026, 9, 30),
    )
    assert Notification.objects.filter(key=f"report:{run.pk}", user=manager).count() == 1


def test_a_scheduled_run_for_a_period_is_unique(db: None) -> None:
    ReportRun.objects.create(
        kind=RunKind.MONTHLY, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31)
    )
    with pytest.raises(IntegrityError):
        ReportRun.objects.create(
            kind=RunKind.MONTHLY, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31)
        )


def test_on_demand_runs_for_the_same_period_may_repeat(manager: User) -> None:
    for _ in range(2):
        ReportRun.objects.create(
            requested_by=manager, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31)
        )
    assert ReportRun.objects.count() == 2


# -------------------------------------------------------------------------- permissions


PERSONAS = ["anonymous", "staff_a", "officer", "administrator", "manager"]


@pytest.fixture
def ready_run(manager: User, figures: list[tuple[date, date]], fast: None) -> ReportRun:
    run = _january_built(manager)
    assert run.status == RunStatus.READY
    return run


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["runs", "run_status", "download_pdf", "download_csv"])
def test_only_managers_may_use_report_runs(
    persona: str, name: str, request: pytest.FixtureRequest, client: Client, ready_run: ReportRun
) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(f"reports:{name}", args=[] if name == "runs" else [ready_run.pk])
    response = client.get(url)
    expected = {"anonymous": 302, "manager": 200}.get(persona, 403)
    assert response.status_code == expected, (name, persona)
    if persona == "anonymous":
        assert "/sign-in/" in response["Location"]
    if name.startswith("download"):
        assert ReportDownload.objects.count() == (1 if persona == "manager" else 0)


@pytest.mark.parametrize("persona", ["staff_a", "officer", "administrator"])
def test_only_managers_may_ask_for_a_report(
    persona: str, request: pytest.FixtureRequest, client: Client
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert _request(client).status_code == 403
    assert not ReportRun.objects.exists()
