"""What a transfer says about a child, as plain frozen records: built from a case
(transfers.build), written into the CTF and the PDF, and read back from a received CTF.

Codes travel as codes (a reason's, an enquiry's, a flag's) with their labels beside them, so
an LA on this product maps them back exactly and an LA on another system can read the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class TransferLA:
    code: str = ""
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class TransferEnquiry:
    made_on: date | None
    kind: str  # casework EnquiryType code
    kind_label: str
    result: str  # casework EnquiryResult code
    result_label: str
    contact: str = ""
    notes: str = ""


@dataclass(frozen=True)
class TransferChild:
    first_name: str
    last_name: str
    middle_names: str = ""
    other_names: str = ""
    date_of_birth: date | None = None
    gender: str = ""  # F, M, X or ""
    upn: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    last_school_urn: str = ""
    last_school_name: str = ""


@dataclass(frozen=True)
class TransferMessage:
    """The CME information of one transfer (the extension element of the CTF, ADR 015)."""

    reference: str
    case_reference: str
    sent_on: date
    from_la: TransferLA
    to_la: TransferLA
    child: TransferChild
    officer_name: str = ""
    officer_email: str = ""
    officer_phone: str = ""
    trigger: str = ""  # transfers.models.TransferTrigger code
    transfer_reasons: str = ""  # the officer's words
    category: str = ""  # casework Category code (wasp / missing)
    became_cme_on: date | None = None
    outcome: str = ""  # casework Outcome code, when the case closed
    referral_reasons: tuple[tuple[str, str], ...] = ()  # (Reason code, label)
    flags: tuple[tuple[str, str], ...] = ()  # (flag field, label): the safeguarding flags
    escalated_on: date | None = None
    escalation_reason: str = ""
    social_care_referred: bool = False
    # A restricted record here (a family in a refuge): the other LA is told to keep it so.
    restricted: bool = False
    enquiries: tuple[TransferEnquiry, ...] = field(default_factory=tuple)
