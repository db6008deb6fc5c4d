"""``seed_scale``'s casework: referrals (a fifth more than cases: new, not CME or duplicates),
cases over five years (a tenth open) with their enquiries, and each one's chronology."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from casework.models import (
    Case,
    CaseStatus,
    Category,
    Enquiry,
    EnquiryResult,
    EnquiryType,
    Event,
    EventKind,
    Outcome,
)
from demo.scale.context import LAST, ScaleRun, due, ref
from demo.scale.writer import Batches
from referrals.models import Channel, NotCmeReason, Reason, Referral, ReferralStatus, ReferrerType

CASES = 20_000  # per 100,000 children
OTHER_REFERRALS_SHARE = 0.2  # referrals with no case, as a share of the cases
OPEN_SHARE = 0.1
OPEN_MAX_AGE_DAYS = 120  # open cases were received in the last four months
MAX_AGE_DAYS = 5 * 365
ALLOCATED_SHARE = 0.95  # open cases with an officer
OPEN_INVESTIGATED_SHARE = 0.7  # open cases past their investigation days that finished it
ESCALATED_SHARE = 0.06

CHANNEL_WEIGHTS = {Channel.PUBLIC: 15, Channel.SIGNED_IN: 55, Channel.SYSTEM: 30}
NOT_ACCEPTED = (
    ReferralStatus.NEW,
    ReferralStatus.NOT_CME,
    ReferralStatus.NOT_CME,
    ReferralStatus.DUPLICATE,
)
REFERRER_TYPES = (
    ReferrerType.SCHOOL,
    ReferrerType.AGENCY,
    ReferrerType.LA_SERVICE,
    ReferrerType.PUBLIC,
)
CATEGORY_WEIGHTS = {Category.WASP: 65, Category.MISSING: 35}
OUTCOMES = [o for o in Outcome if o != Outcome.UNTRACEABLE]
OUTCOME_WEIGHTS = [30, 12, 14, 10, 10, 4, 10, 8, 1]  # in the order of OUTCOMES
ENQUIRY_RESULT_WEIGHTS = [20, 35, 25, 20]  # in the order of EnquiryResult
INVESTIGATION_DAYS = (5, 7, 9, 10, 12, 20)  # most finish on time
OTHER_LA_NAME = "Elsewhere City Council"

#: Primary reasons (codes of casework.models.CmeReason) the scale cases take in turn.
SCALE_REASONS = (
    "moved-in-from-another-la",
    "did-not-get-preference",
    "not-recorded",
    "parental-decision",
    "application-awaiting-outcome",
    "moved-to-another-country",
    "mental-health",
    "waiting-school-start",
)

# (the case's timestamp, the event it is in the chronology, its summary)
CASE_EVENTS = (
    ("escalated_at", EventKind.ESCALATED, "Escalated"),
    ("investigation_completed_at", EventKind.INVESTIGATION, "Initial investigation completed"),
    ("closed_at", EventKind.CLOSED, "Closed: {outcome}"),
)


@dataclass(frozen=True)
class Pools:
    """What the casework draws from: the children, the schools, the LA's caseworkers."""

    child_ids: list[int]
    child_dobs: dict[int, date]
    school_ids: list[int]
    caseworkers: list[int]


@dataclass(frozen=True)
class Received:
    """A referral written, as its case needs it."""

    id: int
    child: int
    on: date
    at: datetime
    decided_by: int


