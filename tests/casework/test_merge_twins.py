"""A merge of two records that may be twins or siblings warns and needs a second, explicit
reason (issue 14, item 2); a merge of two records of one name asks nothing more."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from casework.matching import child_keys_save
from casework.models import Child, ChildMerge, Event, EventKind
from casework.services import merge as svc
from cme.models import User
from tests.factories import ChildFactory

pytestmark = pytest.mark.usefixtures("frozen")

DOB = date(2015, 5, 3)


def child(first: str, **kwargs: Any) -> Child:
    fields: dict[str, Any] = {
        "last_name": "Khan",
        "date_of_birth": DOB,
        "address_line_1": "7 Wren Street",
        "postcode": "EX4 6TU",
        **kwargs,
    }
    return child_keys_save(ChildFactory.create(first_name=first, **fields))


def confirm_url(this: Child, other: Child) -> str:
    return reverse("cases:merge_confirm", args=[this.pk, other.pk])


def test_the_compare_page_warns_that_twins_may_be_two_children(manager_client: Client) -> None:
    amir, zara = child("Amir"), child("Zara")
    html = manager_client.get(confirm_url(amir, zara)).content.decode()
    assert "These records may be twins or siblings" in html
    assert "Possible twin or sibling" in html
    assert "First name: Amir / Zara" in html
    assert 'name="twin_or_sibling_reason"' in html
    assert "not twins or siblings" in html  # the confirmation says so too


def test_merging_twins_without_the_second_reason_shows_the_error_and_keeps_the_answers(
    manager_client: Client,
) -> None:
    amir, zara = child("Amir"), child("Zara")
    response = manager_client.post(
        confirm_url(amir, zara),
        {"keep": "other", "reason": "Same UPN on both returns", "confirm": "on"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert svc.ERROR_TWIN_REASON_REQUIRED in html
    assert 'href="#id_twin_or_sibling_reason"' in html
    assert "Same UPN on both returns" in html  # what was typed is kept
    assert re.search(r'value="other"\s+checked', html)
    assert not ChildMerge.objects.exists()
    amir.refresh_from_db()
    assert amir.merged_into is None


def test_merging_twins_with_the_second_reason_keeps_it_on_the_merge(
    manager_client: Client,
) -> None:
    amir, zara = child("Amir"), child("Zara")
    why = "Zara's school confirmed there is one child; Amir was a typing error"
    response = manager_client.post(
        confirm_url(amir, zara),
        {
            "keep": "other",
            "reason": "Same UPN on both returns",
            "twin_or_sibling_reason": why,
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    merge = ChildMerge.objects.get()
    assert (merge.kept, merge.merged) == (zara, amir)
    assert merge.twin_or_sibling_reason == why
    assert merge.twin_or_sibling_differences == ["First name: Zara / Amir"]
    event = Event.objects.get(kind=EventKind.MERGED)
    assert why in event.detail
    assert "First name: Zara / Amir" in event.detail


def test_the_service_refuses_twins_without_the_second_reason(manager: User) -> None:
    amir, zara = child("Amir"), child("Zara")
    with pytest.raises(svc.MergeError, match=svc.ERROR_TWIN_REASON_REQUIRED):
        svc.child_merge(kept=amir, merged=zara, by=manager, reason="Same UPN")
    with pytest.raises(svc.MergeError, match=svc.ERROR_TWIN_REASON_REQUIRED):
        svc.child_merge(
            kept=amir, merged=zara, by=manager, reason="Same UPN", twin_or_sibling_reason="  "
        )
    assert not ChildMerge.objects.exists()


def test_siblings_born_years_apart_need_the_second_reason_too(manager: User) -> None:
    amir, hassan = child("Amir"), child("Hassan", date_of_birth=date(2011, 2, 1))
    with pytest.raises(svc.MergeError, match=svc.ERROR_TWIN_REASON_REQUIRED):
        svc.child_merge(kept=amir, merged=hassan, by=manager, reason="Same family")


def test_two_records_of_one_name_merge_with_the_one_reason(
    manager_client: Client, manager: User
) -> None:
    first, second = child("Amir"), child("AMIR", address_line_1="7 Wren St")
    html = manager_client.get(confirm_url(first, second)).content.decode()
    assert "twins or siblings" not in html
    assert "twin_or_sibling_reason" not in html
    response = manager_client.post(
        confirm_url(first, second), {"keep": "this", "reason": "Same UPN", "confirm": "on"}
    )
    assert response.status_code == 302
    merge = ChildMerge.objects.get()
    assert (merge.twin_or_sibling_reason, merge.twin_or_sibling_differences) == ("", [])


def test_the_merge_search_marks_a_possible_twin(manager_client: Client) -> None:
    amir, zara = child("Amir"), child("Zara")
    same = child("Amir", address_line_1="7 Wren St")
    html = manager_client.post(
        reverse("cases:merge_search", args=[amir.pk]), {"q": "khan"}
    ).content.decode()
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)
    twin_row = next(r for r in rows if f"record {zara.pk})" in r)
    same_row = next(r for r in rows if f"record {same.pk})" in r)
    assert "Possible twin or sibling" in twin_row
    assert "Possible twin or sibling" not in same_row
