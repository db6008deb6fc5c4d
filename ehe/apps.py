"""Elective home education: the EHE register, the LA's enquiries and view of suitability, and
the school attendance order route (Education Act 1996 s437-s443). Issue 17 items 1, 2 and 5."""

from __future__ import annotations

from django.apps import AppConfig


class EheConfig(AppConfig):
    name = "ehe"

    def ready(self) -> None:
        # schools and casework may not import ehe (layers): the register listens to them.
        from casework.signals import referral_not_cme
        from ehe.services.register import (
            on_notice_route_requested,
            on_referral_not_cme,
            on_return_submitted,
        )
        from ehe.signals import notice_route_requested
        from schools.signals import return_submitted

        return_submitted.connect(on_return_submitted, dispatch_uid="ehe.on_return_submitted")
        referral_not_cme.connect(on_referral_not_cme, dispatch_uid="ehe.on_referral_not_cme")
        notice_route_requested.connect(
            on_notice_route_requested, dispatch_uid="ehe.on_notice_route_requested"
        )
