"""seed_scale: a large data set, fast, scaled to --children, deterministic (issue 7)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import Case, CaseStatus, Child, Enquiry, Event
from cme.models import Role, User
from referrals.models import Referral, ReferralStatus
from schools.models import ParentCarer, ReturnKind, School, SchoolReturn

pytestmark = pytest.mark.django_db


def _seed(*extra: str) -> str:
    out = StringIO()
    call_command("seed_scale", "--children", "200", *extra, stdout=out)
    return out.getvalue()


def test_counts_and_proportions_scale_with_children() -> None:
    output = _seed("--seed", "3")
    assert "rows in" in output  # it times itself

    assert Child.objects.count() == 200
    assert School.objects.count() == 5  # 400 per 100,000, at least 5
    assert User.objects.filter(role=Role.OFFICER).count() == 2
    assert User.objects.filter(role=Role.MANAGER).count() == 1
    assert SchoolReturn.objects.count() == 300  # 1.5 per child
    kinds = {k: SchoolReturn.objects.filter(kind=k).count() for k in ReturnKind}
    assert all(kinds.values()), kinds  # all four kinds
    assert ParentCarer.objects.exists()

    assert Case.objects.count() == 40  # 20,000 per 100,000
    assert Referral.objects.filter(status=ReferralStatus.ACCEPTED).count() == 40
    assert Referral.objects.exclude(status=ReferralStatus.ACCEPTED).count() == 8
    assert Case.objects.filter(status=CaseStatus.OPEN).count() == 4  # ~10% open
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    assert not closed.filter(outcome="").exists()
    assert closed.values("outcome").distinct().count() > 1
    assert 80 <= Enquiry.objects.count() <= 160  # about three per case
    assert Event.objects.filter(case__isnull=False).count() > Enquiry.objects.count()

    # Every detail row is in place and the references are unique.
    assert SchoolReturn.objects.values("reference").distinct().count() == 300
    for kind in ReturnKind:
        for r in SchoolReturn.objects.filter(kind=kind)[:5]:
            assert r.detail().pk == r.pk


def test_same_seed_same_data() -> None:
    _seed("--seed", "5")
    names = list(Child.objects.order_by("pk").values_list("first_name", "last_name"))
    cases = list(Case.objects.order_by("pk").values_list("received_on", "status", "category"))
    # A second run with the same seed on top (DEBUG off, so --force) makes the same choices.
    _seed("--seed", "5", "--force")
    assert list(Child.objects.order_by("pk").values_list("first_name", "last_name"))[200:] == names
    again = Case.objects.order_by("pk").values_list("received_on", "status", "category")
    assert list(again)[40:] == cases


def test_refuses_a_populated_database_without_force() -> None:
    School.objects.create(urn=1, name="Existing School", school_type="maintained", la_code="999")
    with pytest.raises(CommandError, match="--force"):
        _seed()


def test_children_carry_the_matchers_own_keys() -> None:
    """The scale data is what the benches search: its matching keys are the ones a saved
    child gets (casework.matching.child_keys), not a simplified copy of them."""
    from casework.matching import KEY_FIELDS, child_keys

    _seed("--seed", "4")
    for child in Child.objects.order_by("pk")[:50]:
        stored = {name: getattr(child, name) for name in KEY_FIELDS}
        typed = ("first_name", "last_name", "postcode", "nhs_number")
        again = child_keys(Child(**{name: getattr(child, name) for name in typed}))
        assert stored == {name: getattr(again, name) for name in KEY_FIELDS}
        assert child.first_name_phonetic
        assert child.postcode_key
