"""The signed-in door for LA users recording a referral someone else made."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field
from django.utils import timezone

from cme.forms import radios, section
from referrals.forms.referral import ReferralForm, referrer_fieldset
from referrals.models import ReceivedVia
from schools.forms.fields import GdsDateField

ERROR_DATE_RECEIVED_FUTURE = "The date the referral was received must be today or in the past"
ERROR_RECEIVED_VIA = "Select how the referral was received"
ERROR_RECORDED_REFERRER_NAME = "Enter the full name of the person who made the referral"


class RecordedReferralForm(ReferralForm):
    """The signed-in door for LA users: an officer recording a referral someone else made
    (a phone call, an email, a letter). It asks when and how the referral reached the team,
    the date received starting the enquiry clock, and who referred, not the officer."""

    date_received = GdsDateField(
        what="the date the referral was received",
        help_text="The enquiry clock (10 working days) runs from this date. For example, 27 3 2026",
    )
    received_via = radios(
        "How was the referral received?", ReceivedVia.choices, error=ERROR_RECEIVED_VIA
    )

    RECEIVED_FIELDS: tuple[str, ...] = ("date_received", "received_via")

    class Meta(ReferralForm.Meta):
        fields = ("date_received", "received_via", *ReferralForm.Meta.fields)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "referrer_type": "Who made the referral?",
            "referrer_name": "Their full name",
            "referrer_organisation": "Their organisation (optional)",
            "referrer_relationship": "Their relationship to the child (optional)",
            "referrer_email": "Their email address (optional)",
            "referrer_phone": "Their phone number (optional)",
            "referrer_address": "Their postal address (optional)",
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["referrer_address"].help_text = (
            "If they give no email address, the outcome is posted to them. "
            "Put the street, the town and the postcode on separate lines"
        )

    def referrer_layout(self) -> list[Any]:
        return [
            section(
                Field("date_received"),
                Field.radios("received_via", legend_size="s"),
                legend="How the referral was received",
            ),
            referrer_fieldset("Who made the referral"),
        ]

    def referrer_details_required(self, data: dict[str, Any]) -> bool:
        # A caller may give a name but no way back to them: only the name is asked for.
        return False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("referrer_name") and "referrer_name" not in self.errors:
            self.add_error("referrer_name", ERROR_RECORDED_REFERRER_NAME)
        received: date | None = data.get("date_received")
        if received and received > timezone.localdate():
            self.add_error("date_received", ERROR_DATE_RECEIVED_FUTURE)
        return data

    def summary_sections(self) -> list[tuple[str, tuple[str, ...]]]:
        sections = super().summary_sections()
        sections[0] = ("Who made the referral", self.REFERRER_FIELDS)
        return [("How the referral was received", self.RECEIVED_FIELDS), *sections]
