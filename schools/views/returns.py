"""School staff: make a return (form, check your answers, confirmation) and see their own."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cme.access import acting_user, school_staff_only
from cme.audit import log_access
from cme.models import AccessAction
from schools.ctf.session import ctf_initial, ctf_return_sent, ctf_structure
from schools.ctf.summary import structured_sections
from schools.forms import RETURN_FORMS
from schools.forms.base import ReturnForm
from schools.models import (
    DestinationType,
    LeaverReturn,
    PartTimeTimetable,
    ReturnKind,
    ReturnStatus,
    SchoolReturn,
)
from schools.presenters import (
    SESSION_SCHOOL,
    current_school,
    detail_context,
    draft_key,
    forget_token,
    load_draft,
    save_draft,
    submission_token,
)
from schools.selectors import returns_visible_to, schools_for_user
from schools.services import ReturnError, leaver_s2s_upload_confirm, return_submit

#: Session key: the reference of the return this session sent last; only it gets the receipt.
SESSION_LAST_SUBMITTED = "last_submitted"


@dataclass(frozen=True)
class ReturnPage:
    title: str
    start: str
    lede: str
    next_steps: str


PAGES = {
    ReturnKind.JOINER: ReturnPage(
        "Tell us about a new pupil",
        "Tell us about a new pupil",
        "Send this within 5 days of entering the pupil's name on the admission register.",
        "We will match this pupil with any school that told us the pupil was leaving.",
    ),
    ReturnKind.LEAVER: ReturnPage(
        "Tell us about a pupil leaving",
        "Tell us about a pupil leaving",
        "Send this as soon as a deletion ground is met, and no later than the day you remove "
        "the pupil's name from the admission register.",
        "If the pupil's destination is not known, the Children Missing Education team will "
        "start enquiries straight away.",
    ),
    ReturnKind.PART_TIME: ReturnPage(
        "Tell us about a part-time timetable",
        "Tell us about a part-time timetable",
        "A part-time timetable must be agreed with the parent, time-limited and reviewed "
        "regularly. Tell us when it is agreed and at each review.",
        "We will remind you before the review date and the planned end date.",
    ),
    ReturnKind.ABSENCE: ReturnPage(
        "Tell us about a pupil who has stopped attending",
        "Tell us about a pupil who has stopped attending",
        "Tell us when a pupil has been continuously absent without a reason, or has not come "
        "back after a leave of absence.",
        "We will count school days with you towards the 10 and 20 school day thresholds, and "
        "make joint enquiries with you.",
    ),
}


def _kind(kind: str) -> ReturnKind:
    try:
        return ReturnKind(kind)
    except ValueError:
        raise Http404("No such return") from None


@school_staff_only
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    school = current_school(request)
    recent = returns_visible_to(user).filter(school=school)[:10]
    return render(
        request,
        "schools/home.html",
        {
            "school": school,
            "schools": schools_for_user(user),
            "recent": recent,
            "pages": PAGES,
        },
    )


@school_staff_only
@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.get("school", "")
    school = (
        schools_for_user(acting_user(request)).filter(pk=int(chosen)).first()
        if chosen.isascii() and chosen.isdigit()  # "²".isdigit() is True, int("²") fails
        else None
    )
    if school is None:
        raise Http404("Not one of your schools")
    request.session[SESSION_SCHOOL] = school.pk
    messages.success(request, f"You are now acting for {school.name}")
    return redirect("schools:home")


@school_staff_only
def return_list(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    returns = returns_visible_to(acting_user(request)).filter(school=school)
    kind = request.GET.get("kind", "")
    if kind in ReturnKind.values:
        returns = returns.filter(kind=kind)
    status = request.GET.get("status", "")
    if status in ReturnStatus.values:
        returns = returns.filter(status=status)
    page = Paginator(returns, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/return_list.html",
        {
            "school": school,
            "page": page,
            "kinds": ReturnKind.choices,
            "statuses": ReturnStatus.choices,
            "kind": kind,
            "status": status,
        },
    )


@school_staff_only
@require_http_methods(["GET", "POST"])
def return_start(request: HttpRequest, kind: str) -> HttpResponse:
    return_kind = _kind(kind)
    school = current_school(request)
    form_class = RETURN_FORMS[return_kind]
    key = draft_key(return_kind, school)
    if request.method == "POST":
        form = form_class(request.POST, school=school)
        if form.is_valid():
            save_draft(request, key, request.POST)
            return redirect("schools:return_check", kind=return_kind.value)
    else:
        draft = load_draft(request, key)
        # "Change" from the check page comes back with the answers as they were typed; a
        # return started from an uploaded CTF starts from the file's answers (not bound: no
        # errors before the school has answered the rest).
        form = (
            form_class(draft, school=school)
            if draft is not None
            else form_class(initial=ctf_initial(request, key), school=school)
        )
    return render(
        request,
        "schools/return_form.html",
        {
            "form": form,
            "school": school,
            "page_info": PAGES[return_kind],
            "kind": return_kind,
            "from_ctf": ctf_initial(request, key) is not None,
        },
    )


@school_staff_only
@require_http_methods(["GET", "POST"])
def return_check(request: HttpRequest, kind: str) -> HttpResponse:
    return_kind = _kind(kind)
    school = current_school(request)
    key = draft_key(return_kind, school)
    token = submission_token(request, key)
    if request.method == "POST":
        # Sent already (a double click, or a retry after a lost answer): its confirmation.
        sent = returns_visible_to(acting_user(request)).filter(submission_token=token).first()
        if sent is not None:
            request.session.pop(key, None)
            forget_token(request, key)
            ctf_return_sent(request, school, return_kind)
            request.session[SESSION_LAST_SUBMITTED] = sent.reference
            return redirect("schools:return_submitted", reference=sent.reference)
    draft = load_draft(request, key)
    if draft is None:
        return redirect("schools:return_start", kind=return_kind.value)
    form: ReturnForm = RETURN_FORMS[return_kind](draft, school=school)
    if not form.is_valid():
        # The rules may have changed since (a date is now late): go back to the form.
        return redirect("schools:return_start", kind=return_kind.value)
    if request.method == "POST":
        school_return, parents = form.save(commit=False), form.parents()
        ctf_structure(request, school, return_kind, school_return, parents)
        try:
            saved = return_submit(
                school_return=school_return,
                school=school,
                by=acting_user(request),
                parents=parents,
                submission_token=token,
            )
        except ReturnError as exc:
            messages.error(request, str(exc))
            return redirect("schools:home")
        request.session.pop(key, None)
        forget_token(request, key)
        ctf_return_sent(request, school, return_kind)
        request.session[SESSION_LAST_SUBMITTED] = saved.reference
        return redirect("schools:return_submitted", reference=saved.reference)
    # What the CTF this return was started from gives beyond the answers, as it will be sent.
    shown, shown_parents = form.save(commit=False), form.parents()
    ctf_structure(request, school, return_kind, shown, shown_parents)
    return render(
        request,
        "schools/return_check.html",
        {
            "form": form,
            "more_sections": structured_sections(shown, shown_parents),
            "school": school,
            "page_info": PAGES[return_kind],
            "kind": return_kind,
            "change_url": reverse("schools:return_start", kwargs={"kind": return_kind.value}),
            "submission_token": token,
        },
    )


@school_staff_only
def return_submitted(request: HttpRequest, reference: str) -> HttpResponse:
    # Scoped first: another school's return is a 404 here as everywhere.
    school_return = get_object_or_404(returns_visible_to(acting_user(request)), reference=reference)
    if request.session.get(SESSION_LAST_SUBMITTED) != school_return.reference:
        # Not the return this session has just sent: its ordinary page, not a receipt.
        return _return_page(request, school_return)
    log_access(request, AccessAction.VIEW_RETURN, obj=school_return)
    return render(
        request,
        "schools/return_submitted.html",
        {
            "object": school_return,
            "page_info": PAGES[ReturnKind(school_return.kind)],
        },
    )


@school_staff_only
def return_detail(request: HttpRequest, reference: str) -> HttpResponse:
    school_return = get_object_or_404(returns_visible_to(acting_user(request)), reference=reference)
    return _return_page(request, school_return)


def _return_page(request: HttpRequest, school_return: SchoolReturn) -> HttpResponse:
    """A return the user may see (the caller has scoped it), logged as a view."""
    log_access(request, AccessAction.VIEW_RETURN, obj=school_return)
    context = detail_context(school_return)
    # Only here, not in detail_context: the LA's detail page reuses it and reviews are the school's.
    detail = context["detail"]
    if isinstance(detail, PartTimeTimetable) and detail.ended_on is None:
        context["review_url"] = reverse("schools:timetable_review", args=[school_return.reference])
    if (
        isinstance(detail, LeaverReturn)
        and detail.destination_type == DestinationType.UNKNOWN
        and not detail.s2s_lost_pupil_uploaded
    ):
        context["s2s_url"] = reverse("schools:return_s2s_confirm", args=[school_return.reference])
    return render(request, "schools/return_detail.html", context)


@school_staff_only
@require_POST
def return_s2s_confirm(request: HttpRequest, reference: str) -> HttpResponse:
    """ "We have uploaded to s2s": the follow-up of a leaver sent with an unknown destination
    (issue 12 A12). Scoped first: another school's return is a 404."""
    user = acting_user(request)
    school_return = get_object_or_404(
        returns_visible_to(user).filter(kind=ReturnKind.LEAVER), reference=reference
    )
    leaver = school_return.detail()
    assert isinstance(leaver, LeaverReturn)  # noqa: S101 - kind=leaver above
    try:
        leaver_s2s_upload_confirm(leaver=leaver, by=user)
    except ReturnError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thank you: we have recorded that you uploaded the record to s2s")
    return redirect("schools:return_detail", reference=reference)
