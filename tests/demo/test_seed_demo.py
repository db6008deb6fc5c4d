"""`manage.py seed_demo`: idempotent, every casework state is there, sign-ins printed."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.matching import possible_matches
from casework.models import Case, CaseStatus, Category, Child, ChildMerge, Event, EventKind, Outcome
from casework.selectors.triage import triage_queue
from cme.models import Notification, User
from demo.people import DEMO_USERS, MANAGER, OFFICER
from ehe.models import HomeEducation, Notice, Source, Suitability
from referrals.models import Referral, ReferralStatus, SystemTrigger

pytestmark = pytest.mark.django_db


def _seed() -> str:
    # The test settings have a secret key and DEBUG off: production-like, hence --force.
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def seeded() -> str:
    return _seed()


def test_a_second_run_creates_nothing(seeded: str) -> None:
    before = _counts()
    again = _seed()
    assert _counts() == before
    assert "Demo data: 0 created" in again
    assert "Demo data: 0 created" not in seeded


def test_the_demo_sends_no_email(seeded: str) -> None:
    assert mail.outbox == []


def test_every_case_state_is_there(seeded: str) -> None:
    cases = Case.objects.all()
    assert cases.filter(status=CaseStatus.OPEN, category=Category.WASP).exists()
    assert cases.filter(status=CaseStatus.OPEN, category=Category.MISSING).exists()
    for outcome in (Outcome.ON_ROLL_IN_AREA, Outcome.MOVED_OTHER_LA, Outcome.MOVED_ABROAD):
        assert cases.filter(status=CaseStatus.CLOSED, outcome=outcome).exists(), outcome
    assert cases.filter(outcome=Outcome.MOVED_OTHER_LA, outcome_la_accepted=True).exists()
    untraceable = cases.get(outcome=Outcome.UNTRACEABLE)
    assert untraceable.status == CaseStatus.OPEN
    assert untraceable.category == Category.MISSING
    assert untraceable.review_date is not None
    assert cases.filter(escalated_at__isnull=False, child__looked_after=True).exists()
    assert cases.filter(status=CaseStatus.OPEN, investigation_completed_at__isnull=False).exists()
    assert cases.filter(status=CaseStatus.OPEN, allocated_to__isnull=True).exists()
    assert cases.filter(status=CaseStatus.OPEN, overdue_flagged_at__isnull=False).exists()
    assert Event.objects.filter(kind=EventKind.REOPENED, case__status=CaseStatus.OPEN).exists()
    assert Event.objects.filter(kind=EventKind.CATEGORY).exists()
    assert Event.objects.filter(kind=EventKind.NOTE).exists()
    merge = ChildMerge.objects.get()
    assert merge.merged.merged_into == merge.kept
    assert merge.created_by == User.objects.get(email=MANAGER.email)
    assert Child.objects.filter(merged_into__isnull=True, cases__isnull=False).count() >= 10


def test_the_open_wasp_case_is_the_officers_and_due_next_week(seeded: str) -> None:
    case = Case.objects.get(reference="CS-DEMO-0001")
    assert case.allocated_to == User.objects.get(email=OFFICER.email)
    assert case.category == Category.WASP
    assert case.due_date > case.received_on
    assert case.received_on.weekday() < 5


def test_triage_has_every_kind_of_new_referral(seeded: str) -> None:
    queue = list(triage_queue())
    assert queue[0].child_protection_plan  # high risk first
    assert any(r.anonymous and not r.referrer_name for r in queue)
    assert any(r.trigger == SystemTrigger.UNKNOWN_DESTINATION for r in queue)
    misspelt = Referral.objects.get(reference="RF-DEMO-0103")
    assert misspelt.status == ReferralStatus.NEW
    assert [m.child.last_name for m in possible_matches(misspelt)] == ["Whitmore"]
    assert Referral.objects.filter(status=ReferralStatus.NOT_CME).exists()
    assert Referral.objects.filter(status=ReferralStatus.DUPLICATE).exists()


def test_the_officer_has_cases_and_notifications(seeded: str) -> None:
    officer = User.objects.get(email=OFFICER.email)
    assert Case.objects.filter(allocated_to=officer, status=CaseStatus.OPEN).count() >= 5
    assert Notification.objects.filter(user=officer).exists()


def test_print_only_prints_the_sign_ins_and_creates_nothing() -> None:
    out = StringIO()
    call_command("seed_demo", "--print-only", stdout=out)
    text = out.getvalue()
    assert "Demo sign-ins:" in text
    for user in DEMO_USERS:
        assert user.email in text
    assert "demo-password-2026" in text
    assert not User.objects.exists()


def test_demo_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "another-pass-123")
    assert "another-pass-123" in _seed()
    assert User.objects.get(email=OFFICER.email).check_password("another-pass-123")


def test_refuses_production_settings_without_force(settings: Any) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = "a-real-production-secret-key-0123456789"
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert User.objects.filter(email=OFFICER.email).exists()


# -- Issue 12: `make run` prints the sign-ins once ------------------------------------------


def test_no_sign_ins_loads_the_demo_and_prints_no_sign_ins() -> None:
    out = StringIO()
    call_command("seed_demo", "--force", "--no-sign-ins", stdout=out)
    assert "Demo data:" in out.getvalue()
    assert "Demo sign-ins" not in out.getvalue()
    assert User.objects.filter(email=OFFICER.email).exists()


def test_make_run_prints_the_sign_ins_once() -> None:
    """The Makefile's seed_demo (before the server) prints none under `make run`;
    scripts/run-dev.sh prints them as the server starts."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    makefile = (root / "Makefile").read_text()
    run_dev = (root / "scripts" / "run-dev.sh").read_text()
    assert "run: SEED_DEMO_ARGS := --no-sign-ins" in makefile
    assert "$(PY) manage.py seed_demo $(SEED_DEMO_ARGS)" in makefile
    assert run_dev.count("seed_demo") == 1
    assert "seed_demo --print-only" in run_dev


def test_the_transfers_between_councils_are_there(seeded: str) -> None:
    from referrals.models import ReferrerType
    from transfers.models import LocalAuthority, ReceivedTransfer, Transfer, TransferStatus

    assert LocalAuthority.objects.filter(code="888", name="Otherborough Council").exists()
    accepted = Transfer.objects.get(case__reference="CS-DEMO-0008")
    assert accepted.status == TransferStatus.ACCEPTED
    waiting = Transfer.objects.get(case__reference="CS-DEMO-0002")
    assert waiting.status == TransferStatus.SENT
    assert waiting.reminder_flagged_at is not None  # the reminder has run
    officer = User.objects.get(email=OFFICER.email)
    assert Notification.objects.filter(user=officer, key__startswith="transfer_answers:").exists()
    received = ReceivedTransfer.objects.get()
    assert received.referral.referrer_type == ReferrerType.OTHER_LA
    assert received.referral.status == ReferralStatus.NEW


def test_the_home_education_register_has_each_kind_of_entry(seeded: str) -> None:
    entries = HomeEducation.objects.all()
    assert entries.filter(source=Source.LEAVER_RETURN).exists()  # the ground (f) leaver
    assert entries.filter(suitability=Suitability.SUITABLE).exists()
    assert Notice.objects.filter(kind="s437_1", answer="waiting").exists()
