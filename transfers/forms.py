"""The transfer forms: send, record the answer, upload a received transfer, and the other
LA's confirmation on the download page. They validate input; the services decide."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import ConditionalQuestion, Field
from django import forms
from django.conf import settings
from django.db.models import QuerySet

from cme.forms import email_field, gds_helper, offer_rows, radios, select_one
from schools.ctf.forms import CtfUploadForm
from schools.forms.base import text
from schools.forms.layout import Radios
from transfers.ctf import MAX_TRANSFER_BYTES
from transfers.models import LocalAuthority, RejectionReason, TransferStatus

TEXT_MAX = 2000
ERROR_TOO_BIG = f"The selected file must be smaller than {MAX_TRANSFER_BYTES // (1024 * 1024)} MB"
ERROR_NOT_XML = "The selected file must be the transfer's CTF: an XML file (ending .xml)"


def directory() -> QuerySet[LocalAuthority]:
    """The LAs a transfer can go to: the active ones, ours left out."""
    return LocalAuthority.objects.filter(active=True).exclude(code=settings.CME_LA_CODE)


class TransferForm(forms.Form):
    to_la = select_one(
        "Local authority the child has moved to",
        LocalAuthority.objects.none(),
        empty_label="Choose a local authority",
        required="Select the local authority the child has moved to",
        invalid="Select a local authority from the list",
        help_text="Its CME team is sent the transfer. An authority not listed is added by an "
        "administrator.",
    )
    reasons = text(
        "",
        "Why are you transferring the child?",
        max_length=TEXT_MAX,
        widget=forms.Textarea,
        help_text="For example, the family's new address is in their area, or a neighbour "
        "says they moved there. The other authority reads this.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_rows(self, "to_la", directory())
        self.fields["reasons"].error_messages["required"] = (
            "Enter why you are transferring the child"
        )
        self.helper = gds_helper(Field("to_la"), Field.textarea("reasons", rows=5))


class AnswerForm(forms.Form):
    status = radios(
        "What did the other local authority answer?",
        [
            (TransferStatus.ACKNOWLEDGED.value, "Acknowledged: received, no decision yet"),
            (TransferStatus.ACCEPTED.value, "Accepted the child"),
            (TransferStatus.REJECTED.value, "Rejected the transfer"),
        ],
        error="Select what the other local authority answered",
    )
    rejection_reason = radios("Why did they reject it?", RejectionReason.choices, required=False)
    notes = text(
        "",
        "Notes",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea,
        help_text="Who answered and how, for example an email from their CME officer",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(self.fields["status"].choices)  # type: ignore[attr-defined]
        self.helper = gds_helper(
            Radios(
                "status",
                labels[TransferStatus.ACKNOWLEDGED.value],
                labels[TransferStatus.ACCEPTED.value],
                ConditionalQuestion(
                    labels[TransferStatus.REJECTED.value],
                    Field.radios("rejection_reason", legend_size="s"),
                ),
                legend_size="m",
            ),
            Field.textarea("notes", rows=3),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == TransferStatus.REJECTED:
            if not data.get("rejection_reason") and "rejection_reason" not in self.errors:
                self.add_error(
                    "rejection_reason",
                    "Select why the other local authority rejected the transfer",
                )
        else:
            data["rejection_reason"] = ""
            self.errors.pop("rejection_reason", None)
        return data


class ReceivedUploadForm(CtfUploadForm):
    """The CTF upload (schools.ctf.forms: size-limited, read by the safe parser), for a
    transfer another LA sent: a smaller limit, and the bytes kept for the service."""

    max_bytes = MAX_TRANSFER_BYTES
    error_too_big = ERROR_TOO_BIG
    error_not_xml = ERROR_NOT_XML

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = "Upload the transfer's common transfer file (CTF)"
        field.help_text = "The XML file another local authority's CME team sent you."
        field.error_messages["required"] = "Select the CTF file"


class ConfirmEmailForm(forms.Form):
    """The other LA proves the link reached the team it was sent to (a link forwarded, or
    opened by a mail scanner, downloads nothing)."""

    email = email_field(
        "Your CME team's email address",
        required="Enter the email address the link was sent to",
        invalid="Enter an email address in the correct format, like cme@council.gov.uk",
        help_text="The address this link was sent to",
    )
    file = forms.ChoiceField(
        choices=[("ctf", "CTF"), ("pdf", "PDF")],
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a file", "invalid_choice": "Choose a file"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("email", field_width=20))
