"""What the EHE app hears from the layers above it (they may import ehe; ehe imports none of them).

``notice_route_requested`` is sent by the children-not-in-school register (cnis) when a parent
fails to give the information the LA asked for, or refuses the first home visit (s436B-436G):
the EHE app starts the s437 notice route for the child. Arguments: ``child_id`` (int),
``reason`` (a short sentence for the chronology), ``by`` (the user, or None for a job).

``home_education_registered`` is sent by the EHE app when a child comes onto the EHE register,
so the layers above (the children-not-in-school register) can add the child. Arguments:
``child_id`` (int), ``started_on`` (date or None), ``by`` (the user, or None).
"""

from __future__ import annotations

from django.dispatch import Signal

notice_route_requested = Signal()
home_education_registered = Signal()
