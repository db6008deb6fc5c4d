"""Giving a served notice to the parents: a letter to each postal address (Notify), an
email where there is one, and the chronology's one-line summary of what was sent."""

from __future__ import annotations

from cme.outbox import queue_email, queue_letter
from ehe.models import HomeEducation, Notice


def parent_addresses(entry: HomeEducation) -> list[tuple[int, list[str], str]]:
    """(parent id, postal address lines, email) for each parent."""
    out = []
    for parent in entry.parents.all():
        lines = parent.address_lines if parent.address_lines else entry.address_lines
        out.append((parent.pk, [parent.full_name, *lines], parent.email))
    return out


def queue_notice(entry: HomeEducation, notice: Notice) -> tuple[int, int]:
    """The notice to each parent: a letter where there is a postal address (Notify), an
    email where there is an address for it. The letter says what was served and when; the
    PDF is the record's (ehe.letters), printed from the child's page where Notify is not used."""
    from ehe.letters import notice_text

    subject = f"{notice.get_kind_display()}: {entry.child.full_name}"
    body = notice_text(notice)
    letters = emails = 0
    for parent_id, lines, email in parent_addresses(entry):
        key = f"ehe-notice:{notice.pk}:{parent_id}"
        letters += queue_letter(
            address=lines, subject=subject, body=body, kind="ehe_notice", key=f"{key}:letter"
        )
        if email:
            emails += queue_email(email, subject, body, kind="ehe_notice", key=f"{key}:email")
    return letters, emails


def served_summary(notice: Notice, letters: int, emails: int) -> str:
    sent = []
    if letters:
        sent.append(f"{letters} letter{'s' if letters > 1 else ''}")
    if emails:
        sent.append(f"{emails} email{'s' if emails > 1 else ''}")
    how = (
        f"; sent by {' and '.join(sent)}" if sent else "; no postal or email address: give by hand"
    )
    period = (
        f"; the parent's period ends on {notice.period_ends_on:%-d %B %Y}"
        if notice.period_ends_on
        else ""
    )
    school = f"; school named: {notice.school.name}" if notice.school else ""
    return (
        f"{notice.get_kind_display()} served on {notice.served_on:%-d %B %Y}{period}{school}{how}"
    )
