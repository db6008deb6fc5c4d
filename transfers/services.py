"""Writes for transfers sent: send one (CTF + PDF to the private storage, a notification
without personal data to the other LA through the outbox), record the other LA's download
and answer. Each atomic, each an event in the case's chronology. A transfer received from
another LA is transfers.receiving."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.events import record_case_event
from casework.models import Case, CaseStatus, Category, EventKind, Outcome
from cme.models import User
from cme.outbox import queue_email
from cme.pdf import template_to_pdf
from cme.references import new_reference, save_with_reference
from cme.storage import private_storage
from schools.models import Gender
from transfers.build import transfer_message
from transfers.ctf import write_transfer
from transfers.models import (
    AWAITING,
    LocalAuthority,
    RejectionReason,
    Transfer,
    TransferStatus,
    TransferTrigger,
)
from transfers.records import TransferMessage
from transfers.rules import transfer_answer_due, transfer_link_expires

REFERENCE_PREFIX = "TR"
#: The outbox key of the notification to the other LA (one per transfer).
SENT_KEY = "transfer-sent:"

ERROR_AWAITING = "A transfer of this case is waiting for an answer ({reference}): record it first"
ERROR_NOT_MOVED = "The case has not closed as moved to another local authority"
ERROR_CLOSED = "The case is closed: a transfer of a closed case is for a child who moved"
ERROR_OUR_LA = "Choose another local authority: this one is ours"
ERROR_LA_INACTIVE = "That local authority's CME team is no longer in the directory"
ERROR_REASONS = "Enter why the child is being transferred"
ERROR_ANSWERED = "The other local authority has already answered: {status}"
ERROR_BAD_ANSWER = "Choose acknowledged, accepted or rejected"
ERROR_REJECTION_REASON = "Select why the other local authority rejected the transfer"
ERROR_ALREADY_ACKNOWLEDGED = "The transfer is already acknowledged"


class TransferError(Exception):
    """A transfer that cannot be made or answered as asked; the message is for the officer."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


# ------------------------------------------------------------------------------ sending


def _check_can_send(case: Case, to_la: LocalAuthority, trigger: str, reasons: str) -> None:
    if not reasons.strip():
        raise TransferError(ERROR_REASONS)
    if to_la.code == settings.CME_LA_CODE:
        raise TransferError(ERROR_OUR_LA)
    if not to_la.active:
        raise TransferError(ERROR_LA_INACTIVE)
    if trigger == TransferTrigger.MOVED and case.outcome != Outcome.MOVED_OTHER_LA:
        raise TransferError(ERROR_NOT_MOVED)
    if trigger == TransferTrigger.WHEREABOUTS and case.status != CaseStatus.OPEN:
        raise TransferError(ERROR_CLOSED)
    waiting = case.transfers.filter(status__in=AWAITING).values_list("reference", flat=True)
    if waiting:
        raise TransferError(ERROR_AWAITING.format(reference=waiting[0]))


CATEGORY_LABELS = dict(Category.choices)


def message_context(message: TransferMessage) -> dict[str, Any]:
    """What the PDF and the check page show besides the message itself."""
    c = message.child
    return {
        "m": message,
        "gender": dict(Gender.choices).get(c.gender, ""),
        "category": CATEGORY_LABELS.get(message.category, message.category),
        "address_lines": [p for p in (c.address_line_1, c.address_line_2, c.town, c.postcode) if p],
    }


@transaction.atomic
def transfer_send(
    *,
    case: Case,
    by: User,
    to_la: LocalAuthority,
    trigger: TransferTrigger | str,
    reasons: str,
    submission_token: uuid.UUID,
) -> tuple[Transfer, str | None]:
    """Send ``case`` to ``to_la``'s CME team: the CTF and the PDF summary are written to the
    private storage and the team is emailed (through the outbox, after commit) a link to
    them that expires (ADR 015); the email names no child. Returns the transfer and the
    link's token (None when ``submission_token`` was sent before: the first transfer)."""
    already = Transfer.objects.filter(submission_token=submission_token).first()
    if already is not None:
        return already, None
    case = Case.objects.select_for_update().select_related("child", "referral").get(pk=case.pk)
    trigger = TransferTrigger(trigger)
    _check_can_send(case, to_la, trigger, reasons)
    now = timezone.now()
    today = timezone.localdate(now)
    token = secrets.token_urlsafe(32)
    transfer = Transfer(
        case=case,
        to_la=to_la,
        trigger=trigger,
        reasons=reasons.strip(),
        sent_at=now,
        sent_by=by,
        answer_due=transfer_answer_due(today),
        link_expires_at=_end_of(transfer_link_expires(today)),
        token_hash=token_hash(token),
        submission_token=submission_token,
        created_by=by,
        updated_by=by,
    )
    # The reference first: it is in both files, which are written before the row is saved.
    transfer.reference = new_reference(REFERENCE_PREFIX)
    message = transfer_message(
        case=case,
        reference=transfer.reference,
        to_la=to_la,
        trigger=trigger,
        reasons=reasons,
        by=by,
    )
    storage = private_storage()
    folder = f"transfers/sent/{uuid.uuid4().hex}"
    transfer.ctf_name = storage.save(
        f"{folder}/transfer.xml", ContentFile(write_transfer(message, now=now))
    )
    transfer.pdf_name = storage.save(
        f"{folder}/transfer.pdf",
        ContentFile(template_to_pdf("transfers/transfer_pdf.html", message_context(message))),
    )
    save_with_reference(transfer, REFERENCE_PREFIX, reference=transfer.reference)
    record_case_event(
        case,
        EventKind.TRANSFER,
        by,
        f"Transfer {transfer.reference} sent to {to_la.name}",
        transfer.reasons,
    )
    _tell_other_la(transfer, token)
    return transfer, token


