"""Reads for the EHE register: scoped to who asks (EHE officers and managers), each list in a
constant number of queries; and the EHE counts of the DfE's termly return (issue 17 item 5)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from casework.models import CaseStatus
from cme.models import User
from ehe.models import HomeEducation, Notice, Source, Status, Suitability, SuitabilityView

#: The EHE officer's home lists contacts due within this many days (and every overdue one).
DUE_SOON_DAYS = 14


def require_ehe_worker(user: User) -> None:
    if not user.is_authenticated or not user.is_ehe_worker:
        raise Http404


def entries_visible_to(user: User) -> QuerySet[HomeEducation]:
    require_ehe_worker(user)
    return HomeEducation.objects.select_related("child")


def register(user: User) -> QuerySet[HomeEducation]:
    """Every child on the register now (home educated), next contact due first."""
    return entries_visible_to(user).filter(status=Status.ACTIVE).order_by("next_contact_due", "id")


def contacts_due(user: User, today: date) -> QuerySet[HomeEducation]:
    """Children due a contact: overdue, or due within ``DUE_SOON_DAYS``."""
    return register(user).filter(next_contact_due__lte=today + timedelta(days=DUE_SOON_DAYS))


def periods_ended(user: User, today: date) -> QuerySet[Notice]:
    """Notices whose parent's period has run out with no answer recorded: the officer
    decides the next step (s437(3): the order; s438: the school to name)."""
    require_ehe_worker(user)
    return (
        Notice.objects.filter(
            answer="waiting",
            period_ends_on__lt=today,
            home_education__status=Status.ACTIVE,
        )
        .select_related("home_education__child")
        .order_by("period_ends_on", "id")
    )


def entry_for_view(user: User, entry_id: int) -> HomeEducation:
    """One entry, with what its page shows (parents, contacts, views, notices) prefetched."""
    return get_object_or_404(
        entries_visible_to(user)
        .select_related("case", "source_return__school", "source_referral")
        .prefetch_related(
            "parents",
            "contacts__created_by",
            "views__created_by",
            Prefetch(
                "notices",
                queryset=Notice.objects.select_related("school", "created_by").prefetch_related(
                    "alternatives"
                ),
            ),
        ),
        pk=entry_id,
    )


def notice_for_view(user: User, notice_id: int) -> Notice:
    require_ehe_worker(user)
    return get_object_or_404(
        Notice.objects.select_related(
            "home_education__child", "school", "created_by"
        ).prefetch_related("alternatives", "home_education__parents"),
        pk=notice_id,
    )


# ------------------------------------------------------------------ the DfE return's EHE part


@dataclass(frozen=True)
class CensusCounts:
    """The EHE counts at a census date, from the register."""

    census_date: date
    total: int
    new_in_term: int
    suitable: int
    not_suitable: int
    not_assessed: int
    from_leaver_returns: int
    with_cme_case: int
    with_order: int

    def frozen(self) -> dict[str, int]:
        """The counts as a submitted return keeps them (JSON)."""
        return {k: v for k, v in asdict(self).items() if k != "census_date"}

    @classmethod
    def thawed(cls, census_date: date, frozen: dict[str, int]) -> CensusCounts:
        return cls(census_date=census_date, **frozen)

    def rows(self) -> list[tuple[str, int]]:
        return [
            ("Children electively home educated on the census date", self.total),
            ("of whom started in the 12 weeks before the census date", self.new_in_term),
            ("of whom the education appears suitable", self.suitable),
            ("of whom the education does not appear suitable", self.not_suitable),
            ("of whom suitability not yet assessed", self.not_assessed),
            ("of whom notified by a school (deletion ground (f))", self.from_leaver_returns),
            ("of whom also missing education (an open CME case)", self.with_cme_case),
            ("of whom a school attendance order has been served", self.with_order),
        ]


#: "New" at the census date: home education started in the 12 weeks before (about a term).
NEW_WEEKS = 12


def on_register_at(census_date: date) -> QuerySet[HomeEducation]:
    """Entries on the register at the end of ``census_date``: registered by then, and not
    ended before it. An entry's view of suitability is read as it stands now (the register
    keeps the dated views, but the return counts the latest)."""
    return HomeEducation.objects.filter(created_at__date__lte=census_date).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=census_date)
    )


def census_counts(census_date: date) -> CensusCounts:
    """The EHE part of the DfE's termly return at ``census_date``, in one query."""
    new_from = census_date - timedelta(weeks=NEW_WEEKS)
    # The LA's view as it stood on the census date (its latest view formed by then), not
    # today's: a view formed after the census date does not change that term's figures.
    view_then = (
        SuitabilityView.objects.filter(home_education=OuterRef("pk"), formed_on__lte=census_date)
        .order_by("-formed_on", "-id")
        .values("suitability")[:1]
    )
    then = on_register_at(census_date).annotate(
        suitability_then=Coalesce(Subquery(view_then), Value(Suitability.NOT_ASSESSED.value))
    )
    figures = then.aggregate(
        total=Count("pk", distinct=True),
        new_in_term=Count(
            "pk", filter=Q(started_on__gt=new_from, started_on__lte=census_date), distinct=True
        ),
        suitable=Count("pk", filter=Q(suitability_then=Suitability.SUITABLE), distinct=True),
        not_suitable=Count(
            "pk", filter=Q(suitability_then=Suitability.NOT_SUITABLE), distinct=True
        ),
        not_assessed=Count(
            "pk", filter=Q(suitability_then=Suitability.NOT_ASSESSED), distinct=True
        ),
        from_leaver_returns=Count("pk", filter=Q(source=Source.LEAVER_RETURN), distinct=True),
        with_cme_case=Count(
            "pk",
            filter=Q(case__status=CaseStatus.OPEN, case__received_on__lte=census_date),
            distinct=True,
        ),
        with_order=Count(
            "pk",
            filter=Q(notices__kind="order", notices__served_on__lte=census_date),
            distinct=True,
        ),
    )
    return CensusCounts(census_date=census_date, **figures)
