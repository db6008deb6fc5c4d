"""Children, their CME cases, the enquiries made to find them, and what happened when: one
module a subject (children, cases, enquiries, chronology); every name is importable from here."""

from casework.models.cases import (
    NOT_RECORDED,
    Case,
    CaseNote,
    CaseStatus,
    Category,
    CmeReason,
    Outcome,
)
from casework.models.children import Child, ChildMerge
from casework.models.chronology import Event, EventKind, event_title
from casework.models.enquiries import STANDARD_CHECKS, Enquiry, EnquiryResult, EnquiryType

__all__ = [
    "NOT_RECORDED",
    "STANDARD_CHECKS",
    "Case",
    "CaseNote",
    "CaseStatus",
    "Category",
    "Child",
    "ChildMerge",
    "CmeReason",
    "Enquiry",
    "EnquiryResult",
    "EnquiryType",
    "Event",
    "EventKind",
    "Outcome",
    "event_title",
]
