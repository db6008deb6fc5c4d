"""Stored hostile text comes back harmless: escaped in HTML, neutralised in CSV and XLSX
(cells starting = + - @ tab or CR), and printed literally in the PDF."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import Case, Category
from casework.services.cases import case_note_add
from casework.services.triage import referral_accept
from cme.models import User
from reports.csv_pack import csv_pack
from reports.figures import BoardFigures, Headline, Table
from reports.pdf import render_pdf as real_render_pdf  # bound before the fuzz stand-in
from tests.factories import ReferralFactory
from tests.reports.test_pdf import PDFTOTEXT, needs_poppler, sample_figures

SCRIPT = "<script>alert(1)</script>"
FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-1+2",
    "\t=1+1",
    "\r=1+1",
]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_case(officer: User, manager: User) -> Case:
    referral = ReferralFactory.create(
        first_name='=HYPERLINK("http://x","y")',
        last_name=f"{SCRIPT}O'Brien",
        other_names="@SUM(1)",
        upn="-1+2",
        details=f"{SCRIPT} '; DROP TABLE x; --",
    )
    case = referral_accept(referral=referral, by=manager, category=Category.WASP, officer=officer)
    case_note_add(case=case, by=officer, text=f"Note {SCRIPT} \u202eevil\u202c +cmd")
    return case


def _escaped(body: str) -> None:
    assert SCRIPT not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_case_pages_escape_stored_text(hostile_case: Case, officer_client: Client) -> None:
    for name in ("cases:detail", "cases:notes", "cases:referral"):
        body = officer_client.get(reverse(name, args=[hostile_case.reference])).content.decode()
        _escaped(body)
    child = officer_client.get(reverse("cases:child", args=[hostile_case.child_id]))
    _escaped(child.content.decode())
    register = officer_client.get(reverse("cases:register")).content.decode()
    _escaped(register)


def _assert_neutral(cell: object) -> None:
    if isinstance(cell, str) and cell:
        assert not cell.startswith(DANGEROUS_START), f"formula cell {cell!r}"


def test_the_register_csv_neutralises_formulas(hostile_case: Case, officer_client: Client) -> None:
    response = officer_client.get(reverse("cases:register_csv"))
    text = response.getvalue().decode()  # a StreamingHttpResponse joins its content
    rows = list(csv.reader(io.StringIO(text)))
    body = [r for r in rows[1:] if r and r[0] == hostile_case.reference]
    assert body, "the hostile case is in the export"
    for cell in body[0]:
        _assert_neutral(cell)
    assert '\'=HYPERLINK("http://x","y")' in body[0]
    assert "'-1+2" in body[0]


def test_the_register_xlsx_neutralises_formulas(hostile_case: Case, officer_client: Client) -> None:
    response = officer_client.get(reverse("cases:register_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    body = [r for r in rows[1:] if r and r[0] == hostile_case.reference]
    assert body
    for cell in body[0]:
        _assert_neutral(cell)
    # openpyxl stores a leading "=" as a formula: none may be typed as one.
    for r in load_workbook(io.BytesIO(response.content)).active.iter_rows():
        for cell in r:
            assert cell.data_type != "f", cell.value


def _hostile_figures() -> BoardFigures:
    figures = sample_figures()
    hostile_rows: list[list[str | int | float | None]] = [[f, 3] for f in FORMULAS]
    hostile_rows += [[SCRIPT, 4], ["<b>bold</b> & co", 5]]
    tables = [
        dataclasses.replace(t, rows=hostile_rows, note="=1+1 note")
        if t.key == "deletions_by_school"
        else t
        for t in figures.tables
    ]
    headlines = [*figures.headlines, Headline(key="x", label="=cmd|label", value=1, previous=2)]
    definitions = [*figures.definitions, ("@term", "-meaning")]
    return dataclasses.replace(figures, tables=tables, headlines=headlines, definitions=definitions)


def test_the_board_csv_pack_neutralises_labels() -> None:
    text = csv_pack(_hostile_figures())
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            _assert_neutral(cell)
    assert "'=cmd|label" in text
    assert "'@term" in text
    assert "'-meaning" in text
    assert "'=HYPERLINK" in text


@needs_poppler
def test_the_pdf_prints_hostile_text_literally(tmp_path: Path) -> None:
    figures = _hostile_figures()
    assert any(isinstance(t, Table) for t in figures.tables)
    pdf = real_render_pdf(figures, "Exampleshire <i>County</i> Council", charts={})
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    for literal in (SCRIPT, "<b>bold</b>&co", "<i>County</i>", "=cmd|label", "@SUM(1)"):
        assert re.sub(r"\s+", "", literal) in flat, literal
