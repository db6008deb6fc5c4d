"""The managers' "Emails not delivered" page (issue 12, A1): the outbox's failed and
long-pending emails, each with a "Try again"."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cme import outbox
from cme.access import managers_only
from cme.models import OutboxEmail


@managers_only
def emails_not_delivered(request: HttpRequest) -> HttpResponse:
    rows = (
        OutboxEmail.objects.filter(outbox.not_delivered())
        .only("to", "subject", "state", "attempts", "last_error", "created_at", "next_attempt_at")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "cme/emails_not_delivered.html", {"page": page})


@managers_only
@require_POST
def emails_retry(request: HttpRequest, pk: int) -> HttpResponse:
    if outbox.retry(pk):
        messages.success(request, "The email will be sent again in the next minute")
    else:
        messages.info(request, "That email is no longer waiting: it has been sent or is being sent")
    return redirect("emails_not_delivered")
