"""The EHE register's pages: the EHE officer's home, the register, a child's EHE record and
the forms that change it. Every view of a child's record is in the access log; a restricted
child's record opens only with a reason (casework.restricted's session grant)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from casework.forms_restriction import OpenRestrictedForm
from casework.restricted import grant_restricted, restricted_granted
from cme.access import acting_user, ehe_workers
from cme.audit import log_access
from cme.models import AccessAction, User
from cme.statutory import age_on
from ehe import selectors as sel
from ehe.forms import AddChildForm, ContactForm, EheForm, EndForm, ParentForm, SuitabilityForm
from ehe.models import HomeEducation, NoticeKind, Source
from ehe.services import register as svc

PAGE_SIZE = 50


def restricted_gate(request: HttpRequest, entry: HomeEducation) -> HttpResponseRedirect | None:
    """The reason page first for a restricted child not yet opened in this session."""
    child = entry.child
    if not child.restricted or restricted_granted(request, child.pk):
        return None
    url = reverse("ehe:open_restricted", kwargs={"entry_id": entry.pk})
    return HttpResponseRedirect(f"{url}?{urlencode({'next': request.path})}")


@ehe_workers
def home(request: HttpRequest) -> HttpResponse:
    """The EHE officer's home: children due a contact, and notices whose period has run out."""
    user = acting_user(request)
    today = timezone.localdate()
    due = list(sel.contacts_due(user, today)[:PAGE_SIZE])
    ended = list(sel.periods_ended(user, today)[:PAGE_SIZE])
    log_access(
        request,
        AccessAction.VIEW_EHE_REGISTER,
        child_ids=[e.child_id for e in due] + [n.home_education.child_id for n in ended],
        detail="Home education: contacts due",
    )
    return render(
        request,
        "ehe/home.html",
        {"due": due, "ended": ended, "today": today, "due_soon_days": sel.DUE_SOON_DAYS},
    )


@ehe_workers
def register(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    page = Paginator(sel.register(user), PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(
        request,
        AccessAction.VIEW_EHE_REGISTER,
        child_ids=[e.child_id for e in page],
        detail=f"Home education register, page {page.number}",
    )
    return render(request, "ehe/register.html", {"page": page, "today": timezone.localdate()})


@ehe_workers
def add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = AddChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            child = svc.child_for(d, by=user)
            entry = svc.home_education_register(
                child=child,
                source=Source.OFFICER,
                by=user,
                started_on=d["started_on"],
                address={f: d[f] for f in svc.ADDRESS_FIELDS},
                parents=[form.parent()],
            )
        except svc.EheError as exc:
            form.add_service_error(str(exc))
        else:
            messages.success(request, "Added to the home education register")
            return redirect("ehe:detail", entry_id=entry.pk)
    return render(
        request,
        "ehe/form.html",
        {"form": form, "title": "Add a child to the register", "button": "Add to the register"},
    )


@ehe_workers
def detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = sel.entry_for_view(acting_user(request), entry_id)
    gate = restricted_gate(request, entry)
    if gate is not None:
        return gate
    log_access(request, AccessAction.VIEW_EHE, child_id=entry.child_id, obj=entry)
    today = timezone.localdate()
    notices = list(entry.notices.all())
    context: dict[str, Any] = {
        "entry": entry,
        "child": entry.child,
        "age": age_on(entry.child.date_of_birth, today),
        "notices": notices,
        "next_steps": next_steps(entry, notices),
        "today": today,
    }
    return render(request, "ehe/detail.html", context)


def next_steps(entry: HomeEducation, notices: list[Any]) -> list[tuple[str, str]]:
    """The notices the officer may serve next, as (kind, label) for the page's buttons."""
    from ehe.services.notices import servable_kinds

    return [(k, NoticeKind(k).label) for k in servable_kinds(entry, notices)]


EntryRun = Callable[[HomeEducation, User, EheForm], object]


def _entry_form(
    form_class: type[EheForm], title: str, button: str, done: str, run: EntryRun
) -> Callable[[HttpRequest, int], HttpResponse]:
    """One form page on an entry: GET shows the form, POST calls one service."""

    @ehe_workers
    def view(request: HttpRequest, entry_id: int) -> HttpResponse:
        user = acting_user(request)
        entry = sel.entry_for_view(user, entry_id)
        gate = restricted_gate(request, entry)
        if gate is not None:
            return gate
        today = timezone.localdate()
        initial = {"made_on": today, "formed_on": today, "ended_on": today}
        form = form_class(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                run(entry, user, form)
            except svc.EheError as exc:
                form.add_service_error(str(exc))
            else:
                messages.success(request, done)
                return redirect("ehe:detail", entry_id=entry.pk)
        log_access(request, AccessAction.VIEW_EHE, child_id=entry.child_id, obj=entry, detail=title)
        context = {"form": form, "title": title, "button": button, "entry": entry}
        return render(request, "ehe/form.html", context)

    return view


def _with_answers(service: Callable[..., object]) -> EntryRun:
    """Call ``service`` with the form's answers: each of these forms names its fields after
    the service's arguments."""

    def run(entry: HomeEducation, user: User, form: EheForm) -> object:
        return service(entry=entry, by=user, **form.cleaned_data)

    return run


contact_new = _entry_form(
    ContactForm,
    "Record a contact or enquiry",
    "Save contact",
    "Contact recorded",
    _with_answers(svc.contact_record),
)
suitability_new = _entry_form(
    SuitabilityForm,
    "Record the authority's view of the education",
    "Save view",
    "View recorded",
    _with_answers(svc.suitability_record),
)


def _add_parent(entry: HomeEducation, user: User, form: EheForm) -> object:
    assert isinstance(form, ParentForm)  # noqa: S101 - the view's form
    d = form.cleaned_data
    address = {"address_line_1": d["address"], "postcode": d["postcode"]}
    return svc.parent_add(
        entry=entry, by=user, lives_with_child=not d["address"], **form.parent(), **address
    )


parent_new = _entry_form(ParentForm, "Add a parent", "Add parent", "Parent added", _add_parent)
end = _entry_form(
    EndForm,
    "The child is no longer home educated",
    "Take off the register",
    "Taken off the home education register",
    _with_answers(svc.home_education_end),
)


@ehe_workers
def open_restricted(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The reason page in front of a restricted child's EHE record (the grant is the same
    session grant the case pages use, so one reason opens the child's record everywhere)."""
    entry = sel.entry_for_view(acting_user(request), entry_id)
    child_id = entry.child_id
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_url.startswith("/"):
        next_url = reverse("ehe:detail", kwargs={"entry_id": entry.pk})
    if not entry.child.restricted or restricted_granted(request, child_id):
        return redirect(next_url)
    form = OpenRestrictedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant_restricted(request, child_id, form.cleaned_data["reason"])
        return redirect(next_url)
    return render(
        request,
        "casework/open_restricted.html",
        {"child_id": child_id, "form": form, "next": next_url},
    )
