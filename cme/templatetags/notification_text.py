"""A notification's body on the notifications page: one line each as written (a list of
references stays a list), and each reference a link to its item for this reader."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

#: A reference as the services make them (cme.references.new_reference): two capitals,
#: then two groups of four from the reference alphabet.
REFERENCE_RE = re.compile(r"\b(NP|LV|PT|CA|CS|RF)-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
_RETURN_PREFIXES = {"NP", "LV", "PT", "CA"}
#: The LA page of a case or a referral reference.
_LA_PAGES = {"CS": "cases:detail", "RF": "triage:detail"}


def reference_url(reference: str, user: Any) -> str:
    """The page of the item a reference names, for ``user`` ("" when they have none: the
    page itself still checks who is asking)."""
    prefix = reference[:2]
    if prefix in _RETURN_PREFIXES:
        if getattr(user, "is_la_user", False):
            return reverse("schools:la_return_detail", args=[reference])
        if getattr(user, "is_school_staff", False):
            return reverse("schools:return_detail", args=[reference])
        return ""
    name = _LA_PAGES.get(prefix)
    if name is None or not getattr(user, "is_la_user", False):
        return ""
    return reverse(name, args=[reference])


def _linked(line: str, user: Any) -> str:
    out: list[str] = []
    at = 0
    for match in REFERENCE_RE.finditer(line):
        out.append(escape(line[at : match.start()]))
        ref = match.group(0)
        url = reference_url(ref, user)
        out.append(
            format_html('<a class="govuk-link" href="{}">{}</a>', url, ref) if url else escape(ref)
        )
        at = match.end()
    out.append(escape(line[at:]))
    return "".join(out)


@register.filter
def notification_body(body: str, user: Any) -> SafeString:
    """``body`` escaped, its line breaks kept (``<br>``), its references linked."""
    lines = (body or "").strip().splitlines()
    return mark_safe("<br>".join(_linked(line, user) for line in lines))  # noqa: S308 - escaped
