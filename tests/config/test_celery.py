from __future__ import annotations

from django.conf import settings

from cme.tasks import ping
from config.celery import app


def test_celery_reads_json_only_with_time_limits():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT > 0
    assert app.conf.task_acks_late is True


def test_tasks_run_eagerly_in_unit_tests():
    assert ping.delay().get(timeout=5) == "pong"


def test_the_beat_schedule_lives_in_settings():
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
