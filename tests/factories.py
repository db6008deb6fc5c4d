"""Shared factory-boy factories (en_GB Faker)."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cme.models import Role, User
from cme.references import new_reference
from schools.models import (
    AbsenceNotification,
    AbsenceType,
    Closure,
    DeletionGround,
    DestinationType,
    Gender,
    JoinerReturn,
    LeaverReturn,
    ParentCarer,
    PartTimeReason,
    PartTimeTimetable,
    ReturnKind,
    School,
    SchoolMembership,
    SchoolType,
    Term,
    Whereabouts,
)

factory.Faker._DEFAULT_LOCALE = "en_GB"

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.gov.uk")
    full_name = factory.Faker("name")
    role = Role.SCHOOL_STAFF
    password = factory.django.Password(DEFAULT_PASSWORD)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("urn",)

    urn = factory.Sequence(lambda n: 100000 + n)
    name = factory.Sequence(lambda n: f"Example Primary School {n}")
    school_type = SchoolType.MAINTAINED
    phase = "primary"
    la_code = "999"
    postcode = "EX1 1AA"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = SchoolMembership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    school = None
    name = "Autumn 2026"
    start = date(2026, 9, 2)
    end = date(2026, 12, 18)


class ClosureFactory(DjangoModelFactory):
    class Meta:
        model = Closure

    school = None
    date = date(2026, 9, 1)
    reason = "INSET day"


class _ReturnFactory(DjangoModelFactory):
    school = factory.SubFactory(SchoolFactory)
    reference = factory.LazyFunction(lambda: new_reference("XX"))
    submitted_at = factory.LazyFunction(timezone.now)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(2015, 5, 17)
    gender = Gender.FEMALE
    address_line_1 = factory.Faker("street_address")
    town = factory.Faker("city")
    postcode = "EX1 2BB"


class JoinerReturnFactory(_ReturnFactory):
    class Meta:
        model = JoinerReturn

    kind = ReturnKind.JOINER
    admission_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))


class LeaverReturnFactory(_ReturnFactory):
    class Meta:
        model = LeaverReturn

    kind = ReturnKind.LEAVER
    ground = DeletionGround.A
    ground_met_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    deletion_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    destination_type = DestinationType.OUT_OF_AREA
    destination_school_name = "Faraway Academy"
    destination_la = "Elsewhere City Council"


class PartTimeTimetableFactory(_ReturnFactory):
    class Meta:
        model = PartTimeTimetable

    kind = ReturnKind.PART_TIME
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    planned_end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=35))
    hours_per_week = 15
    reason = PartTimeReason.MEDICAL
    parent_agreed = True
    next_review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class AbsenceNotificationFactory(_ReturnFactory):
    class Meta:
        model = AbsenceNotification

    kind = ReturnKind.ABSENCE
    first_day_of_absence = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    absence_type = AbsenceType.UNAUTHORISED
    whereabouts = Whereabouts.UNKNOWN
    enquiries = factory.LazyFunction(lambda: ["phone", "home_visit"])


class ParentCarerFactory(DjangoModelFactory):
    class Meta:
        model = ParentCarer

    name = factory.Faker("name")
    relationship = "Mother"
    phone = "07700 900123"


# -- referrals and casework ---------------------------------------------------------------
from casework.models import Case, Category, Child  # noqa: E402
from referrals.models import Channel, Referral, ReferrerType  # noqa: E402


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    reference = factory.LazyFunction(lambda: new_reference("RF"))
    channel = Channel.PUBLIC
    received_at = factory.LazyFunction(timezone.now)
    referrer_type = ReferrerType.PUBLIC
    referrer_name = factory.Faker("name")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(2014, 2, 3)
    gender = Gender.MALE
    address_line_1 = factory.Faker("street_address")
    town = factory.Faker("city")
    postcode = "EX2 3CC"
    reasons = factory.LazyFunction(lambda: ["stopped_attending"])


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(2014, 2, 3)
    gender = Gender.MALE
    address_line_1 = factory.Faker("street_address")
    town = factory.Faker("city")
    postcode = "EX2 3CC"
    first_name_key = factory.LazyAttribute(lambda o: o.first_name.lower())
    last_name_key = factory.LazyAttribute(lambda o: o.last_name.lower())


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.LazyFunction(lambda: new_reference("CS"))
    child = factory.SubFactory(ChildFactory)
    referral = factory.SubFactory(
        ReferralFactory, status="accepted", decided_at=factory.LazyFunction(timezone.now)
    )
    category = Category.WASP
    received_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=11))
