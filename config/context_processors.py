from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cme.models import Notification
from config.navigation import NAVIGATION, NAVIGATION_WHEN


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    nav = []
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
        items = list(NAVIGATION.get(user.role, []))
        for setting, by_role in NAVIGATION_WHEN.items():
            if getattr(settings, setting, False):
                items.extend(by_role.get(user.role, []))
        for label, name in items:
            url = reverse(name)
            nav.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {
        "SERVICE_NAME": settings.CME_SERVICE_NAME,
        "LA_NAME": settings.CME_LA_NAME,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "navigation": nav,
        "unread_notifications": unread,
    }
