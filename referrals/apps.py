from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        # schools may not import referrals (layers: cme <- schools <- referrals), so the
        # rules that turn a return into a referral listen for the signal schools sends.
        from referrals.services import on_return_submitted
        from schools.signals import return_submitted

        return_submitted.connect(on_return_submitted, dispatch_uid="referrals.on_return_submitted")

        from referrals.tasks import on_returns_flagged
        from schools.signals import returns_flagged

        # The schools checks flag returns; the referrals they call for are raised here.
        returns_flagged.connect(on_returns_flagged, dispatch_uid="referrals.on_returns_flagged")

        from cme.tasks import register_outbox_step
        from referrals.jobs import raise_pending_referrals

        # The outbox (beat) raises the referrals a sweep flagged if its own task was lost.
        register_outbox_step("raise_pending_referrals", raise_pending_referrals)
