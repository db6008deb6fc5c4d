"""Which questions each deletion ground and each destination asks, and where they are saved.

Some questions are asked under more than one radio answer (the details of the ground, the
enquiries the school made, the new school's start date and admission). A field can be shown
only once on a page, so each place has its own form field (`details_c`, `enquiries_h`,
`start_date_in_area`, ...) and `clean()` copies the one that applies onto the model field
(`ALIASES`).
"""

from __future__ import annotations

from django.conf import settings

from schools.forms.leaver.messages import (
    ERROR_ABSENCE_START_REQUIRED,
    ERROR_ADMISSION_CONFIRMED_REQUIRED,
    ERROR_DESTINATION_COUNTRY_REQUIRED,
    ERROR_DESTINATION_LA_REQUIRED,
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
    ERROR_LA_ARRANGED_PLACE_REQUIRED,
    ERROR_LA_ENQUIRIES_REQUIRED,
    ERROR_LEAVE_END_REQUIRED,
    ERROR_NEW_ADDRESS_REQUIRED,
    ERROR_PARENT_NOTICE_REQUIRED,
    ERROR_S47_REQUIRED,
)
from schools.models import DeletionGround, DestinationType

G = DeletionGround
D = DestinationType

GROUND_HINTS: dict[str, str] = {
    G.A: "The pupil's name is now on another school's admission register. You will need the "
    "new school's name and start date.",
    G.B: "The pupil is in the nursery class and is not moving up to reception at this school.",
    G.C: "The pupil is registered at more than one school and will not come back to this one.",
    G.D: "The local authority has changed the pupil's school attendance order to name another "
    "school.",
    G.E: "The local authority has revoked the pupil's school attendance order.",
    G.F: "The parent has told the school in writing that they are educating the pupil at home.",
    G.G: "The pupil has moved and now lives too far away to get to this school.",
    G.H: "The pupil did not come back within 10 school days after an agreed leave of absence "
    "ended, and enquiries have not found where they are.",
    G.I: "The pupil has been absent without permission for at least 20 school days in a row, "
    "and joint enquiries by the school and the local authority have not found them.",
    G.J: "The pupil is detained in custody under a court sentence.",
    G.K: "The pupil has died.",
    G.L: "The pupil has reached the end of compulsory school age and is not staying on into the "
    "sixth form.",
    G.M: "The pupil is a boarder and the boarding fees have not been paid.",
    G.N: "The pupil has stopped being a pupil at this independent or non-maintained special "
    "school.",
    G.O: "The pupil has been permanently excluded and the exclusion is final.",
}

# The questions each ground needs, shown under its radio. Free-text details are asked for the
# grounds whose facts are not otherwise recorded: (c) why the pupil will not return, (e) why
# the order was revoked, (g) why the new home is too far, (j) where the pupil is detained,
# (m) the unpaid fees, (n) why the pupil left an independent school. (a) and (d) need the new
# school, asked under "Where the pupil is going"; (b), (k) and (l) need only the dates.
GROUND_FIELDS: dict[str, tuple[str, ...]] = {
    G.A: (),
    G.B: (),
    G.C: ("details_c",),
    G.D: (),
    G.E: ("details_e",),
    G.F: ("parent_notice_date",),
    G.G: ("details_g",),
    G.H: ("leave_end_date", "enquiries_h", "la_enquiries_confirmed_h"),
    G.I: ("absence_start_date", "enquiries_i", "la_enquiries_confirmed"),
    G.J: ("details_j",),
    G.K: (),
    G.L: (),
    G.M: ("details_m",),
    G.N: ("details_n",),
    G.O: ("exclusion_date",),
}
#: (f) under s434A (Children's Wellbeing and Schools Act 2026), asked only while
#: CME_CNIS_ENABLED: the answers that decide whether the LA's consent is needed first.
CONSENT_FIELDS = ("la_arranged_place", "s47_enquiries")


def fields_for_ground(ground: str) -> tuple[str, ...]:
    """The questions ``ground`` asks: GROUND_FIELDS, and for (f) the consent questions while
    the children-not-in-school duties are switched on."""
    fields = GROUND_FIELDS.get(ground, ())
    if ground == G.F and settings.CME_CNIS_ENABLED:
        fields = (*fields, *CONSENT_FIELDS)
    return fields


