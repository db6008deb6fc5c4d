"""django-axes' database handler, with a second limit per address across every account.

AXES_LOCKOUT_PARAMETERS locks an email address at one IP address after AXES_FAILURE_LIMIT
failures. Password spraying (one password tried on many accounts from one address) never
reaches that, so the address is also locked once its failures across all accounts reach
CME_SIGN_IN_ADDRESS_FAILURE_LIMIT, higher than the per-account one since a school or an
office may sign in from one shared address. Both are counted in the database (axes'
AccessAttempt rows), so they hold with Redis down.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AddressLimitedAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return failures
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        from_address = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        if from_address >= settings.CME_SIGN_IN_ADDRESS_FAILURE_LIMIT:
            # Reported as the per-account limit reached: axes then locks this request out.
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures
