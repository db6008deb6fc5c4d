"""Thin Celery tasks for referrals."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5)
def raise_pending_referrals() -> str:
    """Raise, in bulk, the referrals the sweeps flagged (referrals.jobs)."""
    from referrals.jobs import raise_pending_referrals as raise_pending

    return f"raise_pending_referrals: raised {raise_pending()}"
