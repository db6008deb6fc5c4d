"""Run one scheduled check by hand: `manage.py run_check NAME [--dry-run] [--today YYYY-MM-DD]`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cme.jobs import all_jobs, run_job


class Command(BaseCommand):
    help = "Run one scheduled check; --dry-run prints what it would flag and changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="the check to run (omit to list them)")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = all_jobs()
        name = options["name"]
        if not name:
            for job in jobs.values():
                self.stdout.write(f"{job.name:28} {job.description}")
            return
        if name not in jobs:
            raise CommandError(f"No check called {name!r}. Known: {', '.join(jobs)}")
        today = options["today"] or timezone.localdate()
        result = run_job(name, today=today, dry_run=options["dry_run"])
        for reference in result.flagged:
            self.stdout.write(f"  {reference}")
        self.stdout.write(result.summary())
