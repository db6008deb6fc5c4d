"""Shared factory-boy factories (en_GB Faker).

Call ``XFactory.create(...)``: it is typed and returns the model (``UserFactory.create()`` is a
``User`` to mypy), whereas ``XFactory(...)`` goes through factory-boy's untyped metaclass.
"""

# factory-boy types its factories (DjangoModelFactory[Model].create returns the model) but not
# the constructors of its declarations (LazyFunction, Faker, Sequence, SubFactory, Password):
# mypy strict would flag each declaration below as an untyped call.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from datetime import date, timedelta
from typing import TypeVar

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory, Password
from factory.faker import Faker

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
    SchoolReturn,
    SchoolType,
    Term,
    Whereabouts,
)

Faker._DEFAULT_LOCALE = "en_GB"

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"user{n}@example.gov.uk")
    full_name = Faker("name")
    role = Role.SCHOOL_STAFF
    password = Password(DEFAULT_PASSWORD)


class SchoolFactory(DjangoModelFactory[School]):
    class Meta:
        model = School
        django_get_or_create = ("urn",)

    urn = Sequence(lambda n: 100000 + n)
    name = Sequence(lambda n: f"Example Primary School {n}")
    school_type = SchoolType.MAINTAINED
    phase = "primary"
    la_code = "999"
    postcode = "EX1 1AA"


class MembershipFactory(DjangoModelFactory[SchoolMembership]):
    class Meta:
        model = SchoolMembership

    user = SubFactory(UserFactory)
    school = SubFactory(SchoolFactory)


class TermFactory(DjangoModelFactory[Term]):
    class Meta:
        model = Term

    school = None
    name = "Autumn 2026"
    start = date(2026, 9, 2)
    end = date(2026, 12, 18)


class ClosureFactory(DjangoModelFactory[Closure]):
    class Meta:
        model = Closure

    school = None
    date = date(2026, 9, 1)
    reason = "INSET day"


_R = TypeVar("_R", bound=SchoolReturn)


def days_from_today(days: int) -> LazyFunction:
    """A date field's default `days` from the (frozen) day the row is built; negative: before."""
    return LazyFunction(lambda: timezone.localdate() + timedelta(days=days))


class _ReturnFactory(DjangoModelFactory[_R]):
    school = SubFactory(SchoolFactory)
    reference = LazyFunction(lambda: new_reference("XX"))
    submitted_at = LazyFunction(timezone.now)
    first_name = Faker("first_name")
    last_name = Faker("last_name")
    date_of_birth = date(2015, 5, 17)
    gender = Gender.FEMALE
    address_line_1 = Faker("street_address")
    town = Faker("city")
    postcode = "EX1 2BB"


class JoinerReturnFactory(_ReturnFactory[JoinerReturn]):
    class Meta:
        model = JoinerReturn

    kind = ReturnKind.JOINER
    admission_date = days_from_today(-1)


class LeaverReturnFactory(_ReturnFactory[LeaverReturn]):
    class Meta:
        model = LeaverReturn

    kind = ReturnKind.LEAVER
    ground = DeletionGround.A
    ground_met_date = days_from_today(-2)
    deletion_date = days_from_today(-1)
    destination_type = DestinationType.OUT_OF_AREA
    destination_school_name = "Faraway Academy"
    destination_la = "Elsewhere City Council"


class PartTimeTimetableFactory(_ReturnFactory[PartTimeTimetable]):
    class Meta:
        model = PartTimeTimetable

    kind = ReturnKind.PART_TIME
    start_date = days_from_today(-7)
    planned_end_date = days_from_today(35)
    hours_per_week = 15
    reason = PartTimeReason.MEDICAL
    parent_agreed = True
    next_review_date = days_from_today(14)


class AbsenceNotificationFactory(_ReturnFactory[AbsenceNotification]):
    class Meta:
        model = AbsenceNotification

    kind = ReturnKind.ABSENCE
    first_day_of_absence = days_from_today(-10)
    absence_type = AbsenceType.UNAUTHORISED
    whereabouts = Whereabouts.UNKNOWN
    enquiries = LazyFunction(lambda: ["phone", "home_visit"])


class ParentCarerFactory(DjangoModelFactory[ParentCarer]):
    class Meta:
        model = ParentCarer

    name = Faker("name")
    relationship = "Mother"
    phone = "07700 900123"


# -- referrals and casework ---------------------------------------------------------------
from casework.matching.keys import (  # noqa: E402
    normalise_name,
    normalise_nhs_number,
    normalise_postcode,
    other_name_keys,
    phonetic,
)
from casework.models import Case, Category, Child  # noqa: E402
from referrals.models import Channel, Referral, ReferrerType  # noqa: E402


class ReferralFactory(DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    reference = LazyFunction(lambda: new_reference("RF"))
    channel = Channel.PUBLIC
    received_at = LazyFunction(timezone.now)
    referrer_type = ReferrerType.PUBLIC
    referrer_name = Faker("name")
    first_name = Faker("first_name")
    last_name = Faker("last_name")
    date_of_birth = date(2014, 2, 3)
    gender = Gender.MALE
    address_line_1 = Faker("street_address")
    town = Faker("city")
    postcode = "EX2 3CC"
    reasons = LazyFunction(lambda: ["stopped_attending"])


class ChildFactory(DjangoModelFactory[Child]):
    class Meta:
        model = Child

    first_name = Faker("first_name")
    last_name = Faker("last_name")
    date_of_birth = date(2014, 2, 3)
    gender = Gender.MALE
    address_line_1 = Faker("street_address")
    town = Faker("city")
    postcode = "EX2 3CC"
    # The matching keys, as child_keys_save fills them for every child the services make.
    first_name_key = LazyAttribute(lambda o: normalise_name(o.first_name))
    last_name_key = LazyAttribute(lambda o: normalise_name(o.last_name))
    last_name_phonetic = LazyAttribute(lambda o: phonetic(normalise_name(o.last_name)))
    first_name_phonetic = LazyAttribute(lambda o: phonetic(normalise_name(o.first_name)))
    postcode_key = LazyAttribute(lambda o: normalise_postcode(o.postcode))
    nhs_number = ""
    nhs_number_key = LazyAttribute(lambda o: normalise_nhs_number(o.nhs_number))
    middle_names = ""
    other_names = ""
    other_name_keys = LazyAttribute(lambda o: other_name_keys(o.middle_names, o.other_names))


class CaseFactory(DjangoModelFactory[Case]):
    class Meta:
        model = Case

    reference = LazyFunction(lambda: new_reference("CS"))
    child = SubFactory(ChildFactory)
    referral = SubFactory(ReferralFactory, status="accepted", decided_at=LazyFunction(timezone.now))
    category = Category.WASP
    received_on = days_from_today(-3)
    due_date = days_from_today(11)
