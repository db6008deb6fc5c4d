from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cme.models import Notification, Role

# The header navigation for each role: (label, URL name). One list, so pages cannot disagree.
NAVIGATION: dict[str, list[tuple[str, str]]] = {
    Role.SCHOOL_STAFF: [
        ("Home", "schools:home"),
        ("Submissions", "schools:return_list"),
        ("Referrals", "referrals:mine"),
    ],
    Role.OFFICER: [
        ("My cases", "cases:my_cases"),
        ("Triage", "triage:list"),
        ("Register", "cases:register"),
        ("School returns", "schools:la_returns"),
    ],
    Role.MANAGER: [
        ("Dashboard", "dashboard:dashboard"),
        ("My cases", "cases:my_cases"),
        ("Triage", "triage:list"),
        ("Register", "cases:register"),
        ("Team", "cases:team"),
        ("Reports", "reports:runs"),
        ("School returns", "schools:la_returns"),
        ("Audit", "audit:search"),
    ],
    Role.ADMINISTRATOR: [
        ("School returns", "schools:la_returns"),
        ("Audit", "audit:search"),
        ("Administration", "admin:index"),
    ],
}


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    nav = []
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
        for label, name in NAVIGATION.get(user.role, []):
            url = reverse(name)
            nav.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {
        "SERVICE_NAME": settings.CME_SERVICE_NAME,
        "LA_NAME": settings.CME_LA_NAME,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "navigation": nav,
        "unread_notifications": unread,
    }
