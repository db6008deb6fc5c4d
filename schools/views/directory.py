"""The school picker's search (issue 16 item 2): JSON for the accessible-autocomplete
widget, and a page of results for a browser without JavaScript."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cme.access import acting_user, signed_in
from schools.directory_search import (
    MAX_QUERY,
    MAX_RESULTS,
    MIN_QUERY,
    directory_search,
    school_label,
)
from schools.forms.fields import clean_text
from schools.models import School


def _as_json(school: School) -> dict[str, Any]:
    return {
        "id": school.pk,
        "urn": school.urn,
        "name": school.name,
        "town": school.town,
        "postcode": school.postcode,
        "la_code": school.la_code,
        "is_open": school.is_open,
        "in_area": school.la_code == settings.CME_LA_CODE,
        "label": school_label(school),
    }


def _wants_json(request: HttpRequest) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


@signed_in
@require_GET
def school_search(request: HttpRequest) -> HttpResponse:
    """``?q=`` a name, URN, postcode or town; ``schools=1`` leaves out what is not a school,
    ``area=1`` what is outside the LA and ``open=1`` what has closed (the picker's scope).

    A school's name is public data, not a person's, so the search may be a GET (the widget
    asks as the user types); the words are not logged, as no query string is (LOGGING)."""
    # Control characters out: PostgreSQL refuses a NUL in a query parameter (a 500).
    query = clean_text(request.GET.get("q", ""))[:MAX_QUERY]
    schools_only = request.GET.get("schools") == "1"
    found = directory_search(
        acting_user(request),
        query,
        schools_only=schools_only,
        in_area_only=request.GET.get("area") == "1",
        open_only=request.GET.get("open") == "1",
    )
    results, more = found[:MAX_RESULTS], len(found) > MAX_RESULTS
    if _wants_json(request):
        return JsonResponse(
            {"query": query, "results": [_as_json(s) for s in results], "more": more}
        )
    error = (
        f"Enter at least {MIN_QUERY} characters of the school's name, its URN, postcode or town"
        if "q" in request.GET and len(query) < MIN_QUERY
        else ""
    )
    return render(
        request,
        "schools/school_search.html",
        {
            "query": query,
            "schools_only": schools_only,
            "results": results,
            "headings": ("School", "URN", "Town", "Postcode", "Status"),
            "more": more,
            "error": error,
            "searched": "q" in request.GET and not error,
        },
    )
