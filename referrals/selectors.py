"""Reads of referrals that depend on who asks."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cme.models import User
from referrals.models import Referral
from schools.selectors import schools_for_user


def referrals_made_by(user: User) -> QuerySet[Referral]:
    """The referrals a member of school staff may see: their schools' and their own.

    Includes those the system raised from their school's returns (referring_school is set).
    Anyone else sees none here (the CME team's views have their own selectors).
    """
    if not user.is_school_staff:
        return Referral.objects.none()
    return (
        Referral.objects.filter(
            Q(referring_school__in=schools_for_user(user)) | Q(referrer_user=user)
        )
        .select_related("referring_school")
        .order_by("-received_at")
    )
