"""The candidate query: which children could be the referred child ("blocking").

One query, an OR of equality predicates on pairs of indexed key columns (a BitmapOr over
the partial indexes in Child.Meta on PostgreSQL), so no rule scans the table. Each pair
survives an error in any field it does not use, so the union survives one or two errors:

* the same UPN, or the same NHS number;
* surname sounds the same and date of birth the same (or day and month swapped);
* surname and first name (or a nickname of it) sound the same: a wrong or missing DOB;
* first name and DOB: a changed surname; first name and postcode: a changed surname and
  a wrong DOB; postcode and DOB: both names misspelt;
* surname and postcode: siblings (shown flagged, see scoring), a missing DOB;
* DOB and postcode district (the outward code, "EX2" of "EX2 3CC"): a typo in both names
  and in the inward code, or names swapped and misspelt (about one child per district and
  day of birth in a region of 1,000,000);
* first and last names swapped (the surname key equal to the first name's, and so on),
  with the first name's surname key at the same postcode too.

The referral's "other names or spellings" add surname keys. At most
:data:`MAX_CANDIDATES` rows come back, those agreeing on most keys first.
"""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Left, Length
from django.db.models.lookups import Exact

from casework.matching.keys import (
    INWARD_CODE_LENGTH,
    first_name_phonetics,
    name_keys,
    name_tokens,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    phonetic,
    postcode_outward,
    swapped_date,
)
from casework.models import Case as ChildCase
from casework.models import CaseStatus, Child
from referrals.models import Referral

#: The most candidates the query returns: a very common name must not load thousands.
MAX_CANDIDATES = 40
_NHS_MIN_DIGITS = 6  # shorter is a fragment, not a number


def postcode_outward_expression() -> Left:
    """The stored postcode key without its inward code, as SQL: the expression the index
    ``child_match_dob_outward`` (Child.Meta) is built on, so the query must use this one."""
    return Left(F("postcode_key"), Length(F("postcode_key")) - INWARD_CODE_LENGTH)


def _query(referral: Referral) -> Q:
    first_key, _, last_phon = name_keys(referral.first_name, referral.last_name)
    first_phons = first_name_phonetics(first_key)
    last_phons = {last_phon} | {phonetic(t) for t in name_tokens(referral.other_names)}
    last_phons.discard("")
    dobs = [d for d in (referral.date_of_birth, swapped_date(referral.date_of_birth)) if d]
    postcode = normalise_postcode(referral.postcode)
    upn = normalise_upn(referral.upn)
    nhs = normalise_nhs_number(referral.nhs_number)

    rules: list[Q] = []
    if upn:
        rules.append(Q(upn__in=sorted({upn, upn.lower()})))
    if len(nhs) >= _NHS_MIN_DIGITS:
        rules.append(Q(nhs_number_key=nhs))
    pairs = {
        "last_name_phonetic__in": sorted(last_phons),
        "first_name_phonetic__in": sorted(first_phons),
        "date_of_birth__in": dobs,
        "postcode_key": postcode,
    }
    for a, b in (
        ("last_name_phonetic__in", "date_of_birth__in"),
        ("last_name_phonetic__in", "first_name_phonetic__in"),
        ("first_name_phonetic__in", "date_of_birth__in"),
        ("postcode_key", "first_name_phonetic__in"),
        ("postcode_key", "date_of_birth__in"),
        ("last_name_phonetic__in", "postcode_key"),
    ):
        if pairs[a] and pairs[b]:
            rules.append(Q(**{a: pairs[a], b: pairs[b]}))
    if dobs and len(postcode) > INWARD_CODE_LENGTH:
        outward = postcode_outward(postcode)
        rules.append(Q(Exact(postcode_outward_expression(), outward), date_of_birth__in=dobs))
    if first_key and last_phon:  # first and last names swapped on one record
        rules.append(Q(last_name_phonetic__in=sorted(first_phons), first_name_phonetic=last_phon))
        if postcode:
            rules.append(Q(last_name_phonetic__in=sorted(first_phons), postcode_key=postcode))
    query = Q()
    for rule in rules:
        query |= rule
    return query


def _agreement(referral: Referral) -> Combinable:
    """How many keys a candidate shares with the referral: the cap keeps the best."""
    first_key, last_key, _ = name_keys(referral.first_name, referral.last_name)
    checks = [
        Q(last_name_key=last_key) if last_key else None,
        Q(first_name_key=first_key) if first_key else None,
        Q(date_of_birth=referral.date_of_birth) if referral.date_of_birth else None,
        Q(postcode_key=normalise_postcode(referral.postcode)) if referral.postcode else None,
    ]
    total: Combinable = Value(0)
    for check in checks:
        if check is not None:
            total = total + Case(When(check, then=1), default=0, output_field=IntegerField())
    return total


def candidate_queryset(referral: Referral) -> QuerySet[Child] | None:
    """The candidate query, capped and ordered (None when the referral has nothing to
    match on); the benchmark EXPLAINs it."""
    query = _query(referral)
    if not query:
        return None
    return (
        Child.objects.filter(query, merged_into__isnull=True)
        .alias(agreement=_agreement(referral))
        .order_by("-agreement", "pk")[:MAX_CANDIDATES]
    )


def open_cases_prefetch() -> Prefetch[str]:
    """The children's open cases, oldest first, as ``child.open_cases``."""
    return Prefetch(
        "cases",
        queryset=ChildCase.objects.filter(status=CaseStatus.OPEN).order_by("received_on"),
        to_attr="open_cases",
    )


def candidates_for(referral: Referral, *, with_cases: bool = True) -> list[Child]:
    """Children who could be the referred child (one query, and one to prefetch their open
    cases unless told not to); never merged ones."""
    candidates = candidate_queryset(referral)
    if candidates is None:
        return []
    if with_cases:
        candidates = candidates.prefetch_related(open_cases_prefetch())
    return list(candidates)
