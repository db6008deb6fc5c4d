"""What the leaver return says: its error messages and its warnings."""

from __future__ import annotations

ERROR_GROUND_REQUIRED = (
    "Select the reason the pupil's name is being removed from the admission register"
)
ERROR_DELETION_IN_FUTURE = (
    "The date the pupil's name was removed from the admission register must be today or in the past"
)
ERROR_DELETION_BEFORE_GROUND = (
    "The date the pupil's name was removed from the admission register must be the same as or "
    "after the date the ground was met"
)

ERROR_DETAILS_C = "Enter why the pupil will not come back to this school"
ERROR_DETAILS_E = "Enter why the school attendance order was revoked"
ERROR_DETAILS_G = "Enter why the pupil now lives too far from the school"
ERROR_DETAILS_J = "Enter where the pupil is detained and for how long"
ERROR_DETAILS_M = "Enter details of the unpaid boarding fees"
ERROR_DETAILS_N = "Enter why the pupil has stopped being a pupil at the school"
ERROR_PARENT_NOTICE_REQUIRED = "Enter the date of the parent's written notice"
ERROR_LA_ARRANGED_PLACE_REQUIRED = (
    "Select yes if the local authority arranged the pupil's place at this school"
)
ERROR_S47_REQUIRED = "Select yes if the pupil is subject to section 47 enquiries or action"
ERROR_PARENT_NOTICE_IN_FUTURE = (
    "The date of the parent's written notice must be today or in the past"
)
ERROR_GROUND_MET_BEFORE_NOTICE = "The date the ground was met must be the same as or after the date of the parent's written notice"
ERROR_LEAVE_END_REQUIRED = "Enter the date the leave of absence ended"
ERROR_TEN_SCHOOL_DAYS = (
    "The date the ground was met must be at least 10 school days after the leave of absence "
    "ended: the earliest is {earliest:%-d %B %Y}"
)
ERROR_ENQUIRIES_REQUIRED = "Enter the enquiries the school has made to find the pupil"
ERROR_ABSENCE_START_REQUIRED = "Enter the first day of the continuous absence"
ERROR_TWENTY_SCHOOL_DAYS = (
    "The date the ground was met must be on or after the 20th school day of continuous "
    "absence, which is {earliest:%-d %B %Y}"
)
ERROR_LA_ENQUIRIES_REQUIRED = (
    "Select yes if the school and the local authority have made joint enquiries to find the pupil"
)
ERROR_LA_ENQUIRIES_NOT_MADE = (
    "Ground ({ground}) needs joint enquiries by the school and the local authority: contact the "
    "Children Missing Education team before you remove the pupil's name"
)
ERROR_EXCLUSION_DATE_REQUIRED = "Enter the date the exclusion became final"
ERROR_EXCLUSION_IN_FUTURE = "The date the exclusion became final must be today or in the past"
ERROR_GROUND_MET_BEFORE_EXCLUSION = (
    "The date the ground was met must be the same as or after the date the exclusion became final"
)
ERROR_STILL_OF_COMPULSORY_AGE = (
    "Ground (l) only applies once the pupil is past compulsory school age, which for this pupil "
    "ends on {end:%-d %B %Y}: check the ground, the date of birth and the date removed from "
    "the register"
)

ERROR_MOVING_REQUIRED = "Select whether the pupil is moving to a new address"
ERROR_NEW_ADDRESS_REQUIRED = "Enter the pupil's new address"
ERROR_DESTINATION_REQUIRED = "Select where the pupil is going"
ERROR_DESTINATION_MUST_BE_SCHOOL = (
    "Ground ({ground}) means the pupil has a new school: select a school in this area or a "
    "school in another local authority"
)
ERROR_DESTINATION_MUST_BE_NONE = (
    "With ground ({ground}) the pupil is not going to a new school: select \u201cNo school\u201d"
)
ERROR_DESTINATION_SCHOOL_REQUIRED = "Select the new school from the list"
ERROR_DESTINATION_SCHOOL_NAME_REQUIRED = "Enter the new school's name"
ERROR_DESTINATION_LA_REQUIRED = "Enter the new school's local authority"
ERROR_DESTINATION_COUNTRY_REQUIRED = "Enter the country the pupil is moving to"
ERROR_START_DATE_REQUIRED = "Enter the date the pupil starts at the new school"
ERROR_ADMISSION_CONFIRMED_REQUIRED = (
    "Select yes if the new school has confirmed the pupil's admission"
)
ERROR_S2S_REQUIRED = (
    "Select yes if you have uploaded the pupil's record to the s2s Lost Pupils Database"
)

WARNING_LATE = (
    "This return is late: it was due no later than {deleted:%-d %B %Y}, the day the pupil's "
    "name was removed from the admission register. It will be recorded as late."
)
# Issue 12 A12: the s2s upload no longer holds the return (and the CME referral) back.
WARNING_S2S_TO_DO = (
    "You have not yet uploaded a lost pupil record to the s2s Lost Pupils Database. Send this "
    "return now: the Children Missing Education team is told straight away. Then upload the "
    "record (a common transfer file with the destination XXX/XXXX) and tell us from this "
    "return's page. We will remind you if you have not told us within {days} school days."
)
WARNING_KEY_INFORMATION_MISSING = (
    "Key leaver information is missing: {missing}. Without it the pupil may be missing "
    "education, so the Children Missing Education team will be told when you send this return."
)
