"""Find a child (issue 14 item 3): officers and managers search every child record from the
header; school staff and the public never reach it (403, or sign-in).

No term is ever in a URL or the server's logs: the form is POSTed, the terms are kept in the
session (server-side, gone at sign-out) and the browser is redirected to the results, so that
Back and refresh work without resending the form. Every results page is in the access log
with the terms and the children it showed; opening a result is the child page's own view,
logged there, with the reason page first for a restricted record.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from casework.forms_search import FindChildForm
from casework.selectors.search import RESULT_LIMIT, SearchTerms, find_children
from cme.access import acting_user, caseworkers
from cme.audit import log_access
from cme.models import AccessAction

#: Session key: the last search's terms (a dict of strings), read by the results page.
SESSION_TERMS = "find_child_terms"


@caseworkers
@require_http_methods(["GET", "POST"])
def find_child(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = FindChildForm(request.POST)
        if form.is_valid():
            request.session[SESSION_TERMS] = form.terms().as_json()
            return redirect("cases:find_child_results")
    else:
        form = FindChildForm()
    return render(request, "casework/search.html", {"form": form})


@caseworkers
@require_GET
def find_child_results(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_TERMS)
    if not isinstance(stored, dict) or not stored:
        return redirect("cases:find_child")
    terms = SearchTerms.from_json(stored)
    results = find_children(user=acting_user(request), terms=terms)
    # Who searched, when, for what (by kind, and the terms themselves, which only the audit
    # keeps) and which children the page showed: one row per child, as for every other view.
    log_access(
        request,
        AccessAction.SEARCH_CHILDREN,
        child_ids=[r.child.pk for r in results],
        detail=f"Searched by {', '.join(terms.given())}: {len(results)} found",
        search_terms=terms.as_json(),
    )
    return render(
        request,
        "casework/search.html",
        {
            "form": FindChildForm(initial=FindChildForm.initial_from(terms), legend="Search again"),
            "terms": terms,
            "results": results,
            "limit": RESULT_LIMIT,
        },
    )
