"""Signals schools send so that later layers (referrals) can react without schools importing them."""

from __future__ import annotations

import django.dispatch

#: Sent by `schools.services.return_submit` inside its transaction, with `school_return=`:
#: a receiver that raises rolls the return back too, so both are saved or neither.
return_submitted = django.dispatch.Signal()
