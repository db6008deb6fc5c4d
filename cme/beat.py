"""Exactly one beat, wherever beat processes run (docs/decisions/018-no-state-on-a-host.md).

The schedule is in settings (CELERY_BEAT_SCHEDULE), the one place; ``LeasedScheduler`` keeps
nothing on the host's disk (Celery's in-memory scheduler) and sends due tasks only while it
holds the beat lease, a row in the database (``cme.BeatLease``) renewed at every tick. A
second beat process idles, trying the lease each tick, and takes over within
``CME_BEAT_LEASE_SECONDS`` of the first one stopping.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import Any

from celery.beat import Scheduler
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

LEASE = "beat"
log = logging.getLogger(__name__)


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def take_lease(holder: str, *, seconds: int | None = None) -> bool:
    """True if ``holder`` holds the beat lease now (taken or renewed for ``seconds``)."""
    from cme.models import BeatLease

    now = timezone.now()
    until = now + timedelta(seconds=seconds or settings.CME_BEAT_LEASE_SECONDS)
    with transaction.atomic():
        renewed = BeatLease.objects.filter(
            Q(holder=holder) | Q(expires_at__lt=now), name=LEASE
        ).update(holder=holder, expires_at=until)
    if renewed:
        return True
    try:
        with transaction.atomic():
            BeatLease.objects.create(name=LEASE, holder=holder, expires_at=until)
    except IntegrityError:
        return False  # another beat holds it
    return True


def release_lease(holder: str) -> None:
    from cme.models import BeatLease

    BeatLease.objects.filter(name=LEASE, holder=holder).delete()


class LeasedScheduler(Scheduler):
    """Celery's scheduler, sending only while this process holds the beat lease."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.holder = holder_id()
        self.leader = False
        super().__init__(*args, **kwargs)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        try:
            leader = take_lease(self.holder)
        except Exception:  # the database is away: send nothing until it answers
            leader = False
        if leader != self.leader:
            self.leader = leader
            log.info("beat %s: %s the lease", self.holder, "holds" if leader else "waits for")
        if not leader:
            return float(settings.CME_BEAT_RETRY_SECONDS)
        wait = float(super().tick(*args, **kwargs))
        # Back before the lease runs out, whatever the next entry's time.
        return min(wait, float(settings.CME_BEAT_LEASE_SECONDS) / 3)

    def close(self) -> None:
        if self.leader:
            with contextlib.suppress(Exception):  # the lease expires anyway
                release_lease(self.holder)
        super().close()