# Grounds that mean the pupil has a new school, and those that mean they have none.
SCHOOL_GROUNDS = frozenset({G.A, G.D})
NO_SCHOOL_GROUNDS = frozenset({G.F, G.K})

DESTINATION_FIELDS: dict[str, tuple[str, ...]] = {
    D.IN_AREA: ("destination_school", "start_date_in_area", "admission_confirmed_in_area"),
    D.OUT_OF_AREA: (
        "destination_school_name",
        "destination_la",
        "start_date_out_of_area",
        "admission_confirmed_out_of_area",
    ),
    D.ABROAD: ("destination_country",),
    D.NONE: (),
    D.UNKNOWN: ("s2s_lost_pupil_uploaded",),
}

MOVING_YES, MOVING_NO, MOVING_NOT_KNOWN = "yes", "no", "not_known"
ADDRESS_FIELDS = ("new_address", "new_postcode")

# Form field -> the model field it is saved to (see the module docstring).
ALIASES: dict[str, str] = {
    "details_c": "ground_details",
    "details_e": "ground_details",
    "details_g": "ground_details",
    "details_j": "ground_details",
    "details_m": "ground_details",
    "details_n": "ground_details",
    "enquiries_h": "enquiries_made",
    "enquiries_i": "enquiries_made",
    "start_date_in_area": "destination_start_date",
    "start_date_out_of_area": "destination_start_date",
    "admission_confirmed_in_area": "admission_confirmed",
    "admission_confirmed_out_of_area": "admission_confirmed",
}
ALIAS_CONDITIONS: dict[str, tuple[str, str]] = {
    **{f"details_{g}": ("ground", g) for g in "cegjmn"},
    "enquiries_h": ("ground", G.H),
    "enquiries_i": ("ground", G.I),
    "start_date_in_area": ("destination_type", D.IN_AREA),
    "start_date_out_of_area": ("destination_type", D.OUT_OF_AREA),
    "admission_confirmed_in_area": ("destination_type", D.IN_AREA),
    "admission_confirmed_out_of_area": ("destination_type", D.OUT_OF_AREA),
}
# Asked only when they apply, so required here rather than on the field.
REQUIRED_WHEN_SHOWN: dict[str, str] = {
    "details_c": ERROR_DETAILS_C,
    "details_e": ERROR_DETAILS_E,
    "details_g": ERROR_DETAILS_G,
    "details_j": ERROR_DETAILS_J,
    "details_m": ERROR_DETAILS_M,
    "details_n": ERROR_DETAILS_N,
    "parent_notice_date": ERROR_PARENT_NOTICE_REQUIRED,
    "la_arranged_place": ERROR_LA_ARRANGED_PLACE_REQUIRED,
    "s47_enquiries": ERROR_S47_REQUIRED,
    "leave_end_date": ERROR_LEAVE_END_REQUIRED,
    "enquiries_h": ERROR_ENQUIRIES_REQUIRED,
    "absence_start_date": ERROR_ABSENCE_START_REQUIRED,
    "enquiries_i": ERROR_ENQUIRIES_REQUIRED,
    "la_enquiries_confirmed": ERROR_LA_ENQUIRIES_REQUIRED,
    "la_enquiries_confirmed_h": ERROR_LA_ENQUIRIES_REQUIRED,
    "exclusion_date": ERROR_EXCLUSION_DATE_REQUIRED,
    "new_address": ERROR_NEW_ADDRESS_REQUIRED,
    "destination_school": ERROR_DESTINATION_SCHOOL_REQUIRED,
    "admission_confirmed_in_area": ERROR_ADMISSION_CONFIRMED_REQUIRED,
    "destination_school_name": ERROR_DESTINATION_SCHOOL_NAME_REQUIRED,
    "destination_la": ERROR_DESTINATION_LA_REQUIRED,
    "admission_confirmed_out_of_area": ERROR_ADMISSION_CONFIRMED_REQUIRED,
    "destination_country": ERROR_DESTINATION_COUNTRY_REQUIRED,
    # Not s2s_lost_pupil_uploaded: it is a follow-up, not a condition of sending (A12).
}
