"""The referral form (SR1a-style): one form for every door, the public one with two extras.

- `validators`: the NHS number and its field;
- `questions`: every question, as a form field, and how they are grouped;
- `referral`: `ReferralForm`, the layout and checks every door shares;
- `public`: `PublicReferralForm`, which may be anonymous;
- `recorded`: `RecordedReferralForm`, for an officer recording a referral someone else made.
"""

from referrals.forms.public import PublicReferralForm
from referrals.forms.recorded import (
    ERROR_DATE_RECEIVED_FUTURE,
    ERROR_RECEIVED_VIA,
    RecordedReferralForm,
)
from referrals.forms.referral import ReferralForm
from referrals.forms.validators import NhsNumberField, nhs_number_valid

__all__ = [
    "ERROR_DATE_RECEIVED_FUTURE",
    "ERROR_RECEIVED_VIA",
    "NhsNumberField",
    "PublicReferralForm",
    "RecordedReferralForm",
    "ReferralForm",
    "nhs_number_valid",
]
