"""The demo's children not in school (demo/cnis.py), made while CME_CNIS_ENABLED is on."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from pytest_django import Settings

from cnis.consent import HELD_DETAIL
from cnis.models import ConsentRequest, ConsentStatus, Eligibility, RegisterEntry

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def test_the_demo_has_a_consent_request_and_register_entries_and_runs_twice(
    settings: Settings,
) -> None:
    settings.CME_CNIS_ENABLED = True
    _seed()
    consent = ConsentRequest.objects.get()
    assert consent.status == ConsentStatus.PENDING
    assert consent.leaver.reference == "LV-DEMO-CN01"
    assert consent.s47_by_school
    assert consent.leaver.status_detail == HELD_DETAIL
    eligibility = set(RegisterEntry.objects.values_list("eligibility", flat=True))
    # The demo's home educated children come on from the EHE register (its signal).
    assert eligibility == {
        Eligibility.NOT_REGISTERED,
        Eligibility.PART_TIME,
        Eligibility.HOME_EDUCATED,
    }
    before = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    again = _seed()
    assert "Demo data: 0 created" in again
    assert {m._meta.label: m._default_manager.count() for m in apps.get_models()} == before


def test_with_the_setting_off_the_demo_makes_none() -> None:
    _seed()
    assert not ConsentRequest.objects.exists()
    assert not RegisterEntry.objects.exists()
