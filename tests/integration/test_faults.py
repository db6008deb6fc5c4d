"""Faults (issue 6): the broker down, a worker killed mid-job, a job crashing half-way.

The broker is a PRIVATE redis-server started here on a free port from 6390 up (never the
shared 6379), so stopping it touches nobody else. Where no redis-server binary exists (a
newcomer's laptop), kombu's filesystem transport stands in: "down" is its folder missing.
The worker is a real ``celery worker`` process on the test database (``transactional_db``:
see tests/integration/test_celery_worker.py), building real reports into a private folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.models import Case
from cme.jobs import run_job
from cme.models import Notification, Role, StoredFile
from cme.tasks import enqueue, ping
from config.celery import app
from reports import periods
from reports import services as report_services
from reports.models import ReportRun, RunStatus
from tests.conftest import client_for
from tests.factories import CaseFactory, UserFactory
from tests.integration.workers import start_worker

pytestmark = pytest.mark.integration

#: CME_TEST_FAULTS_BROKER=filesystem tries the fallback on a machine that has redis-server.
REDIS_SERVER = (
    None
    if os.environ.get("CME_TEST_FAULTS_BROKER") == "filesystem"
    else shutil.which("redis-server")
)
TIMEOUT = 90


def _free_port(start: int = 6390) -> int:
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for a private redis-server")


class Broker:
    """A private broker that a test can stop and start again."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.process: subprocess.Popen[bytes] | None = None
        if REDIS_SERVER:
            self.port = _free_port()
            self.url = f"redis://127.0.0.1:{self.port}/0"
            self.options: dict[str, Any] = {
                "visibility_timeout": 3600,
                "socket_connect_timeout": 2,
                "socket_timeout": 2,
            }
            self.worker_env = {"CELERY_BROKER_URL": self.url}
        else:
            self.folder = tmp_path / "celery"
            self.url = "filesystem://"
            self.options = {
                "data_folder_in": str(self.folder / "queue"),
                "data_folder_out": str(self.folder / "queue"),
                "processed_folder": str(self.folder / "processed"),
                "control_folder": str(self.folder / "control"),
                "store_processed": False,
            }
            self.worker_env = {
                "CELERY_BROKER_URL": self.url,
                "CME_TEST_CELERY_DIR": str(self.folder),
            }

    @property
    def kind(self) -> str:
        return "redis" if REDIS_SERVER else "filesystem"

    def start(self) -> None:
        if not REDIS_SERVER:
            for sub in ("queue", "processed", "control"):
                (self.folder / sub).mkdir(parents=True, exist_ok=True)
            return
        assert self.process is None
        self.process = subprocess.Popen(  # noqa: S603 - the redis-server binary, our arguments
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if not REDIS_SERVER:
            shutil.rmtree(self.folder, ignore_errors=True)  # the queue folder gone: "down"
            return
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def broker(
    transactional_db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Broker]:
    """The private broker, running, with this process's producer pointed at it."""
    b = Broker(tmp_path)
    b.start()
    # Celery reads CELERY_BROKER_URL from the environment before its configuration: both.
    for name in ("CELERY_BROKER_URL", "CELERY_BROKER_WRITE_URL", "CELERY_BROKER_READ_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CELERY_BROKER_URL", b.url)
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    app.conf["broker_url"] = b.url  # as app.conf.broker_url = ...; the stubs make it read-only
    app.conf.broker_transport_options = b.options
    app.conf.task_always_eager = False
    app._after_fork()  # type: ignore[attr-defined]  # private: forget pooled connections to any other broker
    try:
        with app.connection_for_write() as conn:  # never the shared Redis (6379)
            assert conn.as_uri().endswith(b.url.split("//", 1)[1]), conn.as_uri()
            assert conn.transport_options == b.options
        yield b
    finally:
        app._after_fork()  # type: ignore[attr-defined]
        app.conf["broker_url"], app.conf.broker_transport_options, app.conf.task_always_eager = (
            saved
        )
        monkeypatch.undo()
        app._after_fork()  # type: ignore[attr-defined]
        b.stop()


@pytest.fixture
def storage(settings: Any, tmp_path: Path) -> Path:
    settings.CME_REPORT_STORAGE = str(tmp_path / "reports")
    return tmp_path / "reports"


class Worker:
    """A real ``celery worker`` on the private broker and the test database."""

    def __init__(self, broker: Broker, storage: Path, log: Path, **env: str) -> None:
        self.log = log
        self._log = log.open("w")
        self.process = start_worker(
            name=f"cme-faults-{os.getpid()}@%h",
            log=self._log,
            env={**broker.worker_env, "CME_REPORT_STORAGE": str(storage), **env},
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no acknowledgement, no exception handler runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


def _wait_for(run_id: int, worker: Worker, done: Any, what: str) -> ReportRun:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        run = ReportRun.objects.get(pk=run_id)
        if done(run):
            return run
        if worker.process.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} not {what} in {TIMEOUT}s ({run.status}):\n{worker.text()}")


def _files(folder: Path) -> list[Path]:
    """The files in the shared storage (the database: ADR 018); none on the worker's disk."""
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    return [
        Path(name) for name in StoredFile.objects.order_by("name").values_list("name", flat=True)
    ]


# ------------------------------------------------------------------------ broker down


def test_with_the_broker_down_the_app_answers_and_the_work_runs_when_it_is_back(
    broker: Broker, storage: Path, tmp_path: Path
) -> None:
    manager = UserFactory.create(role=Role.MANAGER)
    client = client_for(manager)
    assert enqueue(ping), "the private broker takes a message while it is up"

    broker.stop()
    started = time.monotonic()
    response = client.post(reverse("reports:runs"), {"period": "last_month", "audience": "board"})
    took = time.monotonic() - started
    assert response.status_code == 302, response.content.decode()[:2000]
    assert took < 3, f"the request took {took:.1f}s with the {broker.kind} broker down"
    run = ReportRun.objects.get()
    assert run.status == RunStatus.QUEUED  # the work is recorded, not lost
    assert client.get(reverse("reports:runs")).status_code == 200  # the app goes on working
    # A sweep while the broker is still down sends nothing and does not fail.
    ReportRun.objects.filter(pk=run.pk).update(requested_at=timezone.now() - timedelta(minutes=10))
    assert run_job("requeue_pending", today=timezone.localdate()).flagged == [
        f"report run {run.pk}"
    ]
    assert ReportRun.objects.get(pk=run.pk).status == RunStatus.QUEUED

    broker.start()
    worker = Worker(broker, storage, tmp_path / "worker.log")
    try:
        run_job("requeue_pending", today=timezone.localdate())  # beat's sweep, by hand
        run = _wait_for(
            run.pk, worker, lambda r: r.status in (RunStatus.READY, RunStatus.FAILED), "built"
        )
    finally:
        worker.stop()
    assert run.status == RunStatus.READY, worker.text()
    assert run.pdf_file.name
    assert run.csv_file.name
    assert [p.name for p in _files(storage)] == sorted(
        [Path(run.pdf_file.name).name, Path(run.csv_file.name).name]
    )
    # Once built, a further sweep finds nothing to send.
    assert run_job("requeue_pending", today=timezone.localdate()).flagged == []


# ------------------------------------------------------------------ worker killed mid-job


def test_a_worker_killed_mid_build_leaves_nothing_half_done_and_a_rerun_completes_it(
    broker: Broker, storage: Path, tmp_path: Path
) -> None:
    manager = UserFactory.create(role=Role.MANAGER)
    slow = Worker(broker, storage, tmp_path / "slow.log", CME_TEST_SLOW_REPORT_SECONDS="60")
    try:
        today = timezone.localdate()
        start, end = periods.last_month(today)
        run = report_services.report_request(by=manager, start=start, end=end)
        run = _wait_for(
            run.pk, slow, lambda r: r.status == RunStatus.BUILDING and r.progress == 10, "building"
        )
        slow.kill()
    finally:
        slow.stop()

    run = ReportRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.BUILDING
    assert run.progress == 10
    assert run.pdf_file.name == ""
    assert run.csv_file.name == ""
    assert run.finished_at is None
    assert _files(storage) == []  # nothing half-written
    # Within the 30 minutes, a resend is refused: the dead worker might still be alive.
    assert report_services.report_build(run.pk) is False

    ReportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=31))
    assert run_job("requeue_pending", today=today).flagged == [f"report run {run.pk}"]
    fresh = Worker(broker, storage, tmp_path / "fresh.log")
    try:
        run = _wait_for(
            run.pk, fresh, lambda r: r.status in (RunStatus.READY, RunStatus.FAILED), "built"
        )
    finally:
        fresh.stop()
    assert run.status == RunStatus.READY, fresh.text()
    assert [p.name for p in _files(storage)] == sorted(
        [Path(run.pdf_file.name).name, Path(run.csv_file.name).name]
    )
    assert run.pdf_file.open("rb").read().startswith(b"%PDF")


