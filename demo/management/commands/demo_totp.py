"""`manage.py demo_totp EMAIL`: the current two-factor code of a demo user (`make run` only).

Prints the code the user's authenticator app would show now, so the demo can be used without
a phone. Run it in a second terminal beside `make run`, exactly as `make run` prints it:

    .venv/bin/python manage.py demo_totp officer@la.example.gov.uk

It works under `make run`'s settings (the development secret key; DEBUG on or off, since a
second terminal does not have run-dev.sh's DJANGO_DEBUG=true) and only for the demo accounts.
It refuses where the settings look like production (DEBUG off and DJANGO_SECRET_KEY set, the
rule `seed_demo` uses): there nobody but the user may know their codes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.people import DEMO_USERS

ERROR_PRODUCTION = (
    "Refusing to print two-factor codes: DJANGO_SECRET_KEY is set and DEBUG is off, so this "
    "looks like production, not `make run`."
)


def production_like() -> bool:
    """DEBUG off with a real secret key: not `make run` (the same rule as `seed_demo`)."""
    return not settings.DEBUG and settings.SECRET_KEY != settings.INSECURE_DEV_SECRET_KEY


class Command(BaseCommand):
    help = "Print a demo user's current two-factor code (make run only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The demo user's email address.")

    def handle(self, *args: Any, **options: Any) -> None:
        if production_like():
            raise CommandError(ERROR_PRODUCTION)
        email = options["email"].strip().lower()
        demo = {u.email.lower() for u in DEMO_USERS if u.needs_totp}
        if email not in demo:
            raise CommandError(
                f"{email} is not a demo account with two-factor authentication: "
                f"use one of {', '.join(sorted(demo))}."
            )
        device = (
            TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise CommandError(f"{email} has no authenticator set up: run `make run` first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        code = f"{totp.token():0{device.digits}d}"
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{code}  (valid for {remaining} more seconds)")
