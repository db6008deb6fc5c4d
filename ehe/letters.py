"""The letters of the notice route: the text (queued to the parents) and the PDF, both made
from the notice as recorded, so the letter always says what the record says."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from cme.pdf import template_to_pdf
from ehe.models import Notice, NoticeKind

#: What each notice tells the parent, in a sentence, with the section it is served under.
PURPOSE = {
    NoticeKind.PRELIMINARY: (
        "Before any notice under section 437 of the Education Act 1996, the authority gives "
        "you this preliminary notice (Children's Wellbeing and Schools Act 2026)."
    ),
    NoticeKind.S437_1: (
        "It appears to the authority that {child} is not receiving suitable education, either "
        "by regular attendance at school or otherwise. Under section 437(1) of the Education "
        "Act 1996 you are required to satisfy the authority that the child is receiving such "
        "education."
    ),
    NoticeKind.INTENTION: (
        "You did not satisfy the authority that {child} is receiving suitable education. "
        "Under section 438(2) of the Education Act 1996 the authority gives you notice that it "
        "intends to serve a school attendance order."
    ),
    NoticeKind.ORDER: (
        "Under section 437(3) of the Education Act 1996 the authority orders you to cause "
        "{child} to become a registered pupil at the school named below. Failing to comply is "
        "an offence unless you prove that the child is receiving suitable education otherwise "
        "than at school (section 443)."
    ),
    NoticeKind.AMENDMENT: (
        "Under section 440 of the Education Act 1996 the school attendance order for {child} "
        "is amended to name the school below in place of the school it named."
    ),
    NoticeKind.REVOCATION: (
        "Under section 442 of the Education Act 1996 the school attendance order for {child} "
        "is revoked."
    ),
}


def context(notice: Notice) -> dict[str, Any]:
    entry = notice.home_education
    child = entry.child
    return {
        "notice": notice,
        "entry": entry,
        "child": child,
        "parents": list(entry.parents.all()),
        "alternatives": list(notice.alternatives.all()),
        "purpose": PURPOSE[NoticeKind(notice.kind)].format(child=child.full_name),
        "la_name": settings.CME_LA_NAME,
    }


def notice_text(notice: Notice) -> str:
    """The letter as plain text (the outbox's body)."""
    return render_to_string("ehe/letters/notice.txt", context(notice))


def notice_pdf(notice: Notice) -> bytes:
    """The letter as a PDF (cme.pdf: escaped, fetches nothing)."""
    return template_to_pdf("ehe/letters/notice.html", context(notice))


def notice_filename(notice: Notice) -> str:
    """No name in the file name (it travels in URLs and download folders)."""
    return f"notice-{notice.kind}-{notice.pk}.pdf"