# ---------------------------------------------------------------- a job crashing half-way


RUN_ON = date(2026, 12, 29)


def _overdue_cases(n: int) -> list[Case]:
    officer = UserFactory.create(role=Role.OFFICER)
    return [
        CaseFactory.create(
            allocated_to=officer,
            received_on=RUN_ON - timedelta(days=30),
            due_date=RUN_ON - timedelta(days=10),
        )
        for _ in range(n)
    ]


def test_a_flagging_job_rolled_back_leaves_no_flags(transactional_db: None) -> None:
    cases = _overdue_cases(3)

    class Killed(Exception):
        pass

    def flag_then_die() -> None:
        with transaction.atomic():
            assert len(run_job("overdue_enquiries", today=RUN_ON).flagged) == 3
            raise Killed

    with pytest.raises(Killed):
        flag_then_die()

    assert not Case.objects.filter(overdue_flagged_at__isnull=False).exists()
    assert not Notification.objects.exists()
    assert len(run_job("overdue_enquiries", today=RUN_ON).flagged) == len(cases)


def test_a_job_dying_between_flagging_and_notifying_flags_nothing_then_reruns(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flags (one UPDATE) and the notifications are one transaction: a crash after the
    UPDATE leaves neither, and the rerun flags and notifies each case once."""
    import casework.jobs

    cases = _overdue_cases(3)

    def crash(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("worker died")

    # The notifying step, whichever it is in this version of the jobs (in-app outbox or not).
    step = next(
        n
        for n in ("insert_summaries", "insert_notifications", "notify_all")
        if hasattr(casework.jobs, n)
    )
    monkeypatch.setattr(casework.jobs, step, crash)
    with pytest.raises(RuntimeError):
        run_job("overdue_enquiries", today=RUN_ON)
    assert not Case.objects.filter(overdue_flagged_at__isnull=False).exists()
    assert not Notification.objects.exists()

    monkeypatch.undo()
    assert len(run_job("overdue_enquiries", today=RUN_ON).flagged) == 3
    assert run_job("overdue_enquiries", today=RUN_ON).flagged == []
    # One summary notification for the officer, however many of their cases were flagged
    # (ADR 005: no notification storms), naming each case.
    [note] = Notification.objects.filter(user=cases[0].allocated_to)
    assert all(case.reference in note.body for case in cases)
