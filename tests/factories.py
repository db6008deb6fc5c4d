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
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory, Password
from factory.faker import Faker

from cme.models import Role, User
from cme.references import new_reference
from schools import models as schools
from schools.forms import RETURN_FORMS

Faker._DEFAULT_LOCALE = "en_GB"

DEFAULT_PASSWORD = "correct-horse-battery-staple"

#: The child many tests follow, as the fields of a return, a referral or a child.
MAYA: dict[str, Any] = {
    "first_name": "Maya",
    "last_name": "Patel",
    "date_of_birth": date(2016, 3, 14),
    "address_line_1": "12 Oak Road",
    "town": "Exampleton",
    "postcode": "EX1 2AB",
}
#: Maya's mother, as a return names a parent.
MAYAS_MOTHER = {"name": "Priya Patel", "relationship": "Mother", "phone": "07700 900456"}


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"user{n}@example.gov.uk")
    full_name = Faker("name")
    role = Role.SCHOOL_STAFF
    password = Password(DEFAULT_PASSWORD)


class SchoolFactory(DjangoModelFactory[schools.School]):
    class Meta:
        model = schools.School
        django_get_or_create = ("urn",)

    urn = Sequence(lambda n: 100000 + n)
    name = Sequence(lambda n: f"Example Primary School {n}")
    school_type = schools.SchoolType.MAINTAINED
    phase = "primary"
    la_code = "999"
    postcode = "EX1 1AA"


class MembershipFactory(DjangoModelFactory[schools.SchoolMembership]):
    class Meta:
        model = schools.SchoolMembership

    user = SubFactory(UserFactory)
    school = SubFactory(SchoolFactory)


class TermFactory(DjangoModelFactory[schools.Term]):
    class Meta:
        model = schools.Term

    school = None
    name = "Autumn 2026"
    start = date(2026, 9, 2)
    end = date(2026, 12, 18)


class ClosureFactory(DjangoModelFactory[schools.Closure]):
    class Meta:
        model = schools.Closure

    school = None
    date = date(2026, 9, 1)
    reason = "INSET day"


_P = TypeVar("_P", bound=Model)
_R = TypeVar("_R", bound=schools.SchoolReturn)


def days_from_today(days: int) -> LazyFunction:
    """A date field's default `days` from the (frozen) day the row is built; negative: before."""
    return LazyFunction(lambda: timezone.localdate() + timedelta(days=days))


class _PersonFactory(DjangoModelFactory[_P]):
    """A child's name, date of birth and address: a return, a referral and a child have them."""

    first_name = Faker("first_name")
    last_name = Faker("last_name")
    date_of_birth = date(2014, 2, 3)
    gender = schools.Gender.MALE
    address_line_1 = Faker("street_address")
    town = Faker("city")
    postcode = "EX2 3CC"


class _ReturnFactory(_PersonFactory[_R]):
    """A return of the kind its model is, as the school's form for that kind makes it."""

    school = SubFactory(SchoolFactory)
    reference = LazyFunction(lambda: new_reference("XX"))
    submitted_at = LazyFunction(timezone.now)
    date_of_birth = date(2015, 5, 17)
    gender = schools.Gender.FEMALE
    postcode = "EX1 2BB"

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        kinds = {form._meta.model: kind for kind, form in RETURN_FORMS.items()}
        kwargs.setdefault("kind", kinds[cls._meta.model])
        return kwargs


class JoinerReturnFactory(_ReturnFactory[schools.JoinerReturn]):
    class Meta:
        model = schools.JoinerReturn

    admission_date = days_from_today(-1)


class LeaverReturnFactory(_ReturnFactory[schools.LeaverReturn]):
    class Meta:
        model = schools.LeaverReturn

    ground = schools.DeletionGround.A
    ground_met_date = days_from_today(-2)
    deletion_date = days_from_today(-1)
    destination_type = schools.DestinationType.OUT_OF_AREA
    destination_school_name = "Faraway Academy"
    destination_la = "Elsewhere City Council"


class PartTimeTimetableFactory(_ReturnFactory[schools.PartTimeTimetable]):
    class Meta:
        model = schools.PartTimeTimetable

    start_date = days_from_today(-7)
    planned_end_date = days_from_today(35)
    hours_per_week = 15
    reason = schools.PartTimeReason.MEDICAL
    parent_agreed = True
    next_review_date = days_from_today(14)


class AbsenceNotificationFactory(_ReturnFactory[schools.AbsenceNotification]):
    class Meta:
        model = schools.AbsenceNotification

    first_day_of_absence = days_from_today(-10)
    absence_type = schools.AbsenceType.UNAUTHORISED
    whereabouts = schools.Whereabouts.UNKNOWN
    enquiries = LazyFunction(lambda: ["phone", "home_visit"])


class ParentCarerFactory(DjangoModelFactory[schools.ParentCarer]):
    class Meta:
        model = schools.ParentCarer

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


class ReferralFactory(_PersonFactory[Referral]):
    class Meta:
        model = Referral

    reference = LazyFunction(lambda: new_reference("RF"))
    channel = Channel.PUBLIC
    received_at = LazyFunction(timezone.now)
    referrer_type = ReferrerType.PUBLIC
    referrer_name = Faker("name")
    reasons = LazyFunction(lambda: ["stopped_attending"])


class ChildFactory(_PersonFactory[Child]):
    class Meta:
        model = Child

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
