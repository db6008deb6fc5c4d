"""The children-not-in-school register: registering, the s436C information and its sources,
changes (s436D), provider requests (s436E) and their chase, the home visit, the notice route
(ehe.signals), the CSV export, restricted records, constant-query lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, Settings

from casework.models import Child
from cme.audit import WITHHELD
from cme.jobs import claim_due, run_job
from cme.models import AccessAction, AccessLog, Notification, OutboxEmail, User
from cnis.models import (
    ChangeNotice,
    Eligibility,
    EntryParent,
    Provider,
    ProviderRequest,
    ProviderType,
    RegisterEntry,
    Source,
)
from cnis.services import (
    REASON_INFORMATION_NOT_GIVEN,
    REASON_VISIT_REFUSED,
    RegisterError,
    provider_request_send,
    register_child,
)
from ehe.signals import home_education_registered, notice_route_requested
from tests.conftest import NOW, TODAY
from tests.factories import ChildFactory, PartTimeTimetableFactory
from tests.forms import child_answers, day, errors

pytestmark = pytest.mark.django_db

REGISTER = reverse("cnis:register")


@pytest.fixture(autouse=True)
def on(settings: Settings) -> None:
    settings.CME_CNIS_ENABLED = True


@pytest.fixture
def routes() -> Iterator[list[dict[str, Any]]]:
    """What ehe.signals.notice_route_requested was sent with (a real receiver)."""
    got: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        got.append({k: kwargs[k] for k in ("child_id", "reason", "by")})

    notice_route_requested.connect(receiver, dispatch_uid="tests.cnis.routes")
    yield got
    notice_route_requested.disconnect(dispatch_uid="tests.cnis.routes")


def child(**kw: Any) -> Child:
    made: Child = ChildFactory.create(date_of_birth=date(2016, 3, 14), **kw)
    return made


def entry_for(c: Child, by: User | None = None, **kw: Any) -> RegisterEntry:
    with time_machine.travel(NOW, tick=False):
        return register_child(
            child=c, eligibility=Eligibility.NOT_REGISTERED, source=Source.OFFICER, by=by, **kw
        )


def provider_for(entry: RegisterEntry, **kw: Any) -> Provider:
    """A tutor for ``entry`` with an email for requests (s436E)."""
    fields: dict[str, Any] = {
        "name": "P",
        "address": "A",
        "provider_type": "tutor",
        "location": "A",
        "hours_per_week": 4,
        "hours_without_parent": 0,
        "email": "p@example.org",
    }
    provider: Provider = Provider.objects.create(entry=entry, **(fields | kw))
    return provider


def registration(**overrides: Any) -> dict[str, str]:
    data = child_answers(
        ("Maya", "Patel"),
        date(2016, 3, 14),
        "12 Oak Road",
        "EX1 2AB",
        lives_in_area="yes",
        eligibility="not_registered",
        source="parent",
    )
    data.update({k: v for k, v in overrides.items() if v is not None})
    return data


# ----------------------------------------------------------------------- registering


@time_machine.travel(NOW, tick=False)
def test_an_officer_registers_a_child(officer_client: Client, officer: User) -> None:
    response = officer_client.post(reverse("cnis:register_new"), registration())
    entry = RegisterEntry.objects.get()
    assert response["Location"] == reverse("cnis:entry", args=[entry.pk])
    assert entry.child.full_name == "Maya Patel"
    assert entry.registered_on == TODAY
    assert entry.eligibility_source == Source.PARENT
    assert entry.created_by == officer
    assert entry.history.count() == 1
    # Sent twice (a double click): still one entry, one child.
    officer_client.post(reverse("cnis:register_new"), registration())
    assert RegisterEntry.objects.count() == 1
    assert Child.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_name": ""}, "first_name"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "date_of_birth"),
        ({"lives_in_area": ""}, "lives_in_area"),
        ({"eligibility": ""}, "eligibility"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_answers_re_render_with_the_error_summary(
    officer_client: Client, overrides: dict[str, str], field: str
) -> None:
    data = registration(**overrides)
    response = officer_client.post(reverse("cnis:register_new"), data)
    assert field in errors(response)
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert "12 Oak Road" in response.content.decode()  # what was typed is kept


@pytest.mark.parametrize(
    ("overrides", "eligible"),
    [
        ({"lives_in_area": "no"}, False),
        ({**day("date_of_birth", date(2010, 5, 17))}, False),  # past compulsory school age
        ({**day("date_of_birth", date(2022, 1, 1))}, False),  # not yet
        ({"eligibility": "part_time"}, True),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_only_an_eligible_child_is_registered(
    officer_client: Client, overrides: dict[str, str], eligible: bool
) -> None:
    response = officer_client.post(reverse("cnis:register_new"), registration(**overrides))
    assert RegisterEntry.objects.exists() is eligible
    if not eligible:
        assert "not eligible" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_part_time_timetable_feeds_the_register(officer_client: Client) -> None:
    timetable = PartTimeTimetableFactory.create(
        first_name="Noor", last_name="Khan", date_of_birth=date(2014, 9, 1),
        start_date=TODAY - timedelta(days=7),
    )  # fmt: skip
    page = officer_client.get(REGISTER).content.decode()
    assert timetable.reference in page
    url = f"{reverse('cnis:register_new')}?from={timetable.reference}"
    form = officer_client.get(url).content.decode()
    assert 'value="Noor"' in form
    data = registration(
        first_name="Noor", last_name="Khan", **day("date_of_birth", date(2014, 9, 1)),
        eligibility="part_time", source="school_return", **{"from": timetable.reference},
    )  # fmt: skip
    officer_client.post(url, data)
    entry = RegisterEntry.objects.get()
    assert entry.source_return_id == timetable.pk
    assert entry.eligibility == Eligibility.PART_TIME
    assert timetable.reference not in officer_client.get(REGISTER).content.decode()


def test_a_child_the_ehe_app_registers_comes_onto_the_register(officer: User) -> None:
    c = child()
    with time_machine.travel(NOW, tick=False):
        home_education_registered.send(sender=None, child_id=c.pk, started_on=TODAY, by=officer)
    entry = RegisterEntry.objects.get(child=c)
    assert entry.eligibility == Eligibility.HOME_EDUCATED
    assert entry.eligibility_source == Source.EHE_REGISTER


def test_with_the_setting_off_the_ehe_signal_adds_nothing(settings: Settings) -> None:
    settings.CME_CNIS_ENABLED = False
    c = child()
    home_education_registered.send(sender=None, child_id=c.pk, started_on=None, by=None)
    assert not RegisterEntry.objects.exists()


def test_a_child_past_compulsory_school_age_from_the_ehe_app_is_not_added() -> None:
    c = ChildFactory.create(date_of_birth=date(2008, 1, 1))
    with time_machine.travel(NOW, tick=False):
        home_education_registered.send(sender=None, child_id=c.pk, started_on=None, by=None)
    assert not RegisterEntry.objects.exists()


def test_register_child_refuses_an_ineligible_child() -> None:
    with pytest.raises(RegisterError):
        entry_for(child(), lives_in_area=False)


# -------------------------------------------------------------- the s436C information


@time_machine.travel(NOW, tick=False)
def test_parents_providers_and_prescribed_information_with_their_sources(
    officer_client: Client,
) -> None:
    c = child(ehcp_sen=True, looked_after=True)
    entry = entry_for(c)

    def url(what: str) -> str:
        return reverse("cnis:entry_action", args=[entry.pk, what])

    r = officer_client.post(
        url("parent"),
        {"name": "Priya Patel", "address": "12 Oak Road", "provides_education": "yes",
         "hours_per_week": "10", "source": "parent"},
    )  # fmt: skip
    assert r.status_code == 302, errors(r)
    r = officer_client.post(
        url("provider"),
        {"name": "Bright Tutors", "address": "1 High St", "provider_type": "online",
         "location": "", "online_contact": "https://bright.example", "hours_per_week": "6",
         "hours_without_parent": "6", "email": "office@bright.example", "source": "provider"},
    )  # fmt: skip
    assert r.status_code == 302, errors(r)
    r = officer_client.post(
        url("parent"),
        {"name": "Priya Patel", "address": "12 Oak Road", "provides_education": "yes",
         "hours_per_week": "10", "source": "parent"},
    )  # fmt: skip
    parent = EntryParent.objects.get()  # the same parent sent twice: one
    assert parent.provides_education
    assert parent.hours_per_week == Decimal("10")
    provider = Provider.objects.get()
    assert provider.provider_type == ProviderType.ONLINE
    page = officer_client.get(reverse("cnis:entry", args=[entry.pk])).content.decode()
    assert "Priya Patel" in page
    assert "https://bright.example" in page
    assert "The local authority&#x27;s records" in page
    assert AccessLog.objects.filter(action=AccessAction.VIEW_CHILD, child_id=c.pk).exists()


@time_machine.travel(NOW, tick=False)
def test_a_provider_needs_a_place_or_online_contact_and_unsupervised_hours_within_hours(
    officer_client: Client,
) -> None:
    entry = entry_for(child())
    found = errors(
        officer_client.post(
            reverse("cnis:entry_action", args=[entry.pk, "provider"]),
            {"name": "X", "address": "Y", "provider_type": "tutor", "hours_per_week": "4",
             "hours_without_parent": "5", "source": "parent"},
        )
    )  # fmt: skip
    assert set(found) == {"location", "hours_without_parent"}


@time_machine.travel(NOW, tick=False)
def test_a_parent_who_does_not_educate_keeps_no_hours(officer_client: Client) -> None:
    entry = entry_for(child())
    officer_client.post(
        reverse("cnis:entry_action", args=[entry.pk, "parent"]),
        {"name": "Sam Lee", "address": "3 Elm Way", "provides_education": "no",
         "hours_per_week": "7", "source": "officer"},
    )  # fmt: skip
    assert EntryParent.objects.get().hours_per_week is None


@time_machine.travel(NOW, tick=False)
def test_a_change_the_parent_notified_is_recorded_with_its_date(officer_client: Client) -> None:
    entry = entry_for(child())
    url = reverse("cnis:entry_action", args=[entry.pk, "change"])
    officer_client.post(url, {**day("notified_on", TODAY), "details": "Moved to 4 Ash Road"})
    officer_client.post(url, {**day("notified_on", TODAY), "details": "Moved to 4 Ash Road"})
    notice = ChangeNotice.objects.get()  # sent twice (a double click): recorded once
    assert notice.notified_on == TODAY
    found = errors(officer_client.post(url, {**day("notified_on", TODAY + timedelta(days=1)),
                                             "details": "x"}))  # fmt: skip
    assert "notified_on" in found


# ------------------------------------------------------------ s436E requests, chased


def test_a_provider_request_goes_through_the_outbox_and_is_chased_once(officer: User) -> None:
    entry = entry_for(child())
    provider = provider_for(
        entry, name="Bright Tutors", address="1 High St", email="office@bright.example"
    )
    with time_machine.travel(NOW, tick=False):
        request = provider_request_send(provider=provider, by=officer)
        again = provider_request_send(provider=provider, by=officer)
    assert again.pk == request.pk
    assert request.due_on == TODAY + timedelta(days=15)
    assert OutboxEmail.objects.filter(to="office@bright.example").count() == 1
    body = OutboxEmail.objects.get().body
    assert entry.child.last_name not in body  # no child's name to a provider
    # On the deadline: not chased yet. The day after: chased, once, however often it runs.
    assert run_job("cnis_chase", today=request.due_on).flagged == []
    first = run_job("cnis_chase", today=request.due_on + timedelta(days=1))
    second = run_job("cnis_chase", today=request.due_on + timedelta(days=1))
    assert first.flagged == [f"CNIS-REQ-{request.pk}"]
    assert second.flagged == []
    assert OutboxEmail.objects.filter(to="office@bright.example").count() == 2


def test_an_answered_request_is_not_chased(officer: User) -> None:
    entry = entry_for(child())
    provider = provider_for(entry)
    request = ProviderRequest.objects.create(
        provider=provider, sent_on=TODAY, due_on=TODAY + timedelta(days=15), answered_on=TODAY
    )
    assert run_job("cnis_chase", today=request.due_on + timedelta(days=5)).flagged == []


def test_a_claim_is_one_update_on_its_own_table(officer: User) -> None:
    provider = provider_for(entry_for(child()))
    request = ProviderRequest.objects.create(
        provider=provider, sent_on=TODAY, due_on=TODAY + timedelta(days=15)
    )
    due = ProviderRequest.objects.filter(answered_on__isnull=True)
    assert claim_due(due, "chased_at", "id") == [(request.pk,)]
    assert claim_due(due, "chased_at", "id") == []  # claimed once, however often it runs
    with pytest.raises(ValueError, match="filtered"):
        claim_due(ProviderRequest.objects.all(), "chased_at", "id")
    across = ProviderRequest.objects.filter(provider__name="Bright Tutors")
    with pytest.raises(ValueError, match="own table"):
        claim_due(across, "chased_at", "id")


def test_the_jobs_do_nothing_with_the_setting_off(settings: Settings) -> None:
    settings.CME_CNIS_ENABLED = False
    for name in ("cnis_chase", "cnis_information_overdue", "cnis_home_visits"):
        assert run_job(name, today=TODAY + timedelta(days=100)).flagged == []


def test_a_dry_run_lists_what_each_job_would_flag_and_changes_nothing(officer: User) -> None:
    entry = entry_for(child())
    provider = provider_for(entry)
    request = ProviderRequest.objects.create(
        provider=provider, sent_on=TODAY, due_on=TODAY + timedelta(days=15)
    )
    RegisterEntry.objects.filter(pk=entry.pk).update(information_due_on=TODAY)
    later = TODAY + timedelta(days=16)
    expected = {
        "cnis_chase": [f"CNIS-REQ-{request.pk}"],
        "cnis_information_overdue": [f"CNIS-{entry.pk}"],
        "cnis_home_visits": [f"CNIS-{entry.pk}"],
    }
    for name, flagged in expected.items():
        for _ in range(2):  # a dry run claims nothing, so the second one lists the same
            assert run_job(name, today=later, dry_run=True).flagged == flagged
    request.refresh_from_db()
    entry.refresh_from_db()
    assert request.chased_at is None
    assert entry.notice_route_requested_at is None
    assert entry.visit_overdue_flagged_at is None
    assert not OutboxEmail.objects.filter(to="p@example.org").exists()
    assert not Notification.objects.exists()
    # The real runs then flag exactly what the dry runs listed.
    for name, flagged in expected.items():
        assert run_job(name, today=later).flagged == flagged


# ------------------------------------------------- the home visit and the notice route


@time_machine.travel(NOW, tick=False)
def test_refusing_the_first_visit_starts_the_notice_route_once(
    officer_client: Client, officer: User, routes: list[dict[str, Any]]
) -> None:
    entry = entry_for(child())
    url = reverse("cnis:entry_action", args=[entry.pk, "visit-outcome"])
    officer_client.post(url, {"outcome": "refused", **day("on", TODAY)})
    officer_client.post(url, {"outcome": "refused", **day("on", TODAY)})
    assert routes == [{"child_id": entry.child_id, "reason": REASON_VISIT_REFUSED, "by": officer}]
    entry.refresh_from_db()
    assert entry.notice_route_requested_at is not None


@time_machine.travel(NOW, tick=False)
def test_a_visit_that_took_place_starts_nothing(
    officer_client: Client, routes: list[dict[str, Any]]
) -> None:
    entry = entry_for(child())
    url = reverse("cnis:entry_action", args=[entry.pk, "visit-outcome"])
    officer_client.post(url, {"outcome": "visited", **day("on", TODAY)})
    assert routes == []


def test_information_not_given_by_its_deadline_starts_the_notice_route(
    officer: User, routes: list[dict[str, Any]]
) -> None:
    entry = entry_for(child())
    from cnis.services import information_request_record

    information_request_record(entry=entry, requested_on=TODAY, by=officer)
    entry.refresh_from_db()
    due = entry.information_due_on
    assert due == TODAY + timedelta(days=15)
    assert run_job("cnis_information_overdue", today=due).flagged == []
    late = due + timedelta(days=1)
    assert run_job("cnis_information_overdue", today=late).flagged == [f"CNIS-{entry.pk}"]
    assert run_job("cnis_information_overdue", today=late).flagged == []
    assert routes == [
        {"child_id": entry.child_id, "reason": REASON_INFORMATION_NOT_GIVEN, "by": None}
    ]


@pytest.mark.parametrize(("days", "flagged"), [(15, False), (16, True)])
def test_a_visit_not_asked_for_within_15_days_is_flagged(
    officer: User, manager: User, days: int, flagged: bool
) -> None:
    entry = entry_for(child())
    result = run_job("cnis_home_visits", today=TODAY + timedelta(days=days))
    assert (result.flagged == [f"CNIS-{entry.pk}"]) is flagged
    assert Notification.objects.filter(user=officer).exists() is flagged


@time_machine.travel(NOW, tick=False)
def test_the_visit_request_cannot_be_before_registration(officer_client: Client) -> None:
    entry = entry_for(child())
    url = reverse("cnis:entry_action", args=[entry.pk, "visit-request"])
    response = officer_client.post(url, day("requested_on", TODAY - timedelta(days=1)))
    assert "on or after the day the child was registered" in response.content.decode()
    officer_client.post(url, day("requested_on", TODAY))
    entry.refresh_from_db()
    assert entry.visit_requested_on == TODAY


# ----------------------------------------------------------------- export and lists


@time_machine.travel(NOW, tick=False)
def test_the_csv_has_the_s436c_fields_neutralised_and_restricted_addresses_withheld(
    officer_client: Client,
) -> None:
    hostile = entry_for(child(first_name="=HYPERLINK(1)", child_protection_plan=True))
    EntryParent.objects.create(
        entry=hostile, name="+Mum", address="1 Road", provides_education=True, hours_per_week=5
    )
    hidden = entry_for(child(first_name="Hidden", restricted=True, address_line_1="Refuge 1"))
    response = officer_client.get(reverse("cnis:register_csv"))
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode())))
    header, *body = rows
    assert "Home address" in header
    assert "Reason for eligibility" in header
    by_entry = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    first = by_entry[f"CNIS-{hostile.pk}"]
    assert first["First name"] == "'=HYPERLINK(1)"
    assert first["Parents (name; address; provides education; hours a week)"].startswith("'+Mum")
    assert first["Child protection plan"] == "Yes"
    assert first["Source of the above"] == "The local authority's records"
    assert by_entry[f"CNIS-{hidden.pk}"]["Home address"] == WITHHELD
    assert "Refuge 1" not in str(rows)
    assert AccessLog.objects.filter(action=AccessAction.EXPORT_REGISTER_CSV).count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_restricted_entry_opens_only_with_a_reason(officer_client: Client) -> None:
    entry = entry_for(child(restricted=True))
    response = officer_client.get(reverse("cnis:entry", args=[entry.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("cases:open_restricted", kwargs={"child_id": entry.child_id})
    )


@time_machine.travel(NOW, tick=False)
def test_the_register_takes_a_constant_number_of_queries(
    officer_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(8):
        e = entry_for(child(first_name=f"Child{n}"))
        EntryParent.objects.create(entry=e, name="P", address="A", provides_education=False)
        PartTimeTimetableFactory.create(start_date=TODAY - timedelta(days=3))
    with django_assert_max_num_queries(14):
        page = officer_client.get(REGISTER)
    assert page.content.decode().count("CNIS-") >= 8
    with django_assert_max_num_queries(10):
        exported = officer_client.get(reverse("cnis:register_csv"))
        assert isinstance(exported, StreamingHttpResponse)
        b"".join(exported.streaming_content)


def test_register_pages_are_not_found_with_the_setting_off(
    settings: Settings, officer_client: Client
) -> None:
    settings.CME_CNIS_ENABLED = False
    assert officer_client.get(REGISTER).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_an_answered_provider_is_not_chased(officer_client: Client, officer: User) -> None:
    entry = entry_for(child())
    provider = provider_for(entry)
    request = provider_request_send(provider=provider, by=officer)
    url = reverse("cnis:provider_answered", args=[entry.pk, provider.pk])
    assert officer_client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.answered_on == TODAY
    assert run_job("cnis_chase", today=request.due_on + timedelta(days=1)).flagged == []
    # Another entry's provider is not found through this entry.
    other = entry_for(child(first_name="Other"))
    assert (
        officer_client.post(
            reverse("cnis:provider_answered", args=[other.pk, provider.pk])
        ).status_code
        == 404
    )
