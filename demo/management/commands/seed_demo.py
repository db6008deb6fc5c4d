"""`manage.py seed_demo`: the demo data that `make run` serves (built by ``demo``).

Idempotent: a second run creates nothing. Dates are relative to the day the demo is loaded:
delete ``var/db.sqlite3`` (or ``make clean``) for a fresh one. The demo sends no email: its
referrers and schools are fictional.

Demo accounts have a known password, so the command refuses to run on a production
configuration (a real ``DJANGO_SECRET_KEY`` and ``DEBUG`` off) unless given ``--force``.

    manage.py seed_demo               create whatever is missing, then print the sign-ins
    manage.py seed_demo --print-only  print the sign-ins only (scripts/run-dev.sh)
    manage.py seed_demo --no-sign-ins create whatever is missing, print no sign-ins (`make run`,
                                      whose scripts/run-dev.sh prints them once, by the server)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils import timezone

from demo.printing import sign_in_table
from demo.seed import seed

NO_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Create the demo schools, users, term dates, returns and casework (idempotent); print sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print-only", action="store_true", help="Only print the demo sign-ins."
        )
        parser.add_argument(
            "--no-sign-ins",
            action="store_true",
            help="Do not print the sign-ins (make run prints them when the server starts).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though the settings look like production (known passwords!).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["print_only"]:
            production_like = (
                not settings.DEBUG and settings.SECRET_KEY != settings.INSECURE_DEV_SECRET_KEY
            )
            if production_like and not options["force"]:
                raise CommandError(
                    "Refusing to create demo accounts with a known password: DJANGO_SECRET_KEY "
                    "is set and DEBUG is off, so this looks like production. Use --force if "
                    "this really is a demo environment."
                )
            # The services email referrers, managers and officers: not for fictional people.
            with override_settings(EMAIL_BACKEND=NO_EMAIL):
                done = seed(timezone.localdate())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data: {done.created} created, {done.existing} already there."
                )
            )
            if options["no_sign_ins"]:
                return
            self.stdout.write("")
        self.stdout.write(sign_in_table())