def write_casework(run: ScaleRun, n_cases: int, pools: Pools, counts: dict[str, int]) -> None:
    """`n_cases` cases, each with its referral, and the referrals with no case."""
    batches = Batches(Referral, Case, Enquiry, Event)
    n_other = max(1, round(n_cases * OTHER_REFERRALS_SHARE))
    n_open = max(1, round(n_cases * OPEN_SHARE))
    # At most one open case a child (the database's case_one_open_per_child).
    with_open_case: set[int] = set()
    for i in range(n_cases + n_other):
        has_case = i < n_cases
        is_open = has_case and i % (n_cases // n_open if n_open else 1) == 0
        received = _referral(
            run, batches, pools, has_case=has_case, is_open=is_open, avoid=with_open_case
        )
        if is_open:
            with_open_case.add(received.child)
        if has_case:
            _case(run, batches, pools, received, is_open=is_open)
        batches.flush_if_full()
    batches.flush()
    for name, model in (
        ("referrals", Referral),
        ("cases", Case),
        ("enquiries", Enquiry),
        ("events", Event),
    ):
        counts[name] = batches.count(model)


def _referral(
    run: ScaleRun,
    batches: Batches,
    pools: Pools,
    *,
    has_case: bool,
    is_open: bool,
    avoid: set[int],
) -> Received:
    rng = run.rng
    rid = batches.take_id(Referral)
    age = rng.randint(0, OPEN_MAX_AGE_DAYS) if is_open else rng.randint(0, MAX_AGE_DAYS)
    received_on = run.today - timedelta(days=age)
    received_at = run.at(received_on)
    child = rng.choice(pools.child_ids)
    if is_open and child in avoid:
        # The next child without an open case, found without drawing from the random stream
        # (so the rest of the data is as before).
        at = pools.child_ids.index(child)
        while child in avoid:
            at = (at + 1) % len(pools.child_ids)
            child = pools.child_ids[at]
    first, last = run.person()
    channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
    status = ReferralStatus.ACCEPTED if has_case else rng.choice(NOT_ACCEPTED)
    if status == ReferralStatus.NEW:
        received_at = run.at(run.today - timedelta(days=rng.randint(0, 3)))
    decided = status != ReferralStatus.NEW
    decided_by = rng.choice(pools.caseworkers)
    batches.add(
        Referral,
        {
            "id": rid,
            "reference": ref("RF", rid),
            "channel": channel,
            "received_at": received_at,
            "status": status,
            **_referrer(run, pools, system=channel == Channel.SYSTEM, first=first),
            "first_name": first,
            "last_name": last,
            "date_of_birth": pools.child_dobs.get(child),
            "gender": rng.choice("FM"),
            "last_school_id": rng.choice(pools.school_ids),
            "reasons": rng.sample([r.value for r in Reason], rng.choice([1, 1, 2, 3])),
            "details": "Load-test referral.",
            "decided_at": received_at + timedelta(hours=rng.randint(1, 48)) if decided else None,
            "decided_by_id": decided_by if decided else None,
            "not_cme_reason": rng.choice(list(NotCmeReason))
            if status == ReferralStatus.NOT_CME
            else "",
            **run.address(),
            **run.audit(received_at),
        },
    )
    return Received(rid, child, received_on, received_at, decided_by)


def _referrer(run: ScaleRun, pools: Pools, *, system: bool, first: str) -> dict[str, Any]:
    """Who referred: a school's system (a return's rule), or a person."""
    rng = run.rng
    if system:
        return {
            "referrer_type": ReferrerType.SYSTEM,
            "referrer_name": "",
            "referring_school_id": rng.choice(pools.school_ids),
        }
    return {
        "referrer_type": rng.choice(REFERRER_TYPES),
        "referrer_name": f"{first} {rng.choice(LAST)}",
        "referring_school_id": None,
    }


def _case(
    run: ScaleRun, batches: Batches, pools: Pools, received: Received, *, is_open: bool
) -> None:
    rng = run.rng
    today = run.today
    cid = batches.take_id(Case)
    allocated = rng.random() < ALLOCATED_SHARE or not is_open
    officer = rng.choice(pools.caseworkers) if allocated else None
    due_on = due(received.on)
    opened_at = received.at + timedelta(hours=rng.randint(1, 48))
    row: dict[str, Any] = {
        "id": cid,
        "reference": ref("CS", cid),
        "child_id": received.child,
        "referral_id": received.id,
        "category": rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0],
        "status": CaseStatus.OPEN if is_open else CaseStatus.CLOSED,
        "allocated_to_id": officer,
        "received_on": received.on,
        "due_date": due_on,
        # The CME return's details (issue 15), from the id rather than the random stream, so
        # the rest of the scale data is what it was: most became CME shortly before the
        # referral; one case in eight has no reason recorded.
        "became_cme_on": received.on - timedelta(days=cid % 29),
        "primary_reason_id": SCALE_REASONS[cid % len(SCALE_REASONS)],
        **run.audit(opened_at),
    }
    # Most investigations finish on time; open ones past their due date are sometimes still
    # going (overdue).
    completed_on = received.on + timedelta(days=rng.choice(INVESTIGATION_DAYS))
    if completed_on <= today and (not is_open or rng.random() < OPEN_INVESTIGATED_SHARE):
        row["investigation_completed_at"] = run.at(completed_on)
    if rng.random() < ESCALATED_SHARE:
        row["escalated_at"] = opened_at + timedelta(days=rng.randint(1, 30))
        row["escalation_reason"] = "Safeguarding concern: referred to the MASH."
        row["social_care_referred_at"] = row["escalated_at"]
    if is_open:
        row["review_date"] = today + timedelta(days=rng.randint(-10, 30))
        # Overdue before yesterday: already flagged by an earlier run of the job.
        if due_on < today - timedelta(days=1) and "investigation_completed_at" not in row:
            row["overdue_flagged_at"] = run.at(due_on + timedelta(days=1), hour=7)
    else:
        row.update(_closure(run, pools, received.on))
    batches.add(Case, row)
    _chronology(run, batches, pools, received, row, officer)