def _tell_other_la(transfer: Transfer, token: str) -> None:
    """The other LA's CME team is told a transfer waits, with the link and the address to
    confirm: no child's name, date of birth or address (the email may be forwarded, and
    sits in mailboxes long after the link has expired)."""
    la = transfer.to_la
    link = settings.CME_SITE_URL.rstrip("/") + reverse("transfers:download", args=[token])
    expires = f"{timezone.localdate(transfer.link_expires_at):%-d %B %Y}"
    subject = f"CME transfer {transfer.reference} from {settings.CME_LA_NAME}"
    body = (
        f"{settings.CME_LA_NAME}'s children missing education team has sent you a transfer "
        f"of a child who we believe now lives in your area (our reference "
        f"{transfer.reference}).\n\n"
        f"Download the common transfer file (CTF) and a PDF summary here: {link}\n"
        f"You will be asked for this email address ({la.cme_email}). The link works until "
        f"{expires}.\n\n"
        f"Please tell us whether you accept the child by "
        f"{transfer.answer_due:%-d %B %Y}: reply to {transfer.sent_by.email}."
    )
    queue_email(
        la.cme_email,
        subject,
        body,
        key=f"{SENT_KEY}{transfer.pk}",
        kind="transfer_sent",
        fields={"reference": transfer.reference, "link": link, "expires": expires},
    )


def transfer_downloaded(*, transfer: Transfer, file: str) -> None:
    """A file fetched through the link: counted, and in the case's chronology."""
    from transfers.models import TransferDownload

    TransferDownload.objects.create(transfer=transfer, file=file, at=timezone.now())
    record_case_event(
        transfer.case,
        EventKind.TRANSFER,
        None,
        f"Transfer {transfer.reference}: {file.upper()} downloaded by {transfer.to_la.name}",
    )


# ------------------------------------------------------------------------------ answers

#: What each answer may follow.
_FROM = {
    TransferStatus.ACKNOWLEDGED: (TransferStatus.SENT,),
    TransferStatus.ACCEPTED: AWAITING,
    TransferStatus.REJECTED: AWAITING,
}


@transaction.atomic
def transfer_record_answer(
    *,
    transfer: Transfer,
    by: User,
    status: TransferStatus | str,
    rejection_reason: RejectionReason | str = "",
    notes: str = "",
) -> Transfer:
    """The officer records what the other LA answered: acknowledged (the clock still runs:
    a decision is awaited), accepted, or rejected with a coded reason."""
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("case__child", "to_la")
        .get(pk=transfer.pk)
    )
    try:
        status = TransferStatus(status)
    except ValueError as exc:
        raise TransferError(ERROR_BAD_ANSWER) from exc
    if status not in _FROM:
        raise TransferError(ERROR_BAD_ANSWER)
    if transfer.status not in _FROM[status]:
        if transfer.status == TransferStatus.ACKNOWLEDGED:
            raise TransferError(ERROR_ALREADY_ACKNOWLEDGED)
        raise TransferError(ERROR_ANSWERED.format(status=transfer.get_status_display().lower()))
    if status == TransferStatus.REJECTED:
        if not rejection_reason:
            raise TransferError(ERROR_REJECTION_REASON)
        transfer.rejection_reason = RejectionReason(rejection_reason)
    now = timezone.now()
    transfer.status = status
    if status == TransferStatus.ACKNOWLEDGED:
        transfer.acknowledged_at = now
    else:
        transfer.answered_at = now
    transfer.answer_notes = "\n".join(p for p in (transfer.answer_notes, notes.strip()) if p)
    transfer.updated_by = by
    transfer.save()
    la = transfer.to_la.name
    summary = {
        TransferStatus.ACKNOWLEDGED: f"Transfer {transfer.reference} acknowledged by {la}",
        TransferStatus.ACCEPTED: f"Transfer {transfer.reference} accepted by {la}",
        TransferStatus.REJECTED: f"Transfer {transfer.reference} rejected by {la}: "
        f"{transfer.get_rejection_reason_display()}",
    }[status]
    record_case_event(transfer.case, EventKind.TRANSFER, by, summary, notes.strip())
    return transfer
