"""A transfer another LA sent us, uploaded by an officer: read safely, checked it is for
us, and turned into a referral in triage with the sending LA as referrer and the child's
history (reasons, enquiries, flags) on it. Uploading the same transfer again makes nothing."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from cme.models import User
from cme.storage import private_storage
from cme.text import text_lines
from referrals.models import Channel, Reason, ReceivedVia, Referral, ReferrerType
from referrals.services import referral_submit
from referrals.vocabulary import FLAGS
from schools.models import Gender
from transfers.ctf import read_transfer
from transfers.models import ReceivedTransfer
from transfers.records import TransferMessage
from transfers.services import CATEGORY_LABELS, TransferError

ERROR_NOT_FOR_US = (
    "The selected transfer is for {name} (LA {code}), not for us: ask the sending authority "
    "to check where it sent it"
)
RESTRICTED_NOTE = (
    "The sending authority keeps this child's record restricted (for example, a family in a "
    "refuge): share the address with no one who does not need it."
)


def _details(m: TransferMessage) -> str:
    officer = ", ".join(p for p in (m.officer_name, m.officer_phone) if p)
    escalated = (
        f"Escalated on {m.escalated_on:%-d %B %Y}: {m.escalation_reason or 'no reason given'}"
        + (" (referred to children's social care)." if m.social_care_referred else ".")
        if m.escalated_on
        else ""
    )
    return text_lines(
        f"Transfer {m.reference} from {m.from_la.name or 'another local authority'}"
        f"{f' (LA {m.from_la.code})' if m.from_la.code else ''}, sent {m.sent_on:%-d %B %Y}"
        f"{f'; their case {m.case_reference}' if m.case_reference else ''}.",
        f"Why they transferred the child: {m.transfer_reasons}" if m.transfer_reasons else "",
        f"Their category: {CATEGORY_LABELS.get(m.category, m.category)}." if m.category else "",
        f"Missing education since {m.became_cme_on:%-d %B %Y}." if m.became_cme_on else "",
        escalated,
        RESTRICTED_NOTE if m.restricted else "",
        f"Their officer: {officer}." if officer else "",
    )


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
