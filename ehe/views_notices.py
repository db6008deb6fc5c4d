"""The notice route's pages: serve a notice, record the parent's answer, download the letter."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cme.access import acting_user, ehe_workers
from cme.audit import log_access
from cme.models import AccessAction
from ehe import selectors as sel
from ehe.forms_notices import AnswerForm, NoticeForm
from ehe.letters import notice_filename, notice_pdf
from ehe.models import Answer, NoticeKind
from ehe.services import notices as svc
from ehe.services.register import EheError
from ehe.views import restricted_gate


@ehe_workers
def notice_new(request: HttpRequest, entry_id: int, notice_kind: str) -> HttpResponse:
    user = acting_user(request)
    entry = sel.entry_for_view(user, entry_id)
    if notice_kind not in NoticeKind.values:
        raise Http404
    kind = NoticeKind(notice_kind)
    gate = restricted_gate(request, entry)
    if gate is not None:
        return gate
    initial = {"served_on": timezone.localdate(), "period_days": 15}
    form = NoticeForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = svc.notice_serve(
                entry=entry,
                kind=kind,
                served_on=d["served_on"],
                by=user,
                period_days=d.get("period_days"),
                school=d.get("school"),
                alternatives=form.alternatives(),
                details=d["details"],
            )
        except EheError as exc:
            form.add_service_error(str(exc))
        else:
            messages.success(request, f"{notice.get_kind_display()} recorded: download the letter")
            return redirect("ehe:detail", entry_id=entry.pk)
    log_access(
        request, AccessAction.VIEW_EHE, child_id=entry.child_id, obj=entry, detail=kind.label
    )
    context = {
        "form": form,
        "title": f"Serve: {kind.label}",
        "button": "Serve notice",
        "entry": entry,
    }
    return render(request, "ehe/form.html", context)


@ehe_workers
def notice_answer(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = acting_user(request)
    notice = sel.notice_for_view(user, notice_id)
    entry = notice.home_education
    gate = restricted_gate(request, entry)
    if gate is not None:
        return gate
    if notice.answer != Answer.WAITING:
        return redirect("ehe:detail", entry_id=entry.pk)
    form = AnswerForm(
        request.POST or None, kind=notice.kind, initial={"answered_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.notice_answer(
                notice=notice,
                answer=Answer(d["answer"]),
                answered_on=d["answered_on"],
                by=user,
                school=d.get("school"),
                details=d["details"],
            )
        except EheError as exc:
            form.add_service_error(str(exc))
        else:
            messages.success(request, "Answer recorded")
            return redirect("ehe:detail", entry_id=entry.pk)
    title = f"The parent's answer: {notice.get_kind_display()}"
    log_access(request, AccessAction.VIEW_EHE, child_id=entry.child_id, obj=entry, detail=title)
    context = {
        "form": form,
        "title": title,
        "button": "Save answer",
        "entry": entry,
        "notice": notice,
    }
    return render(request, "ehe/form.html", context)


@ehe_workers
def notice_download(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The notice's letter as a PDF, made from the record as it stands."""
    notice = sel.notice_for_view(acting_user(request), notice_id)
    entry = notice.home_education
    gate = restricted_gate(request, entry)
    if gate is not None:
        return gate
    log_access(
        request,
        AccessAction.EXPORT_EHE_NOTICE,
        child_id=entry.child_id,
        obj=notice,
        detail=notice.get_kind_display(),
    )
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{notice_filename(notice)}"'
    return response
