"""The managers' "Emails not delivered" page (issue 12, A1): the outbox's failed and
long-pending emails, and those GOV.UK Notify read back as not delivered, each with a "Try
again"; and "Emails sent", each with Notify's delivery status where Notify sent it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cme import outbox
from cme.access import managers_only
from cme.models import OutboxEmail, OutboxState

#: What the two lists show of a row (never the body or a letter's address).
SHOWN = (
    "channel",
    "to",
    "subject",
    "state",
    "attempts",
    "last_error",
    "created_at",
    "next_attempt_at",
    "sent_at",
    "provider",
    "delivery_status",
    "status_checked_at",
)


@managers_only
def emails_not_delivered(request: HttpRequest) -> HttpResponse:
    rows = (
        OutboxEmail.objects.filter(outbox.not_delivered())
        .only(*SHOWN)
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "cme/emails_not_delivered.html", {"page": page})


@managers_only
def emails_sent(request: HttpRequest) -> HttpResponse:
    rows = (
        OutboxEmail.objects.filter(state=OutboxState.SENT).only(*SHOWN).order_by("-sent_at", "-id")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "cme/emails_sent.html", {"page": page})


@managers_only
@require_POST
def emails_retry(request: HttpRequest, pk: int) -> HttpResponse:
    if outbox.retry(pk):
        messages.success(request, "The email will be sent again in the next minute")
    else:
        messages.info(request, "That email is no longer waiting: it has been sent or is being sent")
    return redirect("emails_not_delivered")
