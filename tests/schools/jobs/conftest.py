"""The calendar fixture of the checks' tests (tests/schools/jobs/helpers.py)."""

from tests.schools.jobs.helpers import calendar

__all__ = ["calendar"]
