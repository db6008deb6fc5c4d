"""Queries about the core's own models that more than one app asks."""

from __future__ import annotations

from django.db.models import QuerySet

from cme.models import Role, User


def active_users(*roles: Role | str) -> QuerySet[User]:
    """The active users holding any of ``roles`` (the one "active managers" query:
    ``active_users(Role.MANAGER)``; officers and managers: ``active_users(*CASEWORK_ROLES)``)."""
    return User.objects.filter(is_active=True, role__in=sorted(roles))
