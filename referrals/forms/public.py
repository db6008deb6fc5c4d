"""The public door of the referral form: it may be anonymous."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Div, Field
from django import forms

from referrals.forms.referral import ReferralForm, referrer_fieldset
from schools.forms.fields import YesNoField
from schools.forms.school_picker import SchoolPickerWidget

ERROR_ANONYMOUS = "Select whether you want to stay anonymous"


class PublicReferralForm(ReferralForm):
    """The public door: may be anonymous, and carries a honeypot for form-filling robots."""

    anonymous = YesNoField(
        label="Do you want to stay anonymous?",
        required_message=ERROR_ANONYMOUS,
        help_text="If you do, we will not ask for your name or contact details, and we will "
        "not be able to tell you what happens next",
    )
    # People never see this (visually hidden, out of the tab order); robots fill it in.
    website = forms.CharField(
        label="Leave this blank",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    REFERRER_FIELDS = ("anonymous", *ReferralForm.REFERRER_FIELDS)

    class Meta(ReferralForm.Meta):
        fields = ("anonymous", *ReferralForm.Meta.fields)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Anyone may use this form: the school search endpoint is for signed-in users, so the
        # last school is found through the picker's search step only.
        widget = self.fields["last_school"].widget
        if isinstance(widget, SchoolPickerWidget):
            widget.autocomplete = False

    def referrer_layout(self) -> list[Any]:
        return [
            referrer_fieldset("About you", Field.radios("anonymous", legend_size="s", inline=True)),
            Div(Field.text("website"), css_class="govuk-visually-hidden", aria_hidden="true"),
        ]

    def referrer_details_required(self, data: dict[str, Any]) -> bool:
        return data.get("anonymous") is False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("anonymous"):
            # Asked not to be known: whatever was typed about the referrer is not kept.
            for name in (
                "referrer_name",
                "referrer_organisation",
                "referrer_email",
                "referrer_phone",
                "referrer_address",
            ):
                data[name] = ""
                self.errors.pop(name, None)
        return data

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
