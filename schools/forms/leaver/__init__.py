"""Deletion (leaver) return: regulation 13(3), on a ground in regulation 9(1).

The School Attendance (Pupil Registration) (England) Regulations 2024. The return is made as
soon as a deletion ground is met and no later than the deletion itself (DOMAIN.md, "School
returns"). The form asks the ground first, then only what that ground needs (conditional
reveals under the chosen radio), then where the pupil is going, then the parents or carers
the pupil lives with.

Some questions are asked under more than one radio answer (the details of the ground, the
enquiries the school made, the new school's start date and admission). A field can be shown
only once on a page, so each place has its own form field (`details_c`, `enquiries_h`,
`start_date_in_area`, ...) and `clean()` copies the one that applies onto the model field
(`ALIASES`). Whatever belongs to a ground or destination that was not chosen is cleared, so
check your answers shows only what applies and nothing stale is saved.

- `messages`: the errors and warnings;
- `questions`: which questions each ground and destination asks, and where they are saved;
- `grounds`: each ground's own check (`GROUND_CHECKS`) and its school-day counts;
- `layout`: the page;
- `form`: `LeaverReturnForm`.
"""

from schools.forms.leaver.form import LeaverReturnForm
from schools.forms.leaver.messages import (
    ERROR_ABSENCE_START_REQUIRED,
    ERROR_ADMISSION_CONFIRMED_REQUIRED,
    ERROR_DELETION_BEFORE_GROUND,
    ERROR_DELETION_IN_FUTURE,
    ERROR_DESTINATION_COUNTRY_REQUIRED,
    ERROR_DESTINATION_LA_REQUIRED,
    ERROR_DESTINATION_MUST_BE_NONE,
    ERROR_DESTINATION_MUST_BE_SCHOOL,
    ERROR_DESTINATION_REQUIRED,
    ERROR_DESTINATION_SCHOOL_NAME_REQUIRED,
    ERROR_DESTINATION_SCHOOL_REQUIRED,
    ERROR_DETAILS_C,
    ERROR_DETAILS_E,
    ERROR_DETAILS_G,
    ERROR_DETAILS_J,
    ERROR_DETAILS_M,
    ERROR_DETAILS_N,
    ERROR_ENQUIRIES_REQUIRED,
    ERROR_EXCLUSION_DATE_REQUIRED,
    ERROR_EXCLUSION_IN_FUTURE,
    ERROR_GROUND_MET_BEFORE_EXCLUSION,
    ERROR_GROUND_MET_BEFORE_NOTICE,
    ERROR_GROUND_REQUIRED,
    ERROR_LA_ENQUIRIES_NOT_MADE,
    ERROR_LA_ENQUIRIES_REQUIRED,
    ERROR_LEAVE_END_REQUIRED,
    ERROR_MOVING_REQUIRED,
    ERROR_NEW_ADDRESS_REQUIRED,
    ERROR_PARENT_NOTICE_IN_FUTURE,
    ERROR_PARENT_NOTICE_REQUIRED,
    ERROR_S2S_REQUIRED,
    ERROR_START_DATE_REQUIRED,
    ERROR_STILL_OF_COMPULSORY_AGE,
    ERROR_TEN_SCHOOL_DAYS,
    ERROR_TWENTY_SCHOOL_DAYS,
    WARNING_KEY_INFORMATION_MISSING,
    WARNING_LATE,
    WARNING_S2S_TO_DO,
)
from schools.forms.leaver.questions import (
    DESTINATION_FIELDS,
    GROUND_FIELDS,
    GROUND_HINTS,
    NO_SCHOOL_GROUNDS,
    REQUIRED_WHEN_SHOWN,
    SCHOOL_GROUNDS,
)

__all__ = [
    "DESTINATION_FIELDS",
    "ERROR_ABSENCE_START_REQUIRED",
    "ERROR_ADMISSION_CONFIRMED_REQUIRED",
    "ERROR_DELETION_BEFORE_GROUND",
    "ERROR_DELETION_IN_FUTURE",
    "ERROR_DESTINATION_COUNTRY_REQUIRED",
    "ERROR_DESTINATION_LA_REQUIRED",
    "ERROR_DESTINATION_MUST_BE_NONE",
    "ERROR_DESTINATION_MUST_BE_SCHOOL",
    "ERROR_DESTINATION_REQUIRED",
    "ERROR_DESTINATION_SCHOOL_NAME_REQUIRED",
    "ERROR_DESTINATION_SCHOOL_REQUIRED",
    "ERROR_DETAILS_C",
    "ERROR_DETAILS_E",
    "ERROR_DETAILS_G",
    "ERROR_DETAILS_J",
    "ERROR_DETAILS_M",
    "ERROR_DETAILS_N",
    "ERROR_ENQUIRIES_REQUIRED",
    "ERROR_EXCLUSION_DATE_REQUIRED",
    "ERROR_EXCLUSION_IN_FUTURE",
    "ERROR_GROUND_MET_BEFORE_EXCLUSION",
    "ERROR_GROUND_MET_BEFORE_NOTICE",
    "ERROR_GROUND_REQUIRED",
    "ERROR_LA_ENQUIRIES_NOT_MADE",
    "ERROR_LA_ENQUIRIES_REQUIRED",
    "ERROR_LEAVE_END_REQUIRED",
    "ERROR_MOVING_REQUIRED",
    "ERROR_NEW_ADDRESS_REQUIRED",
    "ERROR_PARENT_NOTICE_IN_FUTURE",
    "ERROR_PARENT_NOTICE_REQUIRED",
    "ERROR_S2S_REQUIRED",
    "ERROR_START_DATE_REQUIRED",
    "ERROR_STILL_OF_COMPULSORY_AGE",
    "ERROR_TEN_SCHOOL_DAYS",
    "ERROR_TWENTY_SCHOOL_DAYS",
    "GROUND_FIELDS",
    "GROUND_HINTS",
    "NO_SCHOOL_GROUNDS",
    "REQUIRED_WHEN_SHOWN",
    "SCHOOL_GROUNDS",
    "WARNING_KEY_INFORMATION_MISSING",
    "WARNING_LATE",
    "WARNING_S2S_TO_DO",
    "LeaverReturnForm",
]
