"""What each agreement scores, and how the results page says it (casework.selectors.search)."""

from __future__ import annotations

SAME_UPN, SAME_NHS = 100, 100
SURNAME_SAME, SURNAME_SOUNDS, SURNAME_SIMILAR = 30, 25, 20
# A first name that sounds the same scores a little above one only spelt alike (a typo).
FIRST_SAME, FIRST_SOUNDS, FIRST_SIMILAR, OTHER_NAME = 25, 20, 18, 15
DOB_SAME, DOB_SWAPPED, POSTCODE_SAME = 30, 15, 15

REASONS: dict[str, dict[int, str]] = {
    "s_upn": {SAME_UPN: "Same UPN"},
    "s_nhs": {SAME_NHS: "Same NHS number"},
    "s_last": {
        SURNAME_SAME: "Same surname",
        SURNAME_SOUNDS: "Surname sounds the same",
        SURNAME_SIMILAR: "Surname similar",
    },
    "s_first": {
        FIRST_SAME: "Same first name",
        FIRST_SOUNDS: "First name sounds the same",
        FIRST_SIMILAR: "First name similar",
    },
    "s_other": {OTHER_NAME: "Matches a middle or other name"},
    "s_dob": {
        DOB_SAME: "Same date of birth",
        DOB_SWAPPED: "Date of birth with day and month swapped",
    },
    "s_postcode": {POSTCODE_SAME: "Same postcode"},
}
#: What the total adds up, in the order the page lists what matched.
COMPONENTS = ("s_upn", "s_nhs", "s_name", "s_other", "s_dob", "s_postcode")
