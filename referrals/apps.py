from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self) -> None:
        # schools may not import referrals (layers: cme <- schools <- referrals), so the
        # rules that turn a return into a referral listen for the signal schools sends.
        from referrals.services import on_return_submitted
        from schools.signals import return_submitted

        return_submitted.connect(on_return_submitted, dispatch_uid="referrals.on_return_submitted")

        from cme.tasks import register_outbox_step
        from referrals.jobs import raise_pending_referrals

        # The outbox (beat) raises the referrals a sweep flagged if its own task was lost.
        register_outbox_step("raise_pending_referrals", raise_pending_referrals)
