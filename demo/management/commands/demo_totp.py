"""`manage.py demo_totp EMAIL`: the current two-factor code of a demo user (`make run` only).

Prints the code the user's authenticator app would show now, so the demo can be used without
a phone. Refuses when DEBUG is off: in production nobody but the user may know their codes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print a demo user's current two-factor code (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The demo user's email address.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to print two-factor codes: DEBUG is off, so this is not `make run`."
            )
        email = options["email"].strip().lower()
        device = (
            TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise CommandError(f"{email} has no authenticator set up.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        code = f"{totp.token():0{device.digits}d}"
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{code}  (valid for {remaining} more seconds)")
