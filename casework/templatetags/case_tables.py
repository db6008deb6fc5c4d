"""The rows of the case tables (register, my cases), rendered in Python.

A register page has 50 rows of about twenty values each; through the template engine they
were a quarter of the page's time (11 ms of 45 on the benchmark's county), in Python they
cost under 1 ms. Every value is escaped by ``format_html``; the markup is the same as the
template's was, and tests/casework/test_register.py reads it back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from cme.formats import govuk_time
from cme.statutory import compulsory_school_age_note
from referrals.vocabulary import FLAGS

register = template.Library()

_TAGS = (
    *((f.field, f.colour, f.short) for f in FLAGS if f.short),
    ("restricted", "grey", "Restricted"),
)
#: A triage row's flags are labels (and the compulsory-school-age note, grey).
_LABEL_COLOURS = {f.label: f.colour for f in FLAGS}
_ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
    '<td class="govuk-table__cell">{}{}</td>'
    '<td class="govuk-table__cell">{}{}</td>'
    '<td class="govuk-table__cell">{}{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}{}</td>'
    "</tr>\n"
)
#: The register's row (issue 15): the CME return's groups in the case's cells, under their
#: headings' sort links: sex and year group under the date of birth, the primary reason and
#: the time missing education under the category. A column each would not fit the page at
#: 1280 px (tests/e2e/test_register_layout.py: 60 px too wide with two more columns).
_REGISTER_ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a></td>'
    '<td class="govuk-table__cell">{}{}</td>'
    '<td class="govuk-table__cell">{}<br>{}, {}</td>'
    '<td class="govuk-table__cell">{}{}<br>{}<br>'
    '<span class="govuk-visually-hidden">Missing education for </span>{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}{}</td>'
    "</tr>\n"
)
_OVERDUE = mark_safe(' <strong class="govuk-tag govuk-tag--red">Overdue</strong>')
_MISSING = mark_safe('<strong class="govuk-tag govuk-tag--red">CME-missing</strong>')
_WASP = mark_safe('<strong class="govuk-tag govuk-tag--orange">CME-WASP</strong>')
_UNTRACEABLE = mark_safe(' <strong class="govuk-tag govuk-tag--purple">Untraceable</strong>')


def _day(d: date | None) -> str:
    # The template's |date:"j M Y"
    return f"{d.day} {d:%b %Y}" if d else ""


def _flags(child: Any) -> SafeString:
    return mark_safe(  # noqa: S308 - constant markup only
        "".join(
            f' <strong class="govuk-tag govuk-tag--{colour}">{label}</strong>'
            for field, colour, label in _TAGS
            if getattr(child, field)
        )
    )


def _csa_tag(dob: date | None, today: date) -> SafeString:
    """Issue 12, A8: a child below or past compulsory school age is not counted as CME."""
    note = compulsory_school_age_note(dob, today)
    return (
        format_html(' <strong class="govuk-tag govuk-tag--yellow">{}</strong>', note)
        if note
        else mark_safe("")
    )


@register.simple_tag
def case_rows(cases: Iterable[Any], empty_text: str = "", register: bool = False) -> SafeString:
    """``<tr>`` for each case (its child and officer loaded with it), or one row saying
    ``empty_text`` when there are none. The register's rows (``register``) also show the CME
    return's groups, which its view puts on each case (casework.views.register)."""
    # One reverse() for the page: the case reference is the only part that changes.
    placeholder = "REF-PLACEHOLDER"
    url = reverse("cases:detail", args=[placeholder])
    before, after = url.split(placeholder)
    rows = []
    today = timezone.localdate()
    for case in cases:
        child = case.child
        age = getattr(case, "age", None)
        if register:
            rows.append(_register_row(case, f"{before}{case.reference}{after}", today))
            continue
        rows.append(
            format_html(
                _ROW,
                f"{before}{case.reference}{after}",
                case.reference,
                child.full_name,
                _flags(child) + _csa_tag(child.date_of_birth, today),
                _day(child.date_of_birth),
                f" ({age}, {case.nc_year})" if age is not None else "",
                _MISSING if case.category == "missing" else _WASP,
                _UNTRACEABLE if case.outcome == "untraceable" else "",
                (case.allocated_to.full_name if case.allocated_to_id else "") or "Not allocated",
                _day(case.received_on),
                _day(case.due_date),
                _OVERDUE if getattr(case, "is_overdue", False) else "",
            )
        )
    if not rows:
        return format_html(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="7">{}</td></tr>',
            empty_text or "No cases.",
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row built by format_html


def _register_row(case: Any, url: str, today: date) -> SafeString:
    child = case.child
    return format_html(
        _REGISTER_ROW,
        url,
        case.reference,
        child.full_name,
        _flags(child) + _csa_tag(child.date_of_birth, today),
        f"{_day(child.date_of_birth)} ({case.age})" if child.date_of_birth else "Not known",
        case.sex,
        case.year_group,
        _MISSING if case.category == "missing" else _WASP,
        _UNTRACEABLE if case.outcome == "untraceable" else "",
        case.primary_reason.label,
        case.duration,
        (case.allocated_to.full_name if case.allocated_to_id else "") or "Not allocated",
        _day(case.received_on),
        _day(case.due_date),
        _OVERDUE if getattr(case, "is_overdue", False) else "",
    )


DASH = "\u2013"  # an en dash: "none" in a table cell
_TRIAGE_ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}'
    '<span class="govuk-visually-hidden">, referral {}</span></a><br>'
    '<span class="govuk-body-s">{}</span></td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    "</tr>\n"
)
_AGE_NOT_KNOWN = mark_safe('<span class="govuk-visually-hidden">Not known</span>' + DASH)  # noqa: S308
_HIGH_RISK = mark_safe('<strong class="govuk-tag govuk-tag--red">High risk</strong>')
_NOT_HIGH_RISK = mark_safe('<span class="govuk-visually-hidden">Not high risk</span>')


@register.simple_tag
def triage_rows(rows: Iterable[dict[str, Any]]) -> SafeString:
    """``<tr>`` for each triage row (casework.views.triage.triage_list), or the empty row."""
    placeholder = "REF-PLACEHOLDER"
    url = reverse("triage:detail", args=[placeholder])
    before, after = url.split(placeholder)
    out = []
    for row in rows:
        r = row["referral"]
        received = timezone.localtime(r.received_at)
        age = row["age"]
        flags = row["flags"]
        out.append(
            format_html(
                _TRIAGE_ROW,
                f"{received.day} {received:%b %Y}, {govuk_time(received)}",
                f"{before}{r.reference}{after}",
                r.child_name,
                r.reference,
                r.reference,
                age if age is not None else _AGE_NOT_KNOWN,
                format_html_join(mark_safe("<br>"), "{}", ((x,) for x in row["reasons"]))
                if row["reasons"]
                else DASH,
                format_html_join(
                    "",
                    '<strong class="govuk-tag govuk-tag--{} govuk-!-margin-bottom-1">{}</strong> ',
                    ((_LABEL_COLOURS.get(f, "grey"), f) for f in flags),
                )
                if flags
                else DASH,
                _HIGH_RISK if row["high_risk"] else _NOT_HIGH_RISK,
                row["source"],
            )
        )
    if not out:
        return mark_safe(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="7">'
            "There are no new referrals to triage.</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - each row built by format_html
