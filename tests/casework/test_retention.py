"""Retention (docs/decisions/004-retention.md): a child whose cases are all closed is
anonymised CME_RETENTION_YEARS after their compulsory school age ended; nobody else is.

The child below is born 3 February 2014: compulsory school age ends on Friday 28 June 2030,
so with 6 years the record goes on 29 June 2036 (and not a day before).
"""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models
from django.db.models import Q
from pytest_django import Settings

from casework.models import (
    Case,
    CaseNote,
    CaseStatus,
    Child,
    Enquiry,
    EnquiryResult,
    EnquiryType,
    Event,
    Outcome,
)
from casework.retention import NAME, TEXT, retention_anonymise, retention_cutoff
from casework.services import cases as svc
from casework.services import closing
from cme.jobs import run_job
from cme.models import User
from cme.statutory import compulsory_school_age
from referrals.models import Referral, ReferralPerson
from tests.factories import CaseFactory, ChildFactory

pytestmark = pytest.mark.usefixtures("frozen")

DOB = date(2014, 2, 3)
CSA_END = date(2030, 6, 28)
PAST = date(2036, 9, 1)  # more than 6 years after CSA_END
WITHIN = date(2036, 6, 1)  # less than 6 years after


def _child_with_closed_case(officer: User, first: str, last: str, *, close: bool = True) -> Case:
    child = ChildFactory.create(
        first_name=first,
        last_name=last,
        middle_names="Middle" + last,
        upn="A123456789012",
        nhs_number="9434765919",
        postcode="EX1 1ZZ",
        date_of_birth=DOB,
        child_protection_plan=True,
    )
    case: Case = CaseFactory.create(
        child=child,
        allocated_to=officer,
        referral__referrer_name=f"Referrer {last}",
        referral__referrer_email=f"{last}@example.org",
        referral__referrer_address=f"1 {last} Street\nExampleton\nEX1 1ZZ",
        referral__first_name=first,
        referral__last_name=last,
        referral__details=f"{first} {last} left",
    )
    ReferralPerson.objects.create(
        referral=case.referral,
        kind=ReferralPerson.Kind.PARENT,
        name=f"Parent {last}",
        phone="07700 900999",
    )
    svc.enquiry_record(
        case=case,
        by=officer,
        enquiry_type=EnquiryType.HOME_VISIT,
        made_on=date(2026, 11, 20),
        result=EnquiryResult.NOT_FOUND,
        contact=f"Aunt {last}",
        notes=f"{first} not at home",
    )
    svc.case_note_add(case=case, by=officer, text=f"Called {first} {last}'s mother")
    svc.case_escalate(
        case=case, by=officer, reason=f"{last} family concern", social_care_referred=False
    )
    if close:
        closing.case_close(
            case=case,
            by=officer,
            outcome=Outcome.MOVED_ABROAD,
            outcome_country="Ireland",
            outcome_notes=f"{first} {last} moved to Cork",
        )
    case.refresh_from_db()
    return case


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, (models.CharField, models.TextField)) and not f.is_relation
    ]


def rows_mentioning(word: str) -> dict[str, int]:
    """How many rows of each touched table (and its history table) hold ``word`` anywhere."""
    found = {}
    touched = [Child, Case, Enquiry, CaseNote, Event, Referral, ReferralPerson]
    for model in touched + [m.history.model for m in touched if hasattr(m, "history")]:
        query = Q()
        for name in _text_fields(model):
            query |= Q(**{f"{name}__icontains": word})
        count = model._default_manager.filter(query).count()
        if count:
            found[model.__name__] = count
    return found


def test_the_rule_is_more_than_n_years_after_compulsory_school_age(settings: Settings) -> None:
    settings.CME_RETENTION_YEARS = 6
    assert compulsory_school_age(DOB)[1] == CSA_END
    assert retention_cutoff(CSA_END.replace(year=2036)) < DOB  # exactly 6 years: kept
    assert retention_cutoff(CSA_END.replace(year=2036) + timedelta(days=1)) >= DOB


