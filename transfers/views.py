"""The transfer pages: a case's transfers, send one (form, check your answers, sent), a
transfer's page with its files and the other LA's answer, the list of every transfer, the
upload of a transfer received; the other LA's download page is
`views_download`."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from casework.models import Case, CaseStatus, Outcome
from casework.restricted import restricted_gate
from casework.selectors import cases as case_sel
from cme.access import acting_user, caseworkers
from cme.audit import log_access
from cme.models import AccessAction
from cme.uploads import upload_too_big
from schools.ctf.parser import CtfError
from transfers import receiving
from transfers import selectors as sel
from transfers import services as svc
from transfers.build import transfer_message
from transfers.ctf import TransferFileError
from transfers.forms import AnswerForm, ReceivedUploadForm, TransferForm
from transfers.models import LocalAuthority, Transfer, TransferTrigger
from transfers.presenters import transfer_file

logger = logging.getLogger(__name__)

#: Session key of the send form's answers, per case, until "Send transfer".
DRAFT = "transfer_draft"


def trigger_for(case: Case) -> TransferTrigger | None:
    """Why this case can be transferred: it closed as moved to another LA, or it is open (the
    child's whereabouts believed to be in another area); None for any other closed case."""
    if case.outcome == Outcome.MOVED_OTHER_LA:
        return TransferTrigger.MOVED
    if case.status == CaseStatus.OPEN:
        return TransferTrigger.WHEREABOUTS
    return None


CaseView = Callable[[HttpRequest, Case], HttpResponse]


def _case_page(
    detail: str, methods: list[str] | None = None
) -> Callable[[CaseView], Callable[[HttpRequest, str], HttpResponse]]:
    """A page of one case's transfers, for caseworkers (and only the HTTP ``methods`` given):
    the case opened (a restricted one with a reason) and the view logged as ``detail``, then
    ``page(request, case)``."""

    def wrap(page: CaseView) -> Callable[[HttpRequest, str], HttpResponse]:
        allowed = require_http_methods(methods) if methods else lambda view: view

        @caseworkers
        @allowed
        @wraps(page)
        def view(request: HttpRequest, case_reference: str) -> HttpResponse:
            case = case_sel.case_for_view(acting_user(request), case_reference)
            gate = restricted_gate(request, case.child_id, case.child.restricted)
            if gate is not None:
                return gate
            log_access(
                request, AccessAction.VIEW_CASE, child_id=case.child_id, obj=case, detail=detail
            )
            return page(request, case)

        return view

    return wrap


def _suggested_la(case: Case) -> LocalAuthority | None:
    """The directory entry the case's outcome names, if it names one."""
    name = case.outcome_la.strip()
    if not name:
        return None
    from transfers.forms import directory

    return (
        directory().filter(name__iexact=name).first()
        or directory().filter(name__icontains=name).first()
    )


@_case_page("Transfers")
def case_transfers(request: HttpRequest, case: Case) -> HttpResponse:
    transfers = list(case.transfers.select_related("to_la", "sent_by"))
    return render(
        request,
        "transfers/case_transfers.html",
        {
            "case": case,
            "child": case.child,
            "transfers": transfers,
            "awaiting": next((t for t in transfers if t.awaiting), None),
            "trigger": trigger_for(case),
            "today": timezone.localdate(),
        },
    )


@_case_page("Send a transfer", ["GET", "POST"])
def transfer_new(request: HttpRequest, case: Case) -> HttpResponse:
    trigger = trigger_for(case)
    if trigger is None:
        messages.error(request, svc.ERROR_NOT_MOVED)
        return redirect("transfers:case", case_reference=case.reference)
    drafts: dict[str, Any] = request.session.get(DRAFT, {})
    if request.method == "POST":
        form = TransferForm(request.POST)
        if form.is_valid():
            drafts[case.reference] = {
                "to_la": form.cleaned_data["to_la"].pk,
                "reasons": form.cleaned_data["reasons"],
                "token": str(uuid.uuid4()),
            }
            request.session[DRAFT] = drafts
            return redirect("transfers:check", case_reference=case.reference)
    else:
        draft = drafts.get(case.reference)
        suggested = _suggested_la(case)
        initial = (
            {"to_la": draft["to_la"], "reasons": draft["reasons"]}
            if draft
            else {"to_la": suggested.pk if suggested else None}
        )
        form = TransferForm(initial=initial)
    return render(
        request,
        "transfers/transfer_new.html",
        {"case": case, "child": case.child, "form": form, "trigger": trigger},
    )


@_case_page("Check the transfer", ["GET", "POST"])
def transfer_check(request: HttpRequest, case: Case) -> HttpResponse:
    draft = request.session.get(DRAFT, {}).get(case.reference)
    trigger = trigger_for(case)
    la = LocalAuthority.objects.filter(pk=int((draft or {}).get("to_la") or 0)).first()
    if draft is None or la is None or trigger is None:
        return redirect("transfers:new", case_reference=case.reference)
    user = acting_user(request)
    error = ""
    if request.method == "POST":
        try:
            transfer, _token = svc.transfer_send(
                case=case,
                by=user,
                to_la=la,
                trigger=trigger,
                reasons=draft["reasons"],
                submission_token=uuid.UUID(draft["token"]),
            )
        except svc.TransferError as exc:
            error = str(exc)
        else:
            drafts = request.session.get(DRAFT, {})
            drafts.pop(case.reference, None)
            request.session[DRAFT] = drafts
            messages.success(request, f"Transfer {transfer.reference} sent to {la.name}")
            return redirect("transfers:detail", reference=transfer.reference)
    message = transfer_message(
        case=case,
        reference="(given when sent)",
        to_la=la,
        trigger=trigger,
        reasons=draft["reasons"],
        by=user,
    )
    return render(
        request,
        "transfers/transfer_check.html",
        {
            **svc.message_context(message),
            "case": case,
            "child": case.child,
            "la": la,
            "error": error,
            "answer_days": settings.CME_TRANSFER_ANSWER_WORKING_DAYS,
        },
    )


def _transfer(
    request: HttpRequest, reference: str, detail: str
) -> tuple[Transfer, HttpResponse | None]:
    transfer = sel.transfer_for_view(acting_user(request), reference)
    child = transfer.case.child
    gate = restricted_gate(request, child.pk, child.restricted)
    if gate is None:
        log_access(
            request, AccessAction.VIEW_CASE, child_id=child.pk, obj=transfer.case, detail=detail
        )
    return transfer, gate


@caseworkers
def transfer_detail(request: HttpRequest, reference: str) -> HttpResponse:
    transfer, gate = _transfer(request, reference, f"Transfer {reference}")
    if gate is not None:
        return gate
    return render(
        request,
        "transfers/transfer_detail.html",
        {
            "transfer": transfer,
            "case": transfer.case,
            "child": transfer.case.child,
            "downloads": list(transfer.downloads.all()[:20]),
            "overdue": transfer.awaiting and transfer.answer_due < timezone.localdate(),
            "today": timezone.localdate(),
            "now": timezone.now(),
        },
    )


def _officer_download(file: str) -> Any:
    @caseworkers
    def view(request: HttpRequest, reference: str) -> FileResponse | HttpResponse:
        transfer, gate = _transfer(request, reference, f"Transfer {reference}: {file.upper()}")
        return gate if gate is not None else transfer_file(transfer, file)

    return view


transfer_ctf = _officer_download("ctf")
transfer_pdf = _officer_download("pdf")


@caseworkers
@require_http_methods(["GET", "POST"])
def transfer_answer(request: HttpRequest, reference: str) -> HttpResponse:
    transfer, gate = _transfer(request, reference, f"Transfer {reference}: answer")
    if gate is not None:
        return gate
    if not transfer.awaiting:
        messages.error(
            request,
            svc.ERROR_ANSWERED.format(status=transfer.get_status_display().lower()),
        )
        return redirect("transfers:detail", reference=transfer.reference)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                svc.transfer_record_answer(
                    transfer=transfer,
                    by=acting_user(request),
                    status=form.cleaned_data["status"],
                    rejection_reason=form.cleaned_data["rejection_reason"],
                    notes=form.cleaned_data["notes"],
                )
            except svc.TransferError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Answer recorded")
                return redirect("transfers:detail", reference=transfer.reference)
    else:
        form = AnswerForm()
    return render(
        request,
        "transfers/transfer_answer.html",
        {"transfer": transfer, "case": transfer.case, "child": transfer.case.child, "form": form},
    )


@caseworkers
def transfer_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    overdue_only = request.GET.get("awaiting") == "overdue"
    sent = list(sel.transfer_list(user, overdue_only=overdue_only)[:200])
    received = list(sel.received_list(user)[:200])
    # The list names children: a view of each child's record.
    log_access(
        request,
        AccessAction.VIEW_CASE,
        child_ids=[t.case.child_id for t in sent],
        detail="Transfers",
    )
    return render(
        request,
        "transfers/transfer_list.html",
        {
            "sent": sent,
            "received": received,
            "overdue_only": overdue_only,
            "today": timezone.localdate(),
        },
    )


@caseworkers
@require_http_methods(["GET", "POST"])
def received_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReceivedUploadForm(request.POST, request.FILES, too_big=upload_too_big(request))
        if form.is_valid():
            try:
                received, created = receiving.transfer_receive(
                    data=form.data_bytes, by=acting_user(request)
                )
            except (CtfError, TransferFileError, svc.TransferError) as exc:
                form.add_error("file", str(exc))
            else:
                referral = received.referral
                log_access(
                    request,
                    AccessAction.UPLOAD_CTF,
                    obj=referral,
                    detail=f"Transfer {received.their_reference} from LA {received.from_la_code}",
                )
                if created:
                    messages.success(
                        request,
                        f"Transfer from {received.from_la_name} received: referral "
                        f"{referral.reference} is in triage",
                    )
                else:
                    messages.info(
                        request,
                        f"This transfer was uploaded before, on "
                        f"{timezone.localtime(received.created_at):%-d %B %Y}: it is referral "
                        f"{referral.reference}",
                    )
                return redirect("triage:detail", reference=referral.reference)
    else:
        form = ReceivedUploadForm()
    return render(request, "transfers/received_upload.html", {"form": form})
