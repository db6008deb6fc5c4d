from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "SERVICE_NAME": settings.CME_SERVICE_NAME,
        "LA_NAME": settings.CME_LA_NAME,
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
