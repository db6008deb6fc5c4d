"""A large county's worth of data for load and query testing (issue 7 item 3).

``manage.py seed_scale --children 100000 [--seed 1]`` writes schools, LA staff, children,
school returns, referrals, cases with their enquiries and chronology, scaled to
``--children``; the same seed gives the same data. What it writes, and how it is so fast (it
bypasses the services: test data, never a way to load real records), is in
:mod:`demo.scale`.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from casework.models import Case, Child
from demo.scale.build import build
from demo.scale.context import FULL_SCALE_CHILDREN, ScaleRun
from referrals.models import Referral
from schools.models import School, SchoolReturn


class Command(BaseCommand):
    help = "Write a large, realistic, deterministic data set for load testing (fast)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=FULL_SCALE_CHILDREN)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="Run on a non-empty database with DEBUG off"
        )

    def handle(self, *args: Any, children: int, seed: int, force: bool, **opts: Any) -> None:
        if children < 1:
            raise CommandError("--children must be at least 1")
        populated = any(m.objects.exists() for m in (School, Child, Case, Referral, SchoolReturn))
        if populated and not settings.DEBUG and not force:
            raise CommandError(
                "The database already holds data and DEBUG is off: refusing to add load-test "
                "data to it. Use --force if you really mean to."
            )
        started = time.monotonic()
        run = ScaleRun(
            rng=random.Random(seed),
            scale=children / FULL_SCALE_CHILDREN,
            today=timezone.localdate(),
            now=timezone.now(),
            tz=timezone.get_current_timezone(),
        )
        with transaction.atomic():
            counts = build(run, children)
        elapsed = time.monotonic() - started
        for name, n in counts.items():
            self.stdout.write(f"  {name:<22} {n:>9,}")
        self.stdout.write(
            self.style.SUCCESS(f"seed_scale: {sum(counts.values()):,} rows in {elapsed:.1f} s")
        )