def test_a_child_past_the_rule_is_anonymised_everywhere(officer: User) -> None:
    case = _child_with_closed_case(officer, "Zebedee", "Quixotewick")
    assert rows_mentioning("Quixotewick")  # the data is there, and in the history tables

    result = run_job("retention_anonymise", today=PAST)

    assert result.flagged == [str(case.child_id)]
    assert rows_mentioning("Quixotewick") == {}
    assert rows_mentioning("Zebedee") == {}
    child = Child.objects.get(pk=case.child_id)
    assert (child.first_name, child.last_name, child.upn, child.nhs_number, child.postcode) == (
        NAME,
        NAME,
        "",
        "",
        "",
    )
    assert child.date_of_birth == date(2014, 1, 1)  # the year stays, for statistics
    assert child.child_protection_plan
    assert child.anonymised_at is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.outcome == Outcome.MOVED_ABROAD
    assert case.outcome_notes == TEXT
    assert case.escalation_reason == TEXT
    assert set(Enquiry.objects.filter(case=case).values_list("contact", "notes")) == {(TEXT, TEXT)}
    assert set(CaseNote.objects.filter(case=case).values_list("text", flat=True)) == {TEXT}
    assert set(Event.objects.filter(child_id=case.child_id).values_list("summary", flat=True)) == {
        TEXT
    }
    referral = Referral.objects.get(pk=case.referral_id)
    assert (referral.first_name, referral.referrer_name, referral.referrer_email) == ("", "", "")
    assert referral.referrer_address == ""
    assert referral.details == TEXT
    assert referral.date_of_birth == date(2014, 1, 1)
    assert not ReferralPerson.objects.filter(referral=referral).exists()
    assert not Child.history.filter(id=case.child_id).exists()


def test_open_cases_and_children_within_the_period_are_untouched(officer: User) -> None:
    open_case = _child_with_closed_case(officer, "Opal", "Openshaw", close=False)
    recent = _child_with_closed_case(officer, "Rita", "Recentley")
    recent.child.date_of_birth = date(2016, 5, 5)
    recent.child.save()
    # Two cases, one still open: the child stays.
    mixed = _child_with_closed_case(officer, "Mona", "Mixtondale")
    CaseFactory.create(child=mixed.child)
    before = {w: rows_mentioning(w) for w in ("Openshaw", "Recentley", "Mixtondale")}

    result = run_job("retention_anonymise", today=PAST)

    assert result.flagged == []
    assert {w: rows_mentioning(w) for w in before} == before
    assert not Child.objects.filter(anonymised_at__isnull=False).exists()
    assert open_case.child.first_name == "Opal"


def test_the_day_before_the_period_ends_nothing_is_anonymised(officer: User) -> None:
    _child_with_closed_case(officer, "Wendy", "Withinford")
    assert run_job("retention_anonymise", today=WITHIN).flagged == []
    assert rows_mentioning("Withinford")


def test_the_dry_run_lists_ids_not_names_and_changes_nothing(officer: User) -> None:
    case = _child_with_closed_case(officer, "Dora", "Dryrunson")
    before = rows_mentioning("Dryrunson")
    out = StringIO()
    call_command(
        "run_check", "retention_anonymise", "--dry-run", "--today", PAST.isoformat(), stdout=out
    )
    assert str(case.child_id) in out.getvalue()
    assert "would flag 1" in out.getvalue()
    assert "Dryrunson" not in out.getvalue()
    assert "Dora" not in out.getvalue()
    assert rows_mentioning("Dryrunson") == before
    assert Child.objects.get(pk=case.child_id).anonymised_at is None


def test_a_second_run_is_a_no_op(officer: User) -> None:
    case = _child_with_closed_case(officer, "Tess", "Twicefield")
    assert retention_anonymise(today=PAST, dry_run=False).flagged == [str(case.child_id)]
    stamp = Child.objects.get(pk=case.child_id).anonymised_at
    assert retention_anonymise(today=PAST, dry_run=False).flagged == []
    assert retention_anonymise(today=PAST, dry_run=True).flagged == []
    assert Child.objects.get(pk=case.child_id).anonymised_at == stamp


def test_the_period_is_configurable(officer: User, settings: Settings) -> None:
    case = _child_with_closed_case(officer, "Cora", "Configby")
    settings.CME_RETENTION_YEARS = 10
    assert run_job("retention_anonymise", today=PAST).flagged == []
    assert rows_mentioning("Configby")
    assert run_job("retention_anonymise", today=date(2040, 6, 29)).flagged == [str(case.child_id)]
    assert rows_mentioning("Configby") == {}


def test_a_duplicate_merged_into_an_anonymised_child_goes_with_it(officer: User) -> None:
    case = _child_with_closed_case(officer, "Kit", "Keptworth")
    duplicate = ChildFactory.create(
        first_name="Kit", last_name="Keptworthe", merged_into=case.child
    )
    result = run_job("retention_anonymise", today=PAST)
    assert sorted(result.flagged) == sorted([str(case.child_id), str(duplicate.pk)])
    assert rows_mentioning("Keptworth") == {}


def test_the_job_is_on_the_beat_schedule(settings: Settings) -> None:
    from config.settings import CELERY_BEAT_SCHEDULE, CME_JOB_TIMES

    assert CME_JOB_TIMES["retention_anonymise"] == "02:30"
    assert CELERY_BEAT_SCHEDULE["retention_anonymise"]["args"] == ("retention_anonymise",)
    assert settings.CME_RETENTION_YEARS == 6
