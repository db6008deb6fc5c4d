"""Retention: anonymise children whose records are past the retention period.

The rule (docs/decisions/004-retention.md): a child whose every case is closed, and whose
compulsory school age ended more than ``settings.CME_RETENTION_YEARS`` years ago, is
anonymised: the child's identifying fields, the free text on their cases, enquiries, notes
and chronology, and the personal fields of the referrals behind the cases. Counts (the
year of birth, gender, flags, categories, outcomes, dates) stay for statistics.

Set-based: each batch claims up to ``BATCH_SIZE`` children with one conditional UPDATE
(``anonymised_at IS NULL``) and anonymises everything of theirs with UPDATEs whose WHERE is
``child_id IN (SELECT id FROM child WHERE anonymised_at = <this batch's stamp>)``, all in one
transaction per batch. ``anonymised_at`` is the idempotency key: a second run finds nothing.
The dry run lists the child ids it would anonymise (ids, never names) and changes nothing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncYear
from django.utils import timezone

from casework.models import Case, CaseNote, CaseStatus, Child, ChildMerge, Enquiry, Event
from cme.jobs import JobResult, job
from cme.statutory import compulsory_school_age
from referrals.models import Referral, ReferralPerson

log = logging.getLogger(__name__)

NAME = "Anonymised"
TEXT = "[anonymised]"
BATCH_SIZE = 5000


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def latest_dob_csa_ended_by(day: date) -> date:
    """The latest date of birth whose compulsory school age ended on or before ``day``.

    The end (last Friday in June of the school year in which the child turns 16) only grows
    with the date of birth, and children born 1 September (Y-16) to 31 August (Y-15) leave
    in June Y: so the answer is 31 August of (Y-16) for the latest such Y."""
    cutoff = date(day.year - 16, 8, 31)
    if compulsory_school_age(cutoff)[1] <= day:
        return cutoff
    return date(day.year - 17, 8, 31)


def retention_cutoff(today: date, years: int | None = None) -> date:
    """Children born on or before this date left compulsory school age more than ``years``
    years before ``today`` (end + years < today, i.e. end <= today - years - 1 day)."""
    years = settings.CME_RETENTION_YEARS if years is None else years
    return latest_dob_csa_ended_by(_years_before(today, years) - timedelta(days=1))


def _past_retention(today: date) -> QuerySet[Child]:
    """Kept records (not merged away) past the rule: at least one case, none open."""
    return Child.objects.filter(
        Exists(Case.objects.filter(child=OuterRef("pk"))),
        ~Exists(Case.objects.filter(child=OuterRef("pk"), status=CaseStatus.OPEN)),
        merged_into__isnull=True,
        date_of_birth__lte=retention_cutoff(today),
    )


def candidates(today: date) -> QuerySet[Child]:
    """Children to anonymise: past the rule, or duplicates merged into such a child (their
    cases were moved to the kept record, so they go with it). Not yet anonymised."""
    return Child.objects.filter(anonymised_at__isnull=True).filter(
        Q(pk__in=Subquery(_past_retention(today).values("pk")))
        | Q(merged_into__in=Subquery(_past_retention(today).values("pk")))
        | Q(merged_into__anonymised_at__isnull=False)
    )


def _mask(field: str) -> models.Case:
    """The field's text replaced by ``[anonymised]`` (empty stays empty)."""
    return models.Case(When(**{field: ""}, then=Value("")), default=Value(TEXT))


def _purge_history(model: type[models.Model], ids: Any) -> int:
    """Delete the audit-trail rows (django-simple-history) of these objects, if it has any."""
    manager = getattr(model, "history", None)
    history_model = getattr(manager, "model", None)
    if history_model is None:
        return 0
    deleted, _ = history_model.objects.filter(id__in=ids).delete()
    return int(deleted)


