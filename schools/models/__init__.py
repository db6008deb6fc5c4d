from schools.models.attendance import (
    SCHOOL_ENQUIRY_CHOICES,
    AbsenceNotification,
    AbsenceType,
    PartTimeReason,
    PartTimeTimetable,
    ReviewOutcome,
    TimetableReview,
    Whereabouts,
)
from schools.models.calendar import Closure, Term
from schools.models.directory import Phase, School, SchoolMembership, SchoolType
from schools.models.returns import (
    DeletionGround,
    DestinationType,
    Gender,
    JoinerReturn,
    LeaverReturn,
    ParentCarer,
    ReturnKind,
    ReturnStatus,
    SchoolReturn,
)

__all__ = [
    "SCHOOL_ENQUIRY_CHOICES",
    "AbsenceNotification",
    "AbsenceType",
    "Closure",
    "DeletionGround",
    "DestinationType",
    "Gender",
    "JoinerReturn",
    "LeaverReturn",
    "ParentCarer",
    "PartTimeReason",
    "PartTimeTimetable",
    "Phase",
    "ReturnKind",
    "ReturnStatus",
    "ReviewOutcome",
    "School",
    "SchoolMembership",
    "SchoolReturn",
    "SchoolType",
    "Term",
    "TimetableReview",
    "Whereabouts",
]
