"""What casework tells the layers above it (ehe), which casework does not import."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent by `casework.services.triage.referral_reject_not_cme` inside its transaction, with
#: ``referral`` (decided), ``reason`` (a referrals.models.NotCmeReason) and ``by``: a
#: referral triaged as home education puts the child on the EHE register (ehe.receivers).
referral_not_cme = Signal()
