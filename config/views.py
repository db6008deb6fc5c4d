"""Project wiring's own view: where each role starts (it names every app's URLs)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cme.access import signed_in


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the screen their role starts from."""
    user = request.user
    if user.is_school_staff:  # type: ignore[union-attr]
        return redirect("schools:home")
    if user.is_caseworker:  # type: ignore[union-attr]
        return redirect("cases:my_cases")
    if user.is_ehe_worker:  # type: ignore[union-attr]
        return redirect("ehe:home")
    return redirect("schools:la_returns")
