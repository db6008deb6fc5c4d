"""Reads for the children-not-in-school register, for caseworkers only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from casework.selectors.cases import require_caseworker
from cme.audit import WITHHELD
from cme.models import User
from cme.statutory import earliest_dob_of_compulsory_school_age, latest_dob_of_compulsory_school_age
from cnis.models import EntryParent, Provider, ProviderRequest, RegisterEntry, Source
from schools.models import PartTimeTimetable


def entries_visible_to(user: User) -> QuerySet[RegisterEntry]:
    require_caseworker(user)
    return RegisterEntry.objects.select_related("child").filter(child__merged_into__isnull=True)


def register_entries(user: User) -> QuerySet[RegisterEntry]:
    """The register with what its list and export show, in a fixed number of queries."""
    return entries_visible_to(user).prefetch_related(
        Prefetch("parents", queryset=EntryParent.objects.order_by("id")),
        Prefetch("providers", queryset=Provider.objects.order_by("id")),
    )


def entry_for_view(user: User, entry_id: int) -> RegisterEntry:
    return get_object_or_404(
        register_entries(user).prefetch_related(
            Prefetch("providers__requests", queryset=ProviderRequest.objects.order_by("-sent_on")),
            "changes",
        ),
        pk=entry_id,
    )


def part_time_candidates(user: User, today: date, limit: int = 50) -> list[PartTimeTimetable]:
    """s436B(2)(b): pupils on a part-time timetable now, of compulsory school age, not on
    the register (by name and date of birth): the school returns that feed it."""
    require_caseworker(user)
    on_register = RegisterEntry.objects.values_list(
        "child__first_name", "child__last_name", "child__date_of_birth"
    )
    known = {(f.lower(), last.lower(), dob) for f, last, dob in on_register}
    timetables = (
        PartTimeTimetable.objects.select_related("school")
        .filter(
            ended_on__isnull=True,
            start_date__lte=today,
            date_of_birth__gte=earliest_dob_of_compulsory_school_age(today),
            date_of_birth__lte=latest_dob_of_compulsory_school_age(today),
        )
        .order_by("-start_date", "-id")[: limit * 2]
    )
    found = [
        t
        for t in timetables
        if (t.first_name.lower(), t.last_name.lower(), t.date_of_birth) not in known
    ]
    return found[:limit]


@dataclass(frozen=True)
class Prescribed:
    """An item of the optional prescribed information (s436C(3)), with its source."""

    label: str
    value: str
    source: str


def prescribed_information(entry: RegisterEntry) -> list[Prescribed]:
    """What the LA holds of the prescribed information: the child's flags (casework's
    record) and the reason for eligibility (the entry's source)."""
    child = entry.child
    la = Source.LA_RECORDS.label
    return [
        Prescribed("Special educational needs", _yes_no(child.ehcp_sen), la),
        Prescribed("Child protection plan", _yes_no(child.child_protection_plan), la),
        Prescribed("Child in need", _yes_no(child.child_in_need), la),
        Prescribed("Looked after", _yes_no(child.looked_after), la),
        Prescribed(
            "Reason for eligibility",
            entry.get_eligibility_display(),
            entry.get_eligibility_source_display(),
        ),
    ]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def home_address(entry: RegisterEntry) -> str:
    """The child's home address, withheld for a restricted record (lists and exports)."""
    child = entry.child
    if child.restricted:
        return WITHHELD
    parts = (child.address_line_1, child.address_line_2, child.town, child.postcode)
    return ", ".join(p for p in parts if p)