#: What identifies a child on both the child record and the referral, blanked on each.
_BLANK_IDENTITY = dict.fromkeys(
    ("other_names", "upn", "nhs_number", "address_line_1", "address_line_2", "town", "postcode"),
    "",
)


def _anonymise_batch(stamp: datetime, today: date) -> list[int]:
    """Claim up to BATCH_SIZE candidates with ``stamp`` and anonymise all that is theirs."""
    batch = candidates(today).order_by("pk").values("pk")[:BATCH_SIZE]
    claimed = Child.objects.filter(pk__in=Subquery(batch), anonymised_at__isnull=True).update(
        anonymised_at=stamp,
        updated_at=stamp,
        first_name=NAME,
        middle_names="",
        last_name=NAME,
        **_BLANK_IDENTITY,
        first_name_key=NAME.lower(),
        last_name_key=NAME.lower(),
        last_name_phonetic="",
        first_name_phonetic="",
        postcode_key="",
        nhs_number_key="",
        other_name_keys="",
        # 1 January of the birth year: the age and year group still count in statistics.
        date_of_birth=TruncYear("date_of_birth", output_field=models.DateField()),
    )
    if not claimed:
        return []
    children = Child.objects.filter(anonymised_at=stamp).values("pk")
    cases = Case.objects.filter(child_id__in=Subquery(children))
    case_ids = cases.values("pk")
    referral_ids = cases.values("referral_id")

    cases.update(
        outcome_notes=_mask("outcome_notes"),
        escalation_reason=_mask("escalation_reason"),
        updated_at=stamp,
    )
    Enquiry.objects.filter(case_id__in=Subquery(case_ids)).update(
        contact=_mask("contact"), notes=_mask("notes"), updated_at=stamp
    )
    CaseNote.objects.filter(case_id__in=Subquery(case_ids)).update(text=TEXT, updated_at=stamp)
    Event.objects.filter(child_id__in=Subquery(children)).update(
        summary=TEXT, detail=_mask("detail")
    )
    ChildMerge.objects.filter(
        Q(kept_id__in=Subquery(children)) | Q(merged_id__in=Subquery(children))
    ).update(reason=TEXT, updated_at=stamp)
    ReferralPerson.objects.filter(referral_id__in=Subquery(referral_ids)).delete()
    Referral.objects.filter(pk__in=Subquery(referral_ids)).update(
        updated_at=stamp,
        # The child, as the referrer gave them.
        first_name="",
        last_name="",
        **_BLANK_IDENTITY,
        previous_address="",
        date_of_birth=TruncYear("date_of_birth", output_field=models.DateField()),
        details=_mask("details"),
        enquiries_made=_mask("enquiries_made"),
        decision_notes=_mask("decision_notes"),
        # The referrer (a member of the public, or a professional).
        referrer_name="",
        referrer_email="",
        referrer_phone="",
        referrer_address="",
    )
    # The audit trail holds the same personal data as it was before: it goes too.
    for model, ids in (
        (Child, children),
        (Case, case_ids),
        (Enquiry, Enquiry.objects.filter(case_id__in=Subquery(case_ids)).values("pk")),
        (CaseNote, CaseNote.objects.filter(case_id__in=Subquery(case_ids)).values("pk")),
        (Referral, referral_ids),
    ):
        _purge_history(model, Subquery(ids))
    return list(children.order_by("pk").values_list("pk", flat=True))


@job("retention_anonymise", "Anonymise children past the retention period (closed cases)")
def retention_anonymise(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="retention_anonymise", dry_run=dry_run)
    if dry_run:
        result.flagged = [
            str(pk) for pk in candidates(today).order_by("pk").values_list("pk", flat=True)
        ]
        return result
    while True:
        stamp = timezone.now()
        with transaction.atomic():
            ids = _anonymise_batch(stamp, today)
        if not ids:
            break
        result.flagged.extend(str(pk) for pk in ids)
        log.info("retention: anonymised %s children (batch stamped %s)", len(ids), stamp)
    return result
