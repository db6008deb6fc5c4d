"""School staff: upload a common transfer file (CTF) and start pre-filled returns from it.

Only for the school the person is acting for (`current_school`: one of their memberships), as
every other school view. A file sent to this school gives joiner returns, a file sent from it
leaver returns; a file between two other schools is refused. The file is parsed in memory and
never stored (schools.ctf.session says where the pupils wait, and for how long).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cme.access import school_staff_only
from cme.audit import log_access
from cme.models import AccessAction
from cme.uploads import upload_too_big
from schools.ctf.forms import CtfUploadForm
from schools.ctf.prefill import direction, initial_answers
from schools.ctf.session import KEEP, ctf_discard, ctf_keep, ctf_start_return, ctf_waiting
from schools.presenters import current_school

ERROR_NOT_OURS = (
    "The selected file is not to or from {school}: it was sent from URN {source} to URN {dest}. "
    "Check you are acting for the right school"
)


@school_staff_only
@require_http_methods(["GET", "POST"])
def ctf_upload(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    if request.method == "POST":
        form = CtfUploadForm(request.POST, request.FILES, too_big=upload_too_big(request))
        if form.is_valid() and form.ctf is not None:
            kind = direction(form.ctf, school)
            if kind is None:
                form.add_error(
                    "file",
                    ERROR_NOT_OURS.format(
                        school=school.name,
                        source=form.ctf.source.urn or "not given",
                        dest=form.ctf.dest.urn or "not given",
                    ),
                )
            else:
                ctf_keep(request, school, form.ctf, kind)
                log_access(
                    request,
                    AccessAction.UPLOAD_CTF,
                    obj=school,
                    detail=f"CTF {form.ctf.version}: {len(form.ctf.pupils)} pupils kept, "
                    f"{len({p.position for p in form.ctf.problems if not p.kept})} left out",
                )
                return redirect("schools:ctf_pupils")
    else:
        form = CtfUploadForm()
    return render(
        request,
        "schools/ctf_upload.html",
        {
            "form": form,
            "school": school,
            "waiting": ctf_waiting(request, school),
            "keep_hours": int(KEEP.total_seconds() // 3600),
        },
    )


@school_staff_only
def ctf_pupils(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    waiting = ctf_waiting(request, school)
    if waiting is None:
        return redirect("schools:ctf_upload")
    return render(request, "schools/ctf_pupils.html", {"school": school, "waiting": waiting})


@school_staff_only
@require_POST
def ctf_start(request: HttpRequest) -> HttpResponse:
    """Start the return for one pupil of the file (its place in the file is POSTed, so no
    pupil's details are in a URL)."""
    school = current_school(request)
    waiting = ctf_waiting(request, school)
    if waiting is None:
        messages.error(request, "The CTF you uploaded has expired: upload it again")
        return redirect("schools:ctf_upload")
    chosen = request.POST.get("pupil", "")
    pupil = waiting.pupil(int(chosen)) if chosen.isascii() and chosen.isdigit() else None
    if pupil is None:
        messages.error(request, "That pupil's return has been sent already, or is not in the file")
        return redirect("schools:ctf_pupils")
    ctf_start_return(
        request,
        school,
        pupil.position,
        initial_answers(pupil, waiting.kind, school=school, other=waiting.other),
    )
    return redirect("schools:return_start", kind=waiting.kind.value)


@school_staff_only
@require_POST
def ctf_forget(request: HttpRequest) -> HttpResponse:
    ctf_discard(request, current_school(request))
    messages.success(request, "The CTF's pupils have been removed: nothing of the file is kept")
    return redirect("schools:ctf_upload")
