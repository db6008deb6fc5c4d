"""The child page, merging two records of the same child (and undoing it), and restricted
records: the reason an officer gives to open one, and a manager's (un)restriction."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from casework.forms_children import KEEP_THIS, MergeForm, UnmergeForm
from casework.forms_restriction import OpenRestrictedForm, RestrictForm
from casework.models import CaseStatus, Child
from casework.presenters import nc_year_label
from casework.restricted import grant_restricted, restricted_gate, restricted_granted
from casework.selectors import children as sel
from casework.services.merge import MergeError, child_merge, child_unmerge
from casework.services.restriction import RestrictionError, child_set_restricted
from casework.twins import twin_or_sibling_differences
from cme.access import acting_user, caseworkers, managers_only
from cme.audit import log_access
from cme.models import AccessAction
from cme.statutory import age_on
from referrals.vocabulary import flag_labels
from schools.forms.fields import clean_text

#: At most this many search results are shown: a search this broad needs more words.
SEARCH_LIMIT = 50


def _identity(child: Child) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "age": age_on(child.date_of_birth, today),
        "nc_year": nc_year_label(child.date_of_birth, today),
        "flags": flag_labels(child),
    }


def comparison(this: Child, other: Child) -> list[tuple[str, str, str]]:
    """The two records side by side: (what, this record, the other record)."""

    def born(c: Child) -> str:
        return f"{c.date_of_birth:%-d %B %Y}" if c.date_of_birth else "Not known"

    def address(c: Child) -> str:
        parts = (c.address_line_1, c.address_line_2, c.town, c.postcode)
        return ", ".join(p for p in parts if p) or "Not known"

    def cases(c: Child) -> str:
        found = getattr(c, "case_list", None) or list(c.cases.all())
        return "\n".join(f"{k.reference} ({k.get_status_display()})" for k in found) or "None"

    rows = [
        ("Name", this.full_name, other.full_name),
        ("Other names", this.other_names or "None", other.other_names or "None"),
        ("Date of birth", born(this), born(other)),
        (
            "Gender",
            this.get_gender_display() or "Not known",
            other.get_gender_display() or "Not known",
        ),
        ("UPN", this.upn or "Not known", other.upn or "Not known"),
        ("NHS number", this.nhs_number or "Not known", other.nhs_number or "Not known"),
        ("Address", address(this), address(other)),
        (
            "Last school",
            this.last_school.name if this.last_school else "Not known",
            other.last_school.name if other.last_school else "Not known",
        ),
        (
            "Vulnerability",
            "\n".join(flag_labels(this)) or "None recorded",
            "\n".join(flag_labels(other)) or "None recorded",
        ),
        ("Cases", cases(this), cases(other)),
    ]
    return rows


@caseworkers
@require_GET
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    """Identity, current and past cases. A record merged away sends you to the kept one."""
    child, kept = sel.child_page_target(acting_user(request), child_id)
    if kept is not None:
        messages.info(request, f"Record {child.pk} was merged into this record.")
        return redirect("cases:child", child_id=kept.pk)
    gate = restricted_gate(request, child.pk, child.restricted)
    if gate is not None:
        return gate
    log_access(request, AccessAction.VIEW_CHILD, child_id=child.pk, obj=child)
    cases = sel.child_cases(child)
    return render(
        request,
        "casework/child_detail.html",
        {
            "child": child,
            "current": [c for c in cases if c.status == CaseStatus.OPEN],
            "past": [c for c in cases if c.status != CaseStatus.OPEN],
            **_identity(child),
        },
    )


@managers_only
@require_http_methods(["GET", "POST"])
def merge_search(request: HttpRequest, child_id: int) -> HttpResponse:
    """Step 1: find the other record among active children (name, date of birth or UPN).

    The search is sent by POST: a name or a date of birth typed here must not end up in a URL
    (and from there in access logs, proxies and the browser's history)."""
    user = acting_user(request)
    child = sel.active_child(user, child_id)
    # Control characters out: PostgreSQL refuses a NUL in a query parameter (a 500).
    query = clean_text(request.POST.get("q", ""))[:200] if request.method == "POST" else ""
    results = list(sel.active_children_search(user, query, exclude=child)[: SEARCH_LIMIT + 1])
    detail = f"merge search, records shown: {min(len(results), SEARCH_LIMIT)}" if query else ""
    log_access(request, AccessAction.VIEW_CHILD, child_id=child.pk, obj=child, detail=detail)
    return render(
        request,
        "casework/merge_search.html",
        {
            "child": child,
            "query": query,
            "results": results[:SEARCH_LIMIT],
            "more": len(results) > SEARCH_LIMIT,
            # Marked before the comparison page warns, so that a sibling is not picked by eye.
            "twins_or_siblings": {
                o.pk for o in results[:SEARCH_LIMIT] if twin_or_sibling_differences(child, o)
            },
        },
    )


@managers_only
def merge_confirm(request: HttpRequest, child_id: int, other_id: int) -> HttpResponse:
    """Step 2: the two records side by side, which to keep, why, and confirm."""
    user = acting_user(request)
    child = sel.active_child(user, child_id)
    other = sel.active_child(user, other_id)
    # Both records are shown in full (address, UPN, NHS number): a restricted one opens only
    # with a reason, as on the child's own page, and each view is in the access log.
    for record in (child, other):
        gate = restricted_gate(request, record.pk, record.restricted)
        if gate is not None:
            return gate
    for record in (child, other):
        log_access(
            request,
            AccessAction.VIEW_CHILD,
            child_id=record.pk,
            obj=record,
            detail="merge: records compared",
        )
    differs = twin_or_sibling_differences(child, other)
    form_kwargs: dict[str, Any] = {
        "this_label": f"This record: {child.full_name} (record {child.pk})",
        "other_label": f"The other record: {other.full_name} (record {other.pk})",
        "twin_or_sibling": bool(differs),
    }
    if request.method == "POST":
        form = MergeForm(request.POST, **form_kwargs)
        if form.is_valid():
            keep_this = form.cleaned_data["keep"] == KEEP_THIS
            kept, merged = (child, other) if keep_this else (other, child)
            try:
                child_merge(
                    kept=kept,
                    merged=merged,
                    by=user,
                    reason=form.cleaned_data["reason"],
                    twin_or_sibling_reason=form.cleaned_data.get("twin_or_sibling_reason", ""),
                )
            except MergeError as exc:
                form.add_service_error(str(exc))
            else:
                messages.success(
                    request, f"Records merged: record {merged.pk} is now part of this record"
                )
                return redirect("cases:child", child_id=kept.pk)
    else:
        form = MergeForm(initial={"keep": KEEP_THIS}, **form_kwargs)
    return render(
        request,
        "casework/merge_confirm.html",
        {
            "child": child,
            "other": other,
            "rows": comparison(child, other),
            "form": form,
            "twin_or_sibling_differences": differs,
        },
    )


@managers_only
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    user = acting_user(request)
    merge = sel.merge_for_view(user, merge_id)
    for child_id in (merge.kept_id, merge.merged_id):
        log_access(
            request,
            AccessAction.VIEW_CHILD,
            child_id=child_id,
            obj=merge,
            detail="merge: undo page",
        )
    if request.method == "POST":
        form = UnmergeForm(request.POST)
        if form.is_valid():
            try:
                child_unmerge(merge=merge, by=user, reason=form.cleaned_data["reason"])
            except MergeError as exc:
                form.add_service_error(str(exc))
            else:
                messages.success(request, "Merge undone: the two records are separate again")
                return redirect("cases:chronology", child_id=merge.kept_id)
    else:
        form = UnmergeForm()
    return render(request, "casework/merge_undo.html", {"merge": merge, "form": form})


@caseworkers
def open_restricted(request: HttpRequest, child_id: int) -> HttpResponse:
    """The reason page in front of a restricted record. The reason goes into the access log;
    the record stays open for the rest of this session, for this child only."""
    child = sel.active_child(acting_user(request), child_id)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_url.startswith("/"):
        next_url = reverse("cases:child", kwargs={"child_id": child.pk})
    if not child.restricted or restricted_granted(request, child.pk):
        return redirect(next_url)
    if request.method == "POST":
        form = OpenRestrictedForm(request.POST)
        if form.is_valid():
            grant_restricted(request, child.pk, form.cleaned_data["reason"])
            return redirect(next_url)
    else:
        form = OpenRestrictedForm()
    # Only the record number: no name or address until a reason is given.
    return render(
        request,
        "casework/open_restricted.html",
        {"child_id": child.pk, "form": form, "next": next_url},
    )


@managers_only
def restrict(request: HttpRequest, child_id: int) -> HttpResponse:
    """A manager marks a record restricted, or lifts the restriction, giving a reason."""
    user = acting_user(request)
    child = sel.active_child(user, child_id)
    gate = restricted_gate(request, child.pk, child.restricted)
    if gate is not None:
        return gate
    if request.method == "POST":
        form = RestrictForm(request.POST)
        if form.is_valid():
            try:
                child_set_restricted(
                    child=child,
                    restricted=not child.restricted,
                    reason=form.cleaned_data["reason"],
                    by=user,
                )
            except RestrictionError as exc:
                form.add_error("reason", str(exc))
            else:
                done = "Restriction lifted" if child.restricted else "Record restricted"
                messages.success(request, done)
                return redirect("cases:child", child_id=child.pk)
    else:
        form = RestrictForm()
    return render(request, "casework/restrict.html", {"child": child, "form": form})
