"""Reads for the transfer pages: caseworkers only (404 for anyone else), as the cases."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.selectors.cases import require_caseworker
from cme.models import User
from transfers.models import AWAITING, ReceivedTransfer, Transfer
from transfers.services import token_hash


def transfers_visible_to(user: User) -> QuerySet[Transfer]:
    require_caseworker(user)
    return Transfer.objects.select_related("case__child", "to_la", "sent_by")


def transfer_for_view(user: User, reference: str) -> Transfer:
    return get_object_or_404(transfers_visible_to(user), reference=reference)


def transfer_list(user: User, *, overdue_only: bool = False) -> QuerySet[Transfer]:
    """Every transfer sent, newest first; ``overdue_only``: those still waiting for a
    decision after their answer day (the reminder's link)."""
    found = transfers_visible_to(user).order_by("-sent_at", "-id")
    if overdue_only:
        found = found.filter(status__in=AWAITING, answer_due__lt=timezone.localdate())
    return found


def received_list(user: User) -> QuerySet[ReceivedTransfer]:
    require_caseworker(user)
    return ReceivedTransfer.objects.select_related("referral", "created_by").order_by(
        "-created_at", "-id"
    )


def transfer_by_token(token: str) -> Transfer:
    """The transfer a download link names (404 for a token that is not one)."""
    return get_object_or_404(
        Transfer.objects.select_related("case__child", "to_la"), token_hash=token_hash(token)
    )
