"""Local authority staff: every school's returns."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cme.access import acting_user, la_users
from cme.audit import log_access
from cme.models import AccessAction
from schools.filters import ReturnFilter
from schools.presenters import detail_context
from schools.selectors import returns_visible_to


@la_users
def return_list(request: HttpRequest) -> HttpResponse:
    filterset = ReturnFilter(request.GET, queryset=returns_visible_to(acting_user(request)))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    # Like the register: one row per page seen (the list names pupils), not per return on it.
    log_access(request, AccessAction.VIEW_RETURN_LIST, detail=f"page {page.number}")
    return render(
        request,
        "schools/la_return_list.html",
        # `form`: the error summary and the "Error:" title
        {"filter": filterset, "form": filterset.form, "page": page},
    )


@la_users
def return_detail(request: HttpRequest, reference: str) -> HttpResponse:
    school_return = get_object_or_404(returns_visible_to(acting_user(request)), reference=reference)
    log_access(request, AccessAction.VIEW_RETURN, obj=school_return)
    return render(request, "schools/return_detail.html", detail_context(school_return))
