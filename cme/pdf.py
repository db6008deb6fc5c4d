"""HTML to PDF with WeasyPrint: the one place every app (board reports, letters, transfer
summaries) turns a rendered Django template into PDF bytes.

The HTML is a template rendered with autoescaping on, so text a person typed cannot add
markup; WeasyPrint is given no base URL, so the document fetches nothing from the network.
"""

from __future__ import annotations

from django.template.loader import render_to_string

#: Characters below this (C0 controls) are escaped in CSS strings.
FIRST_PRINTABLE = 0x20


def html_to_pdf(html: str) -> bytes:
    """``html`` (a whole document) as PDF bytes."""
    from weasyprint import HTML  # imported here: loading Pango costs time at start-up

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns the bytes
    return bytes(pdf)


def template_to_pdf(template_name: str, context: dict[str, object]) -> bytes:
    """The Django template ``template_name`` rendered with ``context``, as PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string, safe inside a <style> element."""
    out = []
    for ch in value:
        if ch in '"\\<>&' or ord(ch) < FIRST_PRINTABLE:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
