"""The demo users, one for each role (school staff for one school and for a trust)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from cme.models import LA_ROLES, Role, User
from demo.base import Seed, demo_password
from demo.schools import ALDER, BIRCH, DemoSchool
from schools.models import SchoolMembership

DEMO_DEVICE_NAME = "Demo authenticator"
USER_FIELDS = ("full_name", "job_title", "role", "is_staff")  # a new user's, from its DemoUser


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    job_title: str
    role: Role
    schools: tuple[DemoSchool, ...] = ()
    is_staff: bool = False

    @property
    def needs_totp(self) -> bool:
        """LA users sign in with a code from an authenticator app (CME_REQUIRE_2FA)."""
        return self.role in LA_ROLES

    @property
    def totp_key(self) -> str:
        """This demo user's authenticator key (hex, as django-otp stores it): the same on
        every `make run`, derived from CME_DEMO_TOTP_SEED."""
        seed = str(settings.CME_DEMO_TOTP_SEED).encode()
        return hmac.new(seed, self.email.encode(), hashlib.sha1).hexdigest()

    @property
    def totp_secret(self) -> str:
        """The key in base32, as authenticator apps take it."""
        return base64.b32encode(bytes.fromhex(self.totp_key)).decode("ascii").rstrip("=")

    def totp_device(self, user: User | None = None) -> TOTPDevice:
        """An (unsaved unless given a saved user) device with the demo key."""
        return TOTPDevice(
            user=user or User(email=self.email),
            name=DEMO_DEVICE_NAME,
            key=self.totp_key,
            confirmed=True,
        )

    @property
    def otpauth_url(self) -> str:
        return str(self.totp_device().config_url)

    @property
    def role_label(self) -> str:
        label = str(self.role.label)
        if self.schools:
            label += " (" + ", ".join(s.name for s in self.schools) + ")"
        return label


STAFF_ALDER = DemoUser(
    "staff@alder.example.sch.uk",
    "Sarah Thompson",
    "Attendance officer",
    Role.SCHOOL_STAFF,
    (ALDER,),
)
STAFF_BIRCH = DemoUser(
    "staff@birch.example.sch.uk", "Imran Hussain", "Head of attendance", Role.SCHOOL_STAFF, (BIRCH,)
)
TRUST_LEAD = DemoUser(
    "lead@trust.example.org.uk",
    "Gemma Clarke",
    "Trust attendance lead",
    Role.SCHOOL_STAFF,
    (ALDER, BIRCH),
)
OFFICER = DemoUser("officer@la.example.gov.uk", "Daniel Okafor", "CME officer", Role.OFFICER)
MANAGER = DemoUser(
    "manager@la.example.gov.uk", "Rachel Whitfield", "CME team manager", Role.MANAGER
)
EHE_OFFICER = DemoUser(
    "ehe@la.example.gov.uk", "Aisha Rahman", "Elective home education officer", Role.EHE_OFFICER
)
ADMIN = DemoUser(
    "admin@la.example.gov.uk",
    "Paul Jenkins",
    "Systems administrator",
    Role.ADMINISTRATOR,
    is_staff=True,
)
DEMO_USERS = (STAFF_ALDER, STAFF_BIRCH, TRUST_LEAD, OFFICER, MANAGER, EHE_OFFICER, ADMIN)


def seed_users(seed: Seed) -> None:
    password = demo_password()
    for u in DEMO_USERS:
        defaults = {name: getattr(u, name) for name in USER_FIELDS}
        user, created = User.objects.get_or_create(email=u.email, defaults=defaults)
        if created or not user.check_password(password):
            # A changed DEMO_PASSWORD takes effect; an unchanged one writes nothing.
            user.set_password(password)
            user.save(update_fields=["password"])
        seed.users[u.email] = user
        seed.count(created)
        if u.needs_totp:
            seed_totp(seed, u, user)
        for s in u.schools:
            _, created = SchoolMembership.objects.get_or_create(
                user=user, school=seed.schools[s.urn], defaults={"created_by": user}
            )
            seed.count(created)


def seed_totp(seed: Seed, u: DemoUser, user: User) -> None:
    """A confirmed authenticator with the demo key (printed with the sign-ins)."""
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).first()
    if device is None:
        u.totp_device(user).save()
        seed.count(True)
        return
    seed.count(False)
    if device.key != u.totp_key or not device.confirmed:
        # A changed CME_DEMO_TOTP_SEED takes effect.
        device.key, device.confirmed = u.totp_key, True
        device.save(update_fields=["key", "confirmed"])
