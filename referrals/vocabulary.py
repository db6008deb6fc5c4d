"""The vulnerability flags: one definition of each flag's field, label and tag colour.

A referral carries the flags and the child keeps them (``referrals.models.VulnerabilityFlags``,
copied by ``casework.models.Child``). Every screen, export and report names a flag by its
``label``; the case tables' compact tag uses ``short``; the public referral form asks with
``question`` (the referrer's words). Nothing else lists the flags.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    field: str
    #: The one name staff see: the register filter, triage, the child record, exports, reports.
    label: str
    #: The GOV.UK tag colour wherever the flag is shown as a tag.
    colour: str
    #: The referral form's checkbox wording.
    question: str
    #: The abbreviation in the dense case tables (None: the flag is not tagged there).
    short: str | None = None


FLAGS: tuple[Flag, ...] = (
    Flag(
        "child_protection_plan",
        "Child protection plan",
        "red",
        "Has a child protection plan",
        short="CP plan",
    ),
    Flag(
        "looked_after",
        "Looked after",
        "red",
        "Is looked after by a local authority (in care)",
        short="Looked after",
    ),
    Flag(
        "child_in_need",
        "Child in need or has a social worker",
        "grey",
        "Is a child in need or has a social worker",
    ),
    Flag(
        "ehcp_sen",
        "EHCP or SEN",
        "blue",
        "Has an EHCP or special educational needs",
        short="EHCP/SEN",
    ),
    Flag(
        "gypsy_roma_traveller",
        "Gypsy, Roma or Traveller",
        "grey",
        "Is from a Gypsy, Roma or Traveller family",
    ),
    Flag("young_carer", "Young carer", "grey", "Is a young carer"),
    Flag(
        "new_arrival_eal",
        "New arrival or EAL",
        "grey",
        "Is a new arrival or has English as an additional language",
    ),
    Flag("youth_justice", "Youth justice", "grey", "Is known to youth justice services"),
)

BY_FIELD: dict[str, Flag] = {f.field: f for f in FLAGS}
FLAG_FIELDS: tuple[str, ...] = tuple(f.field for f in FLAGS)
#: (field, label) pairs, for staff-facing choices (the register filter).
FLAG_CHOICES: list[tuple[str, str]] = [(f.field, f.label) for f in FLAGS]
#: (field, question) pairs, for the referral form's checkboxes.
FLAG_QUESTIONS: list[tuple[str, str]] = [(f.field, f.question) for f in FLAGS]
#: The flags the board report counts, in its order.
REPORTED_FLAGS: tuple[Flag, ...] = tuple(
    BY_FIELD[name]
    for name in (
        "child_protection_plan",
        "looked_after",
        "child_in_need",
        "ehcp_sen",
        "gypsy_roma_traveller",
        "new_arrival_eal",
    )
)


def flags_of(obj: object) -> list[Flag]:
    """The flags set on a referral or child, in the vocabulary's order."""
    return [f for f in FLAGS if getattr(obj, f.field, False)]


def flag_labels(obj: object) -> list[str]:
    return [f.label for f in flags_of(obj)]
