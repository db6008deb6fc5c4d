"""The transfer rules (local policy; docs/rules.md "Transfers between councils")."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from cme.statutory import add_working_days


def transfer_answer_due(sent_on: date) -> date:
    """The day by which the other LA should have accepted or rejected a transfer:
    ``CME_TRANSFER_ANSWER_WORKING_DAYS`` working days (default 10) after the day it was sent
    (the sending day itself not counted). The reminder goes to the officer and the managers
    when no decision has come by the end of that day: on the next working day's sweep."""
    days: int = getattr(settings, "CME_TRANSFER_ANSWER_WORKING_DAYS", 10)
    return add_working_days(sent_on, days)


def transfer_link_expires(sent_on: date) -> date:
    """The last day the other LA's download link works: ``CME_TRANSFER_LINK_DAYS`` calendar
    days (default 28) after the day the transfer was sent."""
    days: int = getattr(settings, "CME_TRANSFER_LINK_DAYS", 28)
    return sent_on + timedelta(days=days)
