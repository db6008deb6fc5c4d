"""Writes for transfers: send one (CTF + PDF to the private storage, a notification without
personal data to the other LA through the outbox), record the other LA's answer, and turn a
received transfer into a referral. Each atomic, each an event in the case's chronology."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import asdict
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from casework.events import record_case_event
from casework.models import Case, CaseStatus, Category, EventKind, Outcome
from cme.models import User
from cme.outbox import queue_email
from cme.pdf import template_to_pdf
from cme.references import new_reference, save_with_reference
from cme.storage import private_storage
from referrals.models import Channel, Reason, ReceivedVia, Referral, ReferrerType
from referrals.services import referral_submit
from referrals.vocabulary import FLAGS
from schools.models import Gender
from transfers.build import transfer_message
from transfers.ctf import read_transfer, write_transfer
from transfers.models import (
    AWAITING,
    LocalAuthority,
    ReceivedTransfer,
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
ERROR_NOT_FOR_US = (
    "The selected transfer is for {name} (LA {code}), not for us: ask the sending authority "
    "to check where it sent it"
)


RESTRICTED_NOTE = (
    "The sending authority keeps this child's record restricted (for example, a family in a "
    "refuge): share the address with no one who does not need it."
)


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


# ----------------------------------------------------------------------------- receiving


def _details(m: TransferMessage) -> str:
    lines = [
        f"Transfer {m.reference} from {m.from_la.name or 'another local authority'}"
        f"{f' (LA {m.from_la.code})' if m.from_la.code else ''}, sent {m.sent_on:%-d %B %Y}"
        f"{f'; their case {m.case_reference}' if m.case_reference else ''}.",
    ]
    if m.transfer_reasons:
        lines.append(f"Why they transferred the child: {m.transfer_reasons}")
    if m.category:
        lines.append(f"Their category: {CATEGORY_LABELS.get(m.category, m.category)}.")
    if m.became_cme_on:
        lines.append(f"Missing education since {m.became_cme_on:%-d %B %Y}.")
    if m.escalated_on:
        lines.append(
            f"Escalated on {m.escalated_on:%-d %B %Y}: {m.escalation_reason or 'no reason given'}"
            + (" (referred to children's social care)." if m.social_care_referred else ".")
        )
    if m.restricted:
        lines.append(RESTRICTED_NOTE)
    if m.officer_name or m.officer_phone:
        lines.append(
            "Their officer: " + ", ".join(p for p in (m.officer_name, m.officer_phone) if p) + "."
        )
    return "\n".join(lines)


def _enquiries_text(m: TransferMessage) -> str:
    return "\n".join(
        " - ".join(
            p
            for p in (
                f"{e.made_on:%-d %B %Y}" if e.made_on else "Date not given",
                e.kind_label or e.kind,
                e.contact,
                e.result_label or e.result,
                e.notes,
            )
            if p
        )
        for e in m.enquiries
    )


def _referral_for(m: TransferMessage, today: date) -> Referral:
    reasons = [code for code, _ in m.referral_reasons if code in Reason.values]
    flags = {f.field for f in FLAGS}
    c = m.child
    referral = Referral(
        channel=Channel.SIGNED_IN,
        referrer_type=ReferrerType.OTHER_LA,
        referrer_name=m.officer_name[:150],
        referrer_organisation=(m.from_la.name or f"LA {m.from_la.code}")[:200],
        referrer_email=(m.officer_email or m.from_la.email)[:254],
        referrer_phone=m.officer_phone[:40],
        date_received=today,
        received_via=ReceivedVia.ONLINE,
        first_name=c.first_name[:100],
        last_name=c.last_name[:100],
        other_names=" ".join(p for p in (c.middle_names, c.other_names) if p)[:200],
        date_of_birth=c.date_of_birth,
        gender=c.gender if c.gender in Gender.values else "",
        upn=c.upn[:13],
        address_line_1=c.address_line_1[:150],
        address_line_2=c.address_line_2[:150],
        town=c.town[:100],
        postcode=c.postcode[:10],
        last_school_name=c.last_school_name[:200],
        reasons=reasons or [Reason.MOVED_AWAY],
        enquiries_made=_enquiries_text(m),
        details=_details(m),
    )
    for code, _ in m.flags:
        if code in flags:
            setattr(referral, code, True)
    return referral


def received_key(m: TransferMessage) -> str:
    return f"{m.from_la.code or '?'}:{m.reference}"[:100]


@transaction.atomic
def transfer_receive(*, data: bytes, by: User) -> tuple[ReceivedTransfer, bool]:
    """A transfer another LA sent us, uploaded by an officer: read safely (raises CtfError or
    TransferFileError), checked it is for us, and made a referral in triage with the sending
    LA as referrer (ReferrerType.OTHER_LA) and its history (reasons, enquiries, flags) on it.
    The same transfer uploaded again finds the first (False: nothing new was made)."""
    read = read_transfer(data)
    m = read.message
    if m.to_la.code and m.to_la.code != settings.CME_LA_CODE:
        raise TransferError(ERROR_NOT_FOR_US.format(name=m.to_la.name, code=m.to_la.code))
    key = received_key(m)
    already = ReceivedTransfer.objects.select_related("referral").filter(key=key).first()
    if already is not None:
        return already, False
    today = timezone.localdate()
    token = uuid.uuid5(uuid.NAMESPACE_URL, f"cme-casework:received-transfer:{key}")
    referral = referral_submit(referral=_referral_for(m, today), by=by, submission_token=token)
    name = private_storage().save(f"transfers/received/{uuid.uuid4().hex}.xml", ContentFile(data))
    try:
        with transaction.atomic():
            received = ReceivedTransfer.objects.create(
                key=key,
                from_la_code=m.from_la.code[:3],
                from_la_name=m.from_la.name[:150],
                their_reference=m.reference,
                referral=referral,
                file_name=name,
                history_data=_jsonable(m),
                created_by=by,
                updated_by=by,
            )
    except IntegrityError:  # the same file uploaded at the same moment: the other is it
        private_storage().delete(name)  # this copy is not needed
        return ReceivedTransfer.objects.select_related("referral").get(key=key), False
    return received, True


def _jsonable(message: TransferMessage) -> dict[str, Any]:
    """The message as JSON-able data (dates as ISO strings), for ``history_data``."""
    data: dict[str, Any] = json.loads(json.dumps(asdict(message), cls=DjangoJSONEncoder))
    return data
