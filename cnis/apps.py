"""Children not in school (Children's Wellbeing and Schools Act 2026): consent to home educate
(s434A) and the children-not-in-school register (ss436B-436G), behind CME_CNIS_ENABLED.
Issue 17 items 3 and 4."""

from __future__ import annotations

from django.apps import AppConfig


class CnisConfig(AppConfig):
    name = "cnis"

    def ready(self) -> None:
        from cnis.consent import consent_hold, consent_note
        from schools.holds import register_hold_check, register_hold_note

        # schools may not import cnis: it asks the checks registered here before it tells
        # the referral rules and the EHE register about a return (s434A consent).
        register_hold_check("cnis.consent", consent_hold)
        register_hold_note("cnis.consent", consent_note)

        from cnis.services import on_home_education_registered
        from ehe.signals import home_education_registered

        # A child the EHE app puts on its register comes onto the children-not-in-school
        # register too (ehe may not import cnis).
        home_education_registered.connect(
            on_home_education_registered, dispatch_uid="cnis.on_home_education_registered"
        )
