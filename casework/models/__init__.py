"""Children, their CME cases, the enquiries made to find them, and what happened when: one
module a subject (children, cases, chronology); every name is importable from here."""

from casework.models.cases import (
    NOT_RECORDED,
    STANDARD_CHECKS,
    Case,
    CaseNote,
    CaseStatus,
    Category,
    CmeReason,
    Enquiry,
    EnquiryResult,
    EnquiryType,
    Outcome,
)
from casework.models.children import Child, ChildMerge
from casework.models.chronology import Event, EventKind, event_title

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
