"""Children we know at a referral's address (issue 14, item 2): triage says "2 children we
know live at this address" instead of only looking for the referred child."""

from __future__ import annotations

from casework.matching import normalise_postcode
from casework.models import Child
from casework.selectors.cases import require_caseworker
from casework.twins import same_address
from cme.models import User
from referrals.models import Referral

#: The most children read for one postcode: a postcode covers about 15 homes, so this is
#: a block of flats at most, never a scan of the table.
MAX_AT_POSTCODE = 500
#: A UK postcode's inward code ("1AA" of "SW1A 1AA") is its last three characters.
_INWARD = 3


def _postcode_spellings(value: str) -> list[str]:
    """A postcode as it may be stored: 'EX23CC' and 'EX2 3CC'. The forms store postcodes
    upper case (schools.forms.fields.PostcodeField), so the indexed column is compared as
    stored, never through a function of it."""
    bare = normalise_postcode(value)
    if not bare:
        return []
    return sorted({bare, f"{bare[:-_INWARD]} {bare[-_INWARD:]}" if len(bare) > _INWARD else bare})


def children_at_address(user: User, referral: Referral) -> list[Child]:
    """Known children (not merged away, not anonymised) who live at the referral's address.

    The same address is casework.twins.same_address, the rule the twins check uses too: the
    same postcode (without spaces or case) and the same first address line ("7 Wren St" is
    "7 Wren Street"), or the postcode alone when either record has no first line. One
    indexed query on the postcode, whatever the count; the lines are compared over that
    short list.
    """
    require_caseworker(user)
    postcodes = _postcode_spellings(referral.postcode)
    if not postcodes:
        return []
    at_postcode = (
        Child.objects.filter(
            postcode__in=postcodes, merged_into__isnull=True, anonymised_at__isnull=True
        )
        .only("first_name", "middle_names", "last_name", "address_line_1", "postcode", "restricted")
        .order_by("last_name", "first_name", "pk")[:MAX_AT_POSTCODE]
    )
    return [c for c in at_postcode if same_address(referral, c)]
