"""Signals schools send so that later layers (referrals) can react without schools importing them."""

from __future__ import annotations

import django.dispatch

#: Sent by `schools.services.return_submit` inside its transaction, with `school_return=`:
#: a receiver that raises rolls the return back too, so both are saved or neither.
return_submitted = django.dispatch.Signal()

#: Sent by a schools check (`schools.jobs`) inside its transaction, with `job=` its name, when
#: it has flagged returns that a later layer acts on (an absence at the threshold with the
#: child's whereabouts unknown, a transition not completed). referrals raises their
#: referrals once the transition commits (`referrals.tasks.on_returns_flagged`).
returns_flagged = django.dispatch.Signal()
