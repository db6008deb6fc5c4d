"""Rules about school returns that more than one layer applies (issue 12 A10).

Ealing's key leaver information (DOMAIN.md, seeds/002: "the following key information must
be recorded for all leavers ... If you are unable to obtain this information the pupil is
CME"): the contact details of the parent the pupil will live with, the new home address, the
new school, and confirmation that the new school has admitted the pupil.

`missing_key_leaver_information` is the one place that decides it: the leaver form warns the
school with it on the check page, and `referrals.services.leaver_trigger` raises the
"missing key information" referral with it, so what the school is told is what happens.
"""

from __future__ import annotations

from collections.abc import Iterable

from schools.models import DeletionGround, DestinationType, LeaverReturn

#: Destinations where the pupil is going to a school: a new school and its admission are expected.
SCHOOL_DESTINATIONS = frozenset({DestinationType.IN_AREA, DestinationType.OUT_OF_AREA})

#: Grounds the key-information rule does not apply to: (k) died, there is no child to find;
#: (l) ceased compulsory school age, no longer CME by definition; (f) elective home
#: education, which the EHE team's own process follows up from the parent's notice.
KEY_INFO_EXEMPT_GROUNDS = frozenset({DeletionGround.K, DeletionGround.L, DeletionGround.F})

PARENT_CONTACT = "a parent or carer's phone number"
NEW_ADDRESS = "the new address"
NEW_SCHOOL = "the new school"
ADMISSION_CONFIRMED = "confirmation of admission from the new school"


def missing_key_leaver_information(
    leaver: LeaverReturn, *, parent_phones: Iterable[str] | None = None
) -> list[str]:
    """The key leaver information ``leaver`` does not give, in words, in the order above
    (empty for the exempt grounds).

    ``parent_phones``: the parents' or carers' phone numbers, when they are not (yet) saved
    with the return (the form's check page); else they are read from ``leaver.parents``.
    The parent's contact is an emergency phone number, as regulation 13 asks: an email
    address alone is not enough to reach the family the day the pupil is missed. A blank new
    address is "not known" (the form records the current address when the pupil is not
    moving). The new school is missing when the destination is not known, or a school
    destination names none; abroad and "no school" have no new school to give.
    """
    if leaver.ground in KEY_INFO_EXEMPT_GROUNDS:
        return []
    phones = (
        [p.phone for p in leaver.parents.all()] if parent_phones is None else list(parent_phones)
    )
    missing = []
    if not any(phone.strip() for phone in phones if phone):
        missing.append(PARENT_CONTACT)
    if not leaver.new_address.strip():
        missing.append(NEW_ADDRESS)
    if leaver.destination_type == DestinationType.UNKNOWN:
        missing.append(NEW_SCHOOL)
    elif leaver.destination_type in SCHOOL_DESTINATIONS:
        if leaver.destination_school_id is None and not leaver.destination_school_name.strip():
            missing.append(NEW_SCHOOL)
        if not leaver.admission_confirmed:
            missing.append(ADMISSION_CONFIRMED)
    return missing
