from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path

from casework.views import cases, children, register

app_name = "cases"


def _under(prefix: str) -> Callable[[str, Callable[..., Any], str], URLPattern]:
    """Patterns under one prefix (kept flat: each names its own parameters)."""

    def route(rest: str, view: Callable[..., Any], name: str) -> URLPattern:
        return path(prefix + rest, view, name=name)

    return route


_case = _under("cases/<str:reference>/")
_child = _under("children/<int:child_id>/")

urlpatterns: list[URLPattern] = [
    path("register/", register.register, name="register"),
    path("register/export.csv", register.register_csv, name="register_csv"),
    path("register/export.xlsx", register.register_xlsx, name="register_xlsx"),
    path("my-cases/", register.my_cases, name="my_cases"),
    path("team/", register.team, name="team"),
    # The case page's sections and its action pages.
    _case("", cases.case_detail, "detail"),
    _case("enquiries/", cases.case_enquiries, "enquiries"),
    _case("notes/", cases.case_notes, "notes"),
    _case("enquiries/new/", cases.enquiry_new, "enquiry_new"),
    _case("referral/", cases.case_referral, "referral"),
    _case("returns/", cases.case_returns, "returns"),
    _case("allocate/", cases.allocate, "allocate"),
    _case("pick-up/", cases.pick_up, "pick_up"),
    _case("notes/new/", cases.note_new, "note_new"),
    _case("investigation/complete/", cases.investigation_complete, "investigation_complete"),
    _case("category/", cases.category_change, "category"),
    _case("cme-details/", cases.cme_details, "cme_details"),
    _case("escalate/", cases.escalate, "escalate"),
    _case("close/", cases.close, "close"),
    _case("reopen/", cases.reopen, "reopen"),
    # The child record, its chronology, restriction and merging.
    _child("", children.child_detail, "child"),
    _child("chronology/", cases.chronology, "chronology"),
    _child("open/", children.open_restricted, "open_restricted"),
    _child("restrict/", children.restrict, "restrict"),
    _child("merge/", children.merge_search, "merge_search"),
    _child("merge/<int:other_id>/", children.merge_confirm, "merge_confirm"),
    path("merges/<int:merge_id>/undo/", children.merge_undo, name="merge_undo"),
]
