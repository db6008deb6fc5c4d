from __future__ import annotations

import pytest
from django.conf import settings

from cme.tasks import ping
from config.celery import app


def test_celery_reads_json_only_with_time_limits() -> None:
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT > 0
    assert app.conf.task_acks_late is True


def test_tasks_run_eagerly_in_unit_tests() -> None:
    assert ping.delay().get(timeout=5) == "pong"


def test_the_beat_schedule_lives_in_settings() -> None:
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE


def test_the_outbox_runs_the_follow_up_steps_the_apps_register(
    monkeypatch: pytest.MonkeyPatch, db: None
) -> None:
    """The core imports no app: referrals registers its follow-up (raising the referrals a
    sweep flagged) in ready(), and beat's outbox task runs every registered step."""
    from cme import tasks

    assert "raise_pending_referrals" in tasks._outbox_steps
    ran: list[int] = []

    def probe() -> int:
        ran.append(1)
        return 7

    monkeypatch.setitem(tasks._outbox_steps, "probe", probe)
    summary = tasks.outbox()
    assert ran == [1]
    assert "probe: 7" in summary
    assert "raise_pending_referrals: 0" in summary
