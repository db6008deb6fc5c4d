"""Every filter and list page, with hostile query strings: never a 500, always escaped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import example, given
from hypothesis import strategies as st

from tests.cme.test_access_matrix import World, url_names
from tests.fuzz.conftest import FUZZ, Screen, assert_safe, form_fields, value_for


@dataclass(frozen=True)
class ListPage(Screen):
    params: tuple[str, ...]


COMMON = ("page", "sort", "q")
REGISTER = (
    "category",
    "officer",
    "overdue",
    "age_from",
    "age_to",
    "nc_year",
    "last_school",
    "flags",
    "reason",
    "received_after",
    "received_before",
    *COMMON,
)

LISTS: dict[str, ListPage] = {
    "school returns": ListPage(
        "staff_a", lambda w: reverse("schools:return_list"), ("kind", "status", *COMMON)
    ),
    "LA returns": ListPage(
        "officer",
        lambda w: reverse("schools:la_returns"),
        ("kind", "status", "school", "is_late", "submitted_after", "submitted_before", *COMMON),
    ),
    "triage": ListPage("officer", lambda w: reverse("triage:list"), COMMON),
    "register": ListPage("officer", lambda w: reverse("cases:register"), REGISTER),
    "register CSV": ListPage("officer", lambda w: reverse("cases:register_csv"), REGISTER),
    "register XLSX": ListPage("officer", lambda w: reverse("cases:register_xlsx"), REGISTER),
    "my cases": ListPage("officer", lambda w: reverse("cases:my_cases"), COMMON),
    "team": ListPage("manager", lambda w: reverse("cases:team"), COMMON),
    "chronology": ListPage(
        "officer", lambda w: reverse("cases:chronology", args=[w.child.pk]), ("kind", *COMMON)
    ),
    "merge search": ListPage(
        "manager", lambda w: reverse("cases:merge_search", args=[w.child.pk]), COMMON
    ),
    "notifications": ListPage("officer", lambda w: reverse("notifications"), COMMON),
    "my referrals": ListPage("staff_a", lambda w: reverse("referrals:mine"), COMMON),
    "dashboard": ListPage("manager", lambda w: reverse("dashboard:dashboard"), ("period", *COMMON)),
    "data pack": ListPage(
        "manager", lambda w: reverse("dashboard:data_pack"), ("period", "suppress", *COMMON)
    ),
    "report runs": ListPage("manager", lambda w: reverse("reports:runs"), COMMON),
}


def _always(url: str) -> Callable[[World], str]:
    return lambda w: url


def _audit_lists() -> dict[str, ListPage]:
    """The audit trail's list pages, if the audit work has landed (it is being added now)."""
    found: dict[str, ListPage] = {}
    for name, pattern in url_names().items():
        if "audit" not in name and not str(pattern.pattern).startswith("audit"):
            continue
        if "<" in str(pattern.pattern):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        found[name] = ListPage(
            "manager",
            _always(url),
            (
                "user",
                "action",
                "child",
                "q",
                "date_from",
                "date_to",
                "after",
                "before",
                "from",
                "to",
                "page",
                "sort",
            ),
        )
    return found


LISTS.update(_audit_lists())


#: A query string names a parameter once or many times (a multiple choice filter).
def _query(params: tuple[str, ...]) -> st.SearchStrategy[dict[str, list[str]]]:
    return st.fixed_dictionaries(
        {},
        optional={p: st.lists(value_for(p, []), min_size=1, max_size=3) for p in params},
    )


@pytest.mark.parametrize(("label", "page"), LISTS.items(), ids=list(LISTS))
def test_no_filter_falls_over_on_hostile_query_strings(
    label: str, page: ListPage, world: World, clients: dict[str, Client], nul_guard: list[str]
) -> None:
    client, url, first = page.open(world, clients)
    if "html" in first.get("Content-Type", ""):
        # Whatever the page's own filter form asks, as well as the usual parameters.
        on_page = tuple(form_fields(first.content.decode()))
        page = ListPage(page.persona, page.url, tuple(dict.fromkeys(page.params + on_page)))

    @FUZZ
    @given(query=_query(page.params))
    @example(query={p: ["<script>alert(1)</script>"] for p in page.params})
    @example(query={p: ["a\x00b"] for p in page.params})
    @example(query={p: ["9" * 30] for p in page.params})
    @example(query={p: ["0001-01-01"] for p in page.params})
    @example(query={p: ["9999-12-31"] for p in page.params})
    @example(query={p: ["1e10"] for p in page.params})
    @example(query={p: ["-1"] for p in page.params})
    def run(query: dict[str, list[str]]) -> None:
        nul_guard.clear()
        response = client.get(url, query)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # a streamed export fails while streaming
        assert_safe(response, query)
        assert not nul_guard, f"{label}: a NUL reached the database"

    run()
