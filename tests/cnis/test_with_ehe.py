"""The EHE register and the children-not-in-school register together, with their real
receivers (ehe.signals; CME_CNIS_ENABLED on): a ground (f) leaver return that needs the LA's
consent reaches neither register until a manager grants it, and then reaches both; a first
home visit refused on the children-not-in-school register starts the s437 route in ehe."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from cme.models import User
from cnis.models import ConsentRequest, ConsentStatus, RegisterEntry, VisitOutcome
from cnis.models import Source as CnisSource
from cnis.services import visit_outcome_record
from ehe.models import HomeEducation
from ehe.models import Source as EheSource
from schools.models import LeaverReturn
from tests.cnis.test_consent import decide, held, home_education, on, send, special
from tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db

__all__ = ["held", "on", "special"]  # fixtures used by name below


@time_machine.travel(NOW, tick=False)
def test_a_return_waiting_for_consent_reaches_neither_register_until_granted(
    held: LeaverReturn, manager_client: Client
) -> None:
    assert ConsentRequest.objects.get().status == ConsentStatus.PENDING
    assert not HomeEducation.objects.exists()
    assert not RegisterEntry.objects.exists()

    assert decide(manager_client, ConsentRequest.objects.get()).status_code == 302

    ehe = HomeEducation.objects.get()
    assert ehe.source == EheSource.LEAVER_RETURN
    entry = RegisterEntry.objects.get()
    assert entry.child_id == ehe.child_id
    assert entry.eligibility_source == CnisSource.EHE_REGISTER


@time_machine.travel(NOW, tick=False)
def test_a_refused_consent_reaches_neither_register(
    held: LeaverReturn, manager_client: Client
) -> None:
    response = decide(manager_client, ConsentRequest.objects.get(), decision="refused")
    assert response.status_code == 302
    assert not HomeEducation.objects.exists()
    assert not RegisterEntry.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_without_consent_needed_a_ground_f_return_reaches_both_at_once(
    on: None, client_a: Client
) -> None:
    send(client_a, home_education(la_arranged_place="no", s47_enquiries="no"))
    assert not ConsentRequest.objects.exists()
    ehe = HomeEducation.objects.get()
    assert RegisterEntry.objects.get().child_id == ehe.child_id


@time_machine.travel(NOW, tick=False)
def test_a_refused_first_visit_starts_the_s437_route_in_ehe_once(
    on: None, client_a: Client, officer: User
) -> None:
    send(client_a, home_education(la_arranged_place="no", s47_enquiries="no"))
    entry = RegisterEntry.objects.get()
    visit_outcome_record(entry=entry, outcome=VisitOutcome.REFUSED, on=TODAY, by=officer)
    ehe = HomeEducation.objects.get()
    assert ehe.child_id == entry.child_id
    assert ehe.notice_route_reason
    first_reason = ehe.notice_route_reason
    # Recording the outcome again starts nothing more.
    visit_outcome_record(
        entry=RegisterEntry.objects.get(), outcome=VisitOutcome.REFUSED, on=TODAY, by=officer
    )
    assert HomeEducation.objects.count() == 1
    assert HomeEducation.objects.get().notice_route_reason == first_reason
