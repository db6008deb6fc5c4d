"""Issue 13, item 6: one vocabulary for the vulnerability flags, and every use agrees with it."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, cast

import pytest
from django.db import models
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.text import capfirst

from casework.filters import RegisterFilter
from casework.models import Case, Child
from casework.services.triage import CHILD_FLAGS
from casework.templatetags.case_tables import _flags, triage_rows
from referrals.forms import ReferralForm
from referrals.models import Referral
from referrals.vocabulary import FLAG_FIELDS, FLAGS, REPORTED_FLAGS, flag_labels
from reports.figures import board_figures
from tests.factories import CaseFactory, ReferralFactory

LABELS = [f.label for f in FLAGS]
ALL_SET = dict.fromkeys(FLAG_FIELDS, True)


@pytest.mark.parametrize("model", [Referral, Child])
def test_the_models_name_each_flag_by_its_label(model: type[models.Model]) -> None:
    booleans = [f.name for f in model._meta.get_fields() if f.name in FLAG_FIELDS]
    assert booleans == list(FLAG_FIELDS)
    for flag in FLAGS:
        # A flag is a model field (BooleanField), never a relation or a generic foreign key.
        field = cast("models.Field[Any, Any]", model._meta.get_field(flag.field))
        assert capfirst(field.verbose_name) == flag.label


def test_the_referral_form_asks_about_every_flag() -> None:
    choices = ReferralForm.base_fields["flags"].choices  # type: ignore[attr-defined]
    assert [name for name, _ in choices] == list(FLAG_FIELDS)
    assert CHILD_FLAGS == FLAG_FIELDS


def test_the_register_filter_triage_export_and_report_use_the_same_labels(
    officer_client: Client,
) -> None:
    referral = ReferralFactory.create(**ALL_SET)
    case = CaseFactory.create(
        received_on=date(2026, 6, 1), **{f"child__{name}": True for name in FLAG_FIELDS}
    )

    register_choices = RegisterFilter(queryset=Case.objects.none()).form.fields["flags"].choices
    assert [label for _, label in register_choices] == LABELS
    assert flag_labels(referral) == LABELS  # the triage queue and referral summary
    assert flag_labels(case.child) == LABELS  # the child record and the merge screen
    # The register export streams its rows (getvalue() joins the streamed content).
    streamed = cast(StreamingHttpResponse, officer_client.get(reverse("cases:register_csv")))
    export = streamed.getvalue()
    header, *_, last_row = list(csv.reader(io.StringIO(export.decode())))
    assert last_row[header.index("Vulnerability")] == "; ".join(LABELS)  # the register export
    table = next(
        t
        for t in board_figures(date(2026, 6, 1), date(2026, 6, 30)).tables
        if t.key == "vulnerability"
    )
    assert [r[0] for r in table.rows] == [f.label for f in REPORTED_FLAGS]
    assert set(REPORTED_FLAGS) <= set(FLAGS)


@pytest.mark.django_db
def test_tags_take_their_colour_from_the_vocabulary() -> None:
    referral = ReferralFactory.create(**ALL_SET)
    html = triage_rows(
        [
            {
                "referral": referral,
                "age": None,
                "reasons": [],
                "flags": flag_labels(referral),
                "high_risk": False,
                "source": "",
            }
        ]
    )
    for flag in FLAGS:
        assert f'govuk-tag--{flag.colour} govuk-!-margin-bottom-1">{flag.label}<' in html
    tags = _flags(Child(**ALL_SET))
    for flag in FLAGS:
        if flag.short:
            assert f'govuk-tag--{flag.colour}">{flag.short}<' in tags
