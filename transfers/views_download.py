"""The other LA's download page (public, tokenised): the link from the email, the team's
address to confirm, then the file (ADR 015)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cme import limits
from cme.access import public
from cme.formats import govuk_time
from transfers import selectors as sel
from transfers import services as svc
from transfers.forms import ConfirmEmailForm
from transfers.models import Transfer
from transfers.presenters import transfer_file

logger = logging.getLogger(__name__)


#: cme.limits scope: wrong email addresses typed on a transfer's download page, per transfer.
#: Counted in the database, so the limit holds across workers and with Redis down.
WRONG_EMAIL = "transfer-download-email"


def _locked_until(transfer: Transfer) -> str | None:
    """None while wrong addresses may still be typed for this transfer's link; once
    CME_TRANSFER_DOWNLOAD_GUESSES is reached, when the next try is allowed ("" if unknown)."""
    count, window = limits.rate("CME_TRANSFER_DOWNLOAD_GUESSES")
    key = str(transfer.pk)
    if limits.hits(WRONG_EMAIL, key, window) < count:
        return None
    free_at = limits.free_at(WRONG_EMAIL, key, window)
    return "" if free_at is None else govuk_time(free_at + timedelta(minutes=1))


@public
@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, token: str) -> HttpResponse | FileResponse:
    """The other LA's page: the link from the email, the team's address to confirm, then the
    file. An unknown token is a 404; an expired link says so and serves nothing; after
    CME_TRANSFER_DOWNLOAD_GUESSES wrong addresses the link takes none for a while (429)."""
    transfer = sel.transfer_by_token(token)
    expired = timezone.now() > transfer.link_expires_at
    locked = None if expired else _locked_until(transfer)
    answering = request.method == "POST" and not expired and locked is None
    form = ConfirmEmailForm(request.POST if answering else None)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["email"].strip().lower() == transfer.to_la.cme_email.lower():
            limits.clear(WRONG_EMAIL, str(transfer.pk))
            svc.transfer_downloaded(transfer=transfer, file=form.cleaned_data["file"])
            return transfer_file(transfer, form.cleaned_data["file"])
        window = limits.rate("CME_TRANSFER_DOWNLOAD_GUESSES")[1]
        limits.hit(WRONG_EMAIL, str(transfer.pk), window)
        locked = _locked_until(transfer)
        if locked is None:
            form.add_error("email", "Enter the email address this link was sent to")
        else:
            logger.warning("Transfer %s: download link locked after wrong emails", transfer.pk)
    status = 410 if expired else 429 if locked is not None else 200
    return render(
        request,
        "transfers/download.html",
        {"transfer": transfer, "form": form, "expired": expired, "locked": locked},
        status=status,
    )
