"""One way to make a reference and store a row with it (cme.references): a collision with
another row's reference is retried with another; any other integrity error is not."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.db import IntegrityError

import cme.references
from casework.models import Category
from casework.services.triage import referral_accept
from cme.models import User
from cme.references import create_with_reference, save_with_reference
from referrals.models import Referral
from referrals.services import referral_submit
from tests.factories import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def handing_out(monkeypatch: pytest.MonkeyPatch, *references: str) -> list[str]:
    """Make `cme.references.new_reference` hand out ``references`` in turn; the prefixes asked."""
    asked: list[str] = []
    queue: Iterator[str] = iter(references)

    def fake(prefix: str) -> str:
        asked.append(prefix)
        return next(queue)

    monkeypatch.setattr(cme.references, "new_reference", fake)
    return asked


def test_a_case_reference_taken_by_another_case_is_retried(
    monkeypatch: pytest.MonkeyPatch, officer: User
) -> None:
    CaseFactory.create(reference="CS-AAAA-AAAA")
    asked = handing_out(monkeypatch, "CS-AAAA-AAAA", "CS-BBBB-BBBB")

    case = referral_accept(referral=ReferralFactory.create(), by=officer, category=Category.WASP)

    assert case.reference == "CS-BBBB-BBBB"
    assert asked == ["CS", "CS"]


def test_a_referral_reference_taken_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    ReferralFactory.create(reference="RF-AAAA-AAAA")
    handing_out(monkeypatch, "RF-AAAA-AAAA", "RF-CCCC-CCCC")

    referral = referral_submit(referral=ReferralFactory.build(reference=""))

    assert referral.reference == "RF-CCCC-CCCC"
    assert Referral.objects.filter(reference="RF-CCCC-CCCC").count() == 1


def test_a_return_reference_taken_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    from schools.models import JoinerReturn
    from tests.factories import JoinerReturnFactory

    taken = JoinerReturnFactory.create(reference="NP-AAAA-AAAA")
    handing_out(monkeypatch, "NP-AAAA-AAAA", "NP-DDDD-DDDD")
    fresh = JoinerReturnFactory.build(school=taken.school, reference="")

    save_with_reference(fresh, "NP")

    assert fresh.reference == "NP-DDDD-DDDD"
    assert JoinerReturn.objects.count() == 2


def test_another_integrity_error_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    first = ReferralFactory.create(submission_token=uuid.uuid4())
    asked = handing_out(monkeypatch, "RF-EEEE-EEEE", "RF-FFFF-FFFF")
    second = ReferralFactory.build(submission_token=first.submission_token)

    with pytest.raises(IntegrityError):
        save_with_reference(second, "RF")
    assert asked == ["RF"]  # one attempt: the token, not the reference, was taken
    assert not Referral.objects.filter(reference="RF-EEEE-EEEE").exists()


def test_create_with_reference_inserts_with_a_new_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    CaseFactory.create(reference="CS-GGGG-GGGG")
    handing_out(monkeypatch, "CS-GGGG-GGGG", "CS-HHHH-HHHH")
    built = CaseFactory.build()
    built.child.save()
    built.referral.save()
    fields = {
        f.name: getattr(built, f.name)
        for f in built._meta.concrete_fields
        if not f.primary_key and f.name != "reference"
    }

    case = create_with_reference(type(built), "CS", **fields)

    assert case.pk is not None
    assert case.reference == "CS-HHHH-HHHH"
