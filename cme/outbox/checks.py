"""System checks for GOV.UK Notify (``manage.py check``, and ``check --deploy`` in CI and at
deploy): a key of the documented shape and a template to send with, before the first email
fails for want of them."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import checks

#: ``{key name}-{service id}-{secret}``: the client reads the last 73 characters as two UUIDs.
KEY = re.compile(
    r"^.+-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@checks.register()
def notify_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.CME_EMAIL_PROVIDER != "notify":
        return []
    problems: list[checks.CheckMessage] = []
    if not KEY.match(settings.NOTIFY_API_KEY or ""):
        problems.append(
            checks.Error(
                "NOTIFY_API_KEY is not a GOV.UK Notify API key ({key name}-{service id}-{secret})",
                id="cme.E101",
            )
        )
    templates = {
        "NOTIFY_EMAIL_TEMPLATE_ID": settings.NOTIFY_EMAIL_TEMPLATE_ID,
        "NOTIFY_LETTER_TEMPLATE_ID": settings.NOTIFY_LETTER_TEMPLATE_ID,
        **{f"NOTIFY_TEMPLATE_{k.upper()}": v for k, v in settings.NOTIFY_TEMPLATES.items()},
    }
    for name, value in templates.items():
        if value and not UUID.match(value):
            problems.append(checks.Error(f"{name} is not a template id (a UUID)", id="cme.E102"))
    if not settings.NOTIFY_EMAIL_TEMPLATE_ID:
        problems.append(
            checks.Warning(
                "NOTIFY_EMAIL_TEMPLATE_ID is not set: an email of a kind with no template of "
                "its own fails at once (NoNotifyTemplate)",
                id="cme.W101",
            )
        )
    return problems