def _closure(run: ScaleRun, pools: Pools, received_on: date) -> dict[str, Any]:
    rng = run.rng
    outcome = rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
    closed_on = min(run.today, received_on + timedelta(days=rng.randint(10, 150)))
    return {
        "outcome": outcome,
        "closed_at": run.at(closed_on),
        "outcome_school_id": rng.choice(pools.school_ids)
        if outcome in (Outcome.ON_ROLL_IN_AREA, Outcome.PLACE_STARTED)
        else None,
        "outcome_la": OTHER_LA_NAME
        if outcome in (Outcome.ON_ROLL_OTHER_LA, Outcome.MOVED_OTHER_LA)
        else "",
        "outcome_la_accepted": outcome == Outcome.MOVED_OTHER_LA,
        "outcome_country": "Romania" if outcome == Outcome.MOVED_ABROAD else "",
        # An old closed case was past compulsory age when flagged, sometimes.
        "csa_end_flagged_at": run.at(closed_on)
        if outcome == Outcome.CEASED_COMPULSORY_AGE
        else None,
    }


def _chronology(
    run: ScaleRun,
    batches: Batches,
    pools: Pools,
    received: Received,
    case: dict[str, Any],
    officer: int | None,
) -> None:
    """The case's events and enquiries, in the order they happened."""
    rng = run.rng
    cid, child = case["id"], received.child

    def event(case_id: int | None, kind: str, at: datetime, by: int | None, summary: str) -> None:
        batches.add(
            Event,
            {
                "id": batches.take_id(Event),
                "child_id": child,
                "case_id": case_id,
                "kind": kind,
                "occurred_at": at,
                "by_id": by,
                "summary": summary,
            },
        )

    event(
        None, EventKind.REFERRAL, received.at, None, f"Referral {ref('RF', received.id)} received"
    )
    opened_at = case["created_at"]
    event(
        cid,
        EventKind.CASE_OPENED,
        opened_at,
        received.decided_by,
        f"Case {case['reference']} opened",
    )
    if officer:
        event(cid, EventKind.ALLOCATED, opened_at, received.decided_by, "Allocated")
    for _ in range(rng.choice([1, 2, 3, 3, 4, 5])):
        made_on = min(run.today, received.on + timedelta(days=rng.randint(0, 14)))
        made_by = officer or rng.choice(pools.caseworkers)
        enquiry_type = rng.choice(list(EnquiryType))
        batches.add(
            Enquiry,
            {
                "id": batches.take_id(Enquiry),
                "case_id": cid,
                "enquiry_type": enquiry_type,
                "made_on": made_on,
                "made_by_id": made_by,
                "contact": enquiry_type.label,
                "result": rng.choices(list(EnquiryResult), ENQUIRY_RESULT_WEIGHTS)[0],
                **run.audit(run.at(made_on)),
            },
        )
        event(cid, EventKind.ENQUIRY, run.at(made_on), made_by, f"Enquiry: {enquiry_type.label}")
    outcome = Outcome(case["outcome"]).label if "outcome" in case else ""
    for stamp, event_kind, summary in CASE_EVENTS:
        if case.get(stamp):
            event(cid, event_kind, case[stamp], officer, summary.format(outcome=outcome))
