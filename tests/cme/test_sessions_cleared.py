"""Expired sessions are deleted by the hourly beat task (a session can hold a school's parsed
CTF pupils and unsent drafts)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from cme.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_deleted_and_live_ones_kept() -> None:
    now = timezone.now()
    Session.objects.create(session_key="e" * 32, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="l" * 32, session_data="", expire_date=now + timedelta(1))

    clear_expired_sessions()
    clear_expired_sessions()  # safe to run twice

    assert list(Session.objects.values_list("session_key", flat=True)) == ["l" * 32]


def test_the_beat_schedule_clears_sessions_every_hour() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["clear_expired_sessions"]
    assert entry["task"] == "cme.tasks.clear_expired_sessions"
    assert entry["schedule"] == 60 * 60.0
