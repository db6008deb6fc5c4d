"""A real Celery worker, in its own process, runs a check and changes the database.

The broker is the one in CELERY_BROKER_URL when it is Redis (CI), otherwise kombu's
filesystem transport in a private folder: either way a newcomer's `make test` starts a real
worker. The worker opens the test database by name (a file on SQLite: config/settings_test.py),
so the case is committed first (`transactional_db`).
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from kombu import Exchange, Queue

from casework.models import Case
from cme.models import Notification, Role
from cme.tasks import run_job
from config.celery import app
from tests.factories import CaseFactory, UserFactory
from tests.integration.workers import start_worker

pytestmark = pytest.mark.integration

#: A working day given to the task, so the test does not depend on today's date.
RUN_ON = date(2026, 12, 29)
TIMEOUT = 60


def _broker(tmp_path: Path) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(broker URL, transport options, extra worker environment)."""
    url = str(settings.CELERY_BROKER_URL)
    if url.startswith(("redis://", "rediss://")):
        return url, dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS), {"CELERY_BROKER_URL": url}
    folder = tmp_path / "celery"
    options: dict[str, Any] = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return (
        "filesystem://",
        options,
        {
            "CELERY_BROKER_URL": "filesystem://",
            "CME_TEST_CELERY_DIR": str(folder),
        },
    )


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path) -> Iterator[dict[str, Any]]:
    broker_url, options, broker_env = _broker(tmp_path)
    queue = f"cme-test-{uuid.uuid4().hex[:12]}"  # no other worker on this broker takes it
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    process = start_worker(name="cme-integration-test@%h", log=log, env=broker_env, queues=(queue,))
    try:
        yield {
            "broker_url": broker_url,
            "options": options,
            "queue": queue,
            "process": process,
            "log": log_path,
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        if broker_url.startswith("redis"):  # leave no binding behind on a shared Redis
            with app.connection_for_write(broker_url, transport_options=options) as conn:
                bound = Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel)
                bound.declare()  # so that the channel knows the bindings it deletes
                bound.delete()


def test_a_real_worker_flags_an_overdue_case_in_the_database(worker: dict[str, Any]) -> None:
    officer = UserFactory.create(role=Role.OFFICER)
    case = CaseFactory.create(
        allocated_to=officer,
        received_on=RUN_ON - timedelta(days=30),
        due_date=RUN_ON - timedelta(days=10),
    )

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write(
            worker["broker_url"], transport_options=worker["options"]
        ) as conn:
            run_job.apply_async(
                args=("overdue_enquiries", RUN_ON.isoformat()),
                queue=worker["queue"],
                connection=conn,  # type: ignore[call-arg]  # celery-stubs omit this option
            )
    finally:
        app.conf.task_always_eager = eager

    deadline = time.monotonic() + TIMEOUT
    flagged_at, log = None, ""
    # The flag is committed before the worker logs the task's result: wait for both.
    while time.monotonic() < deadline:
        flagged_at = Case.objects.filter(pk=case.pk).values_list("overdue_flagged_at", flat=True)[0]
        log = worker["log"].read_text(errors="replace")
        if (flagged_at is not None and "succeeded" in log) or worker["process"].poll() is not None:
            break
        time.sleep(0.25)

    assert flagged_at is not None, f"the worker did not flag the case in {TIMEOUT}s:\n{log}"
    assert Notification.objects.filter(user=officer, body__contains=case.reference).exists()
    assert "overdue_enquiries: flagged 1, notified 1" in log, log
