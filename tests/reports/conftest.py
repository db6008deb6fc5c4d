"""The report tests' clock: mid-July 2026, so that June 2026 is a finished month (in British
Summer Time)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

LONDON = ZoneInfo("Europe/London")
#: Frozen "now" for the figures, the dashboard and the board pack.
NOW = datetime(2026, 7, 15, 12, 0, tzinfo=LONDON)
JUNE = (date(2026, 6, 1), date(2026, 6, 30))


@pytest.fixture
def mid_july() -> Iterator[None]:
    """The clock stopped at NOW for the whole test."""
    with time_machine.travel(NOW, tick=False):
        yield
