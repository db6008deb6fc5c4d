"""Thin Celery tasks for referrals."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def raise_pending_referrals() -> str:
    """Raise, in bulk, the referrals the schools checks flagged (referrals.jobs)."""
    from referrals.jobs import raise_pending_referrals as raise_pending

    return f"raise_pending_referrals: raised {raise_pending()}"


def on_returns_flagged(sender: Any, **kwargs: Any) -> None:
    """Receiver for `schools.signals.returns_flagged` (connected in ReferralsConfig.ready):
    raise the flagged returns' referrals once the check's transaction commits."""
    from cme.tasks import after_commit

    after_commit(raise_pending_referrals)
