"""Merging two records of the same child, undoing it, and the child page."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from casework.events import record_event
from casework.models import Case, Child, ChildMerge, Event, EventKind
from casework.services import cases as case_svc
from casework.services import merge as svc
from cme.models import AccessAction, AccessLog, Role, User
from tests.factories import CaseFactory, ChildFactory, UserFactory
from tests.support.people import person

pytestmark = pytest.mark.usefixtures("frozen")

# kept, duplicate, kept_case, dup_cases, dup_events
Pair = tuple[Child, Child, Case, list[Case], list[Event]]


@pytest.fixture
def pair(officer: User) -> Pair:
    """Two records of Sam Smith: the kept one with an open case, the duplicate with two closed
    cases."""
    kept = ChildFactory.create(
        **person("Sam Smith", upn="", nhs_number="", date_of_birth=None, looked_after=False)
    )
    duplicate = ChildFactory.create(
        **person("Samuel Smith", upn="A123456789012", nhs_number="943 476 5919"),
        date_of_birth=date(2014, 2, 3),
        looked_after=True,
    )
    kept_case = CaseFactory.create(child=kept)
    # The duplicate's cases are closed: a child has one open case (case_one_open_per_child),
    # so a merge of two records that both have one is refused (tested below).
    dup_cases = [
        CaseFactory.create(
            child=duplicate,
            status="closed",
            outcome="moved_abroad",
            outcome_country="Spain",
            closed_at="2026-02-01T00:00Z",
        ),
        CaseFactory.create(
            child=duplicate, status="closed", outcome="died", closed_at="2026-01-01T00:00Z"
        ),
    ]
    record_event(child=kept, case=kept_case, kind=EventKind.NOTE, summary="kept note")
    dup_events = [
        record_event(child=duplicate, case=dup_cases[0], kind=EventKind.NOTE, summary="dup note"),
        record_event(child=duplicate, kind=EventKind.RETURN, summary="dup return"),
    ]
    return kept, duplicate, kept_case, dup_cases, dup_events


#: Sam and Samuel Smith share a surname and an address: a possible twin or sibling, merged
#: only with this second reason (casework.twins).
SAM_IS_SAMUEL = "Samuel is known as Sam at school; the same UPN"
#: The merge page's answers that keep this record.
KEEP_THIS_ANSWERS = {
    "keep": "this",
    "reason": "Same UPN",
    "twin_or_sibling_reason": SAM_IS_SAMUEL,
    "confirm": "on",
}


def merge(pair: Pair, manager: User, reason: str = "Same UPN on the school's return") -> ChildMerge:
    kept, duplicate, *_ = pair
    return svc.child_merge(
        kept=kept,
        merged=duplicate,
        by=manager,
        reason=reason,
        twin_or_sibling_reason=SAM_IS_SAMUEL,
    )


# -- services ---------------------------------------------------------------------------


def test_merging_two_records_that_both_have_an_open_case_is_refused(
    pair: Pair, manager: User
) -> None:
    _, duplicate, *_ = pair
    second = CaseFactory.create(child=duplicate)
    with pytest.raises(svc.MergeError, match="Both records have an open case"):
        merge(pair, manager)
    assert Case.objects.get(pk=second.pk).child_id == duplicate.pk
    assert Child.objects.get(pk=duplicate.pk).merged_into_id is None
    assert not ChildMerge.objects.exists()


def test_the_database_keeps_one_open_case_per_child(pair: Pair) -> None:
    from django.db import IntegrityError, transaction

    kept, *_ = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory.create(child=kept)


def test_merging_moves_cases_and_events_copies_identifiers_and_ors_flags(
    pair: Pair, manager: User
) -> None:
    kept, duplicate, kept_case, dup_cases, dup_events = pair
    result = merge(pair, manager)

    assert sorted(result.moved_case_ids) == sorted(c.pk for c in dup_cases)
    assert sorted(result.moved_event_ids) == sorted(e.pk for e in dup_events)
    assert set(Case.objects.filter(child=kept).values_list("pk", flat=True)) == {
        kept_case.pk,
        *(c.pk for c in dup_cases),
    }
    assert not Event.objects.filter(child=duplicate).exists()
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert (kept.upn, kept.nhs_number, kept.date_of_birth) == (
        "A123456789012",
        "943 476 5919",
        date(2014, 2, 3),
    )
    assert kept.looked_after is True
    assert duplicate.merged_into == kept
    event = Event.objects.get(child=kept, kind=EventKind.MERGED)
    assert event.by == manager
    assert "Same UPN" in event.detail
    assert "2 cases moved" in event.summary


def test_merging_keeps_identifiers_the_kept_record_already_has(pair: Pair, manager: User) -> None:
    kept, *_ = pair
    Child.objects.filter(pk=kept.pk).update(upn="K999999999999")
    kept.refresh_from_db()
    merge(pair, manager)
    kept.refresh_from_db()
    assert kept.upn == "K999999999999"


def test_unmerging_restores_exactly_what_the_merge_moved(
    pair: Pair, manager: User, officer: User
) -> None:
    kept, duplicate, kept_case, dup_cases, _dup_events = pair
    before = {
        "cases": set(Case.objects.filter(child=duplicate).values_list("pk", flat=True)),
        "events": set(Event.objects.filter(child=duplicate).values_list("pk", flat=True)),
        "kept_cases": set(Case.objects.filter(child=kept).values_list("pk", flat=True)),
        "kept_events": set(Event.objects.filter(child=kept).values_list("pk", flat=True)),
    }
    result = merge(pair, manager)
    # After the merge, work goes on: a note on a moved case, a new event on the kept child.
    moved = Case.objects.get(pk=dup_cases[0].pk)
    case_svc.case_note_add(case=moved, by=officer, text="After the merge")
    later = record_event(child=kept, case=kept_case, kind=EventKind.NOTE, summary="later")

    svc.child_unmerge(merge=result, by=manager, reason="Twins, not the same child")

    assert set(Case.objects.filter(child=duplicate).values_list("pk", flat=True)) == before["cases"]
    assert set(Case.objects.filter(child=kept).values_list("pk", flat=True)) == before["kept_cases"]
    back = set(
        Event.objects.filter(child=duplicate)
        .exclude(kind=EventKind.UNMERGED)
        .values_list("pk", flat=True)
    )
    note = Event.objects.get(summary="Note added", case=moved)
    assert back == before["events"] | {note.pk}  # the later note went back with its case
    kept_events = set(
        Event.objects.filter(child=kept)
        .exclude(kind__in=[EventKind.MERGED, EventKind.UNMERGED])
        .values_list("pk", flat=True)
    )
    assert kept_events == before["kept_events"] | {later.pk}
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert (kept.upn, kept.nhs_number, kept.date_of_birth) == ("", "", None)
    assert kept.looked_after is True  # a vulnerability flag is never cleared silently
    result.refresh_from_db()
    assert result.undone_by == manager
    assert result.undone_at is not None
    assert Event.objects.filter(kind=EventKind.UNMERGED, child=kept).count() == 1
    assert Event.objects.filter(kind=EventKind.UNMERGED, child=duplicate).count() == 1


def test_a_merge_cannot_be_undone_twice(pair: Pair, manager: User) -> None:
    result = merge(pair, manager)
    svc.child_unmerge(merge=result, by=manager, reason="Wrong")
    with pytest.raises(svc.MergeError, match=svc.ERROR_ALREADY_UNDONE):
        svc.child_unmerge(merge=result, by=manager, reason="Again")


def test_an_officer_cannot_merge_or_unmerge(pair: Pair, officer: User, manager: User) -> None:
    kept, duplicate, *_ = pair
    with pytest.raises(svc.MergeError, match=svc.ERROR_NOT_A_MANAGER):
        svc.child_merge(kept=kept, merged=duplicate, by=officer, reason="x")
    result = merge(pair, manager)
    with pytest.raises(svc.MergeError, match=svc.ERROR_NOT_A_MANAGER):
        svc.child_unmerge(merge=result, by=officer, reason="x")


def test_a_record_cannot_be_merged_with_itself(pair: Pair, manager: User) -> None:
    kept, *_ = pair
    with pytest.raises(svc.MergeError, match=svc.ERROR_SAME_CHILD):
        svc.child_merge(kept=kept, merged=kept, by=manager, reason="x")


def test_an_already_merged_record_cannot_be_merged_again(pair: Pair, manager: User) -> None:
    _kept, duplicate, *_ = pair
    merge(pair, manager)
    third = ChildFactory.create()
    with pytest.raises(svc.MergeError, match=svc.ERROR_ALREADY_MERGED):
        svc.child_merge(kept=third, merged=duplicate, by=manager, reason="x")
    with pytest.raises(svc.MergeError, match=svc.ERROR_ALREADY_MERGED):
        svc.child_merge(kept=duplicate, merged=third, by=manager, reason="x")


def test_a_merge_needs_a_reason(pair: Pair, manager: User) -> None:
    with pytest.raises(svc.MergeError, match=svc.ERROR_REASON_REQUIRED):
        merge(pair, manager, reason="  ")
    assert not ChildMerge.objects.exists()


def test_an_undo_is_refused_once_the_kept_record_was_merged_again(
    pair: Pair, manager: User
) -> None:
    kept, *_ = pair
    result = merge(pair, manager)
    svc.child_merge(
        kept=ChildFactory.create(),
        merged=kept,
        by=manager,
        reason="Third record",
        twin_or_sibling_reason="The same child",
    )
    with pytest.raises(svc.MergeError, match=svc.ERROR_KEPT_MERGED_SINCE):
        svc.child_unmerge(merge=result, by=manager, reason="x")


# -- pages ------------------------------------------------------------------------------


def test_merge_pages_are_for_managers_only(
    pair: Pair, officer_client: Client, client_a: Client, client: Client
) -> None:
    kept, duplicate, *_ = pair
    urls = [
        reverse("cases:merge_search", args=[kept.pk]),
        reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk]),
    ]
    for url in urls:
        assert officer_client.get(url).status_code == 403
        assert (
            officer_client.post(url, {"keep": "this", "reason": "x", "confirm": "on"}).status_code
            == 403
        )
        assert client_a.get(url).status_code == 403
        assert client.get(url).status_code == 302
    assert not ChildMerge.objects.exists()


def test_undo_page_is_for_managers_only(pair: Pair, manager: User, officer_client: Client) -> None:
    result = merge(pair, manager)
    url = reverse("cases:merge_undo", args=[result.pk])
    assert officer_client.get(url).status_code == 403
    assert officer_client.post(url, {"reason": "x"}).status_code == 403
    result.refresh_from_db()
    assert result.undone_at is None


def test_search_finds_active_children_by_name_dob_or_upn(
    pair: Pair, manager_client: Client, manager: User
) -> None:
    kept, duplicate, *_ = pair
    gone = ChildFactory.create(first_name="Sami", last_name="Smith")
    svc.child_merge(
        kept=duplicate, merged=gone, by=manager, reason="dup", twin_or_sibling_reason="Sami is him"
    )
    url = reverse("cases:merge_search", args=[kept.pk])
    html = manager_client.post(url, {"q": "smith"}).content.decode()
    assert reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk]) in html
    assert reverse("cases:merge_confirm", args=[kept.pk, gone.pk]) not in html  # merged away
    assert reverse("cases:merge_confirm", args=[kept.pk, kept.pk]) not in html  # itself
    for q in ("03/02/2014", "A123456789012", "samuel smith"):
        html = manager_client.post(url, {"q": q}).content.decode()
        assert reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk]) in html, q


def test_the_manager_compares_side_by_side_and_merges(pair: Pair, manager_client: Client) -> None:
    kept, duplicate, *_ = pair
    url = reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk])
    html = manager_client.get(url).content.decode()
    assert "Samuel Smith" in html
    assert "A123456789012" in html
    assert "Merge records" in html
    html = manager_client.post(url, {"keep": "this"}).content.decode()
    assert svc.ERROR_REASON_REQUIRED in html
    assert "Confirm that the two records" in html
    response = manager_client.post(url, KEEP_THIS_ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:child", args=[kept.pk])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept


def test_the_manager_can_keep_the_other_record(pair: Pair, manager_client: Client) -> None:
    kept, duplicate, *_ = pair
    url = reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk])
    manager_client.post(
        url,
        {
            "keep": "other",
            "reason": "Same UPN",
            "twin_or_sibling_reason": SAM_IS_SAMUEL,
            "confirm": "on",
        },
    )
    kept.refresh_from_db()
    assert kept.merged_into == duplicate


def test_a_merged_record_cannot_be_picked(
    pair: Pair, manager: User, manager_client: Client
) -> None:
    _kept, duplicate, *_ = pair
    merge(pair, manager)
    third = ChildFactory.create()
    assert (
        manager_client.get(
            reverse("cases:merge_confirm", args=[third.pk, duplicate.pk])
        ).status_code
        == 404
    )
    assert manager_client.get(reverse("cases:merge_search", args=[duplicate.pk])).status_code == 404


def test_the_chronology_lists_merges_with_an_undo_button_for_managers(
    pair: Pair, manager: User, manager_client: Client, officer_client: Client
) -> None:
    kept, duplicate, *_ = pair
    result = merge(pair, manager)
    url = reverse("cases:chronology", args=[kept.pk])
    undo = reverse("cases:merge_undo", args=[result.pk])
    html = manager_client.get(url).content.decode()
    assert "Records merged into this one" in html
    assert undo in html
    assert "Merge with another record" in html
    html = officer_client.get(url).content.decode()
    assert "Records merged into this one" in html
    assert undo not in html
    assert "Merge with another record" not in html

    assert "Undo merge" in manager_client.get(undo).content.decode()
    html = manager_client.post(undo, {"reason": ""}).content.decode()
    assert svc.ERROR_REASON_REQUIRED in html
    response = manager_client.post(undo, {"reason": "Not the same child"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    html = manager_client.get(url).content.decode()
    assert "Undone 23 Nov 2026" in html
    assert undo not in html


def test_the_child_page_shows_identity_and_cases(
    pair: Pair, officer_client: Client, manager_client: Client
) -> None:
    _kept, duplicate, _kept_case, dup_cases, _ = pair
    html = officer_client.get(reverse("cases:child", args=[duplicate.pk])).content.decode()
    assert "Samuel Smith" in html
    assert "A123456789012" in html
    assert "Looked after" in html
    assert dup_cases[0].reference in html
    assert dup_cases[1].reference in html
    assert reverse("cases:chronology", args=[duplicate.pk]) in html
    assert "Merge with another record" not in html
    html = manager_client.get(reverse("cases:child", args=[duplicate.pk])).content.decode()
    assert reverse("cases:merge_search", args=[duplicate.pk]) in html


def test_a_merged_away_child_redirects_to_the_kept_record(
    pair: Pair, manager: User, officer_client: Client
) -> None:
    kept, duplicate, *_ = pair
    merge(pair, manager)
    response = officer_client.get(reverse("cases:child", args=[duplicate.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:child", args=[kept.pk])


def test_the_child_page_by_persona(
    pair: Pair, client: Client, client_a: Client, officer_client: Client
) -> None:
    kept, *_ = pair
    url = reverse("cases:child", args=[kept.pk])
    assert client.get(url).status_code == 302
    assert client_a.get(url).status_code == 403
    assert officer_client.get(url).status_code == 200
    assert officer_client.get(reverse("cases:child", args=[999999])).status_code == 404


@pytest.mark.parametrize("rows", [2, 30])
def test_the_child_page_runs_a_constant_number_of_queries(
    rows: int, officer_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    child = ChildFactory.create()
    cases = []
    for i in range(rows):
        closed = dict(status="closed", outcome="died", closed_at="2026-01-01T00:00Z")
        cases.append(
            CaseFactory.create(
                child=child,
                # Each with its own officer: the names come with the cases, not one by one.
                allocated_to=UserFactory.create(role=Role.OFFICER),
                **(closed if i else {}),  # one open case per child
            )
        )
    # session, user, child, the access log row, the cases, the unread count, the session save
    # (+ 4 savepoints)
    with django_assert_max_num_queries(11):
        response = officer_client.get(reverse("cases:child", args=[child.pk]))
    assert response.status_code == 200
    assert len(response.context["current"]) + len(response.context["past"]) == rows
    html = response.content.decode()
    assert all(
        c.reference in html
        and c.allocated_to is not None
        and escape(c.allocated_to.full_name) in html
        for c in cases
    )


@pytest.mark.parametrize("rows", [2, 30])
def test_the_merge_search_runs_a_constant_number_of_queries(
    rows: int, manager_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    kept = ChildFactory.create(first_name="Sam", last_name="Jones")
    for i in range(rows):
        ChildFactory.create(first_name=f"Sam{i:02d}", last_name="Smith", restricted=bool(i % 2))
    url = reverse("cases:merge_search", args=[kept.pk])
    # session, user, child, the results, the access log row, the unread count, the session
    # save (+ 4 savepoints)
    with django_assert_max_num_queries(11):
        response = manager_client.post(url, {"q": "smith"})
    assert response.status_code == 200
    assert response.content.decode().count('">Compare<span') == rows


# -- what the merge pages show, and who saw it ------------------------------------------------


def test_the_search_is_sent_by_post_so_no_name_ends_up_in_a_url(
    pair: Pair, manager_client: Client
) -> None:
    kept, duplicate, *_ = pair
    url = reverse("cases:merge_search", args=[kept.pk])
    html = manager_client.get(url).content.decode()
    assert '<form method="post"' in html
    assert "csrfmiddlewaretoken" in html
    # A name in a query string is not searched for (and so not echoed back).
    html = manager_client.get(url, {"q": "smith"}).content.decode()
    assert reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk]) not in html
    assert "Records found" not in html
    html = manager_client.post(url, {"q": "smith"}).content.decode()
    assert reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk]) in html
    assert 'value="smith"' in html  # what was typed stays in the box


def test_the_search_and_its_results_are_in_the_access_log(
    pair: Pair, manager_client: Client, manager: User
) -> None:
    kept, *_ = pair
    url = reverse("cases:merge_search", args=[kept.pk])
    manager_client.post(url, {"q": "smith"})
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.child_id) == (manager, AccessAction.VIEW_CHILD, kept.pk)
    assert row.detail == "merge search, records shown: 1"
    assert "smith" not in row.path
    assert "smith" not in row.detail.lower()


def test_comparing_logs_a_view_of_both_records(
    pair: Pair, manager_client: Client, manager: User
) -> None:
    kept, duplicate, *_ = pair
    manager_client.get(reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk]))
    seen = sorted(AccessLog.objects.values_list("child_id", "action", "user_id"))
    assert seen == sorted(
        [
            (kept.pk, AccessAction.VIEW_CHILD, manager.pk),
            (duplicate.pk, AccessAction.VIEW_CHILD, manager.pk),
        ]
    )


@pytest.mark.parametrize("which", ["this", "other"])
def test_a_restricted_record_is_compared_only_after_a_reason(
    pair: Pair, manager_client: Client, which: str
) -> None:
    kept, duplicate, *_ = pair
    restricted = kept if which == "this" else duplicate
    Child.objects.filter(pk=restricted.pk).update(
        restricted=True, address_line_1="1 Refuge Road", postcode="ZZ1 1ZZ"
    )
    url = reverse("cases:merge_confirm", args=[kept.pk, duplicate.pk])
    response = manager_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:open_restricted", args=[restricted.pk]))
    assert not AccessLog.objects.filter(action=AccessAction.VIEW_CHILD).exists()
    # A merge cannot be posted past the reason page either.
    response = manager_client.post(url, KEEP_THIS_ANSWERS)
    assert response.status_code == 302
    assert not ChildMerge.objects.exists()
    manager_client.post(
        reverse("cases:open_restricted", args=[restricted.pk]), {"reason": "Merge check"}
    )
    html = manager_client.get(url).content.decode()
    assert "1 Refuge Road" in html


def test_the_undo_page_logs_a_view_of_both_records(
    pair: Pair, manager: User, manager_client: Client
) -> None:
    kept, duplicate, *_ = pair
    result = merge(pair, manager)
    manager_client.get(reverse("cases:merge_undo", args=[result.pk]))
    # child_id is nullable on AccessLog, but both rows here have one.
    assert sorted(AccessLog.objects.values_list("child_id", flat=True)) == sorted(  # type: ignore[type-var]
        [kept.pk, duplicate.pk]
    )


def test_merging_and_undoing_leave_a_history_row_for_each_moved_case(
    pair: Pair, manager: User
) -> None:
    kept, duplicate, _, dup_cases, _ = pair
    result = merge(pair, manager)
    for case in dup_cases:
        latest = case.history.latest()
        assert (latest.child_id, latest.history_user) == (kept.pk, manager)
    svc.child_unmerge(merge=result, by=manager, reason="Different children after all")
    for case in dup_cases:
        latest = case.history.latest()
        assert (latest.child_id, latest.history_user) == (duplicate.pk, manager)
        assert case.history.count() >= 3  # created, moved, moved back
