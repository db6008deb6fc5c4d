"""School staff: record a review of one of their part-time timetables."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from cme.access import acting_user, school_staff_only
from cme.audit import log_access
from cme.models import AccessAction
from schools.forms.review import TimetableReviewForm, form_with_version
from schools.models import PartTimeTimetable, ReturnKind, ReviewOutcome
from schools.selectors import returns_visible_to
from schools.services import (
    ERROR_TIMETABLE_ENDED,
    ReturnError,
    StaleReviewError,
    timetable_review_record,
    timetable_version,
)


@school_staff_only
@require_http_methods(["GET", "POST"])
def timetable_review(request: HttpRequest, reference: str) -> HttpResponse:
    user = acting_user(request)
    # Scoped first: another school's timetable is a 404, exactly like one that does not exist.
    school_return = get_object_or_404(
        returns_visible_to(user).filter(kind=ReturnKind.PART_TIME), reference=reference
    )
    timetable = school_return.detail()
    assert isinstance(timetable, PartTimeTimetable)  # noqa: S101 - kind=part_time above
    if timetable.ended_on is not None:
        messages.error(request, ERROR_TIMETABLE_ENDED)
        return redirect("schools:return_detail", reference=reference)
    if request.method == "POST":
        form = TimetableReviewForm(request.POST, timetable=timetable)
        if form.is_valid():
            try:
                review = timetable_review_record(
                    timetable=timetable,
                    review=form.save(commit=False),
                    by=user,
                    version=form.cleaned_data["version"],
                )
            except StaleReviewError as exc:
                # Someone else's review was saved first: show it, keep what was typed, and
                # let this person decide (saving again is on the version they now see).
                timetable.refresh_from_db()
                form_with_version(form, timetable_version(timetable))
                form.add_error(None, str(exc))
                log_access(request, AccessAction.VIEW_RETURN, obj=school_return)
                return render(
                    request,
                    "schools/timetable_review.html",
                    {"form": form, "object": timetable},
                )
            except ReturnError as exc:
                messages.error(request, str(exc))
            else:
                if review.outcome == ReviewOutcome.ENDED:
                    messages.success(request, "Review saved: the part-time timetable has ended")
                else:
                    messages.success(
                        request,
                        f"Review saved: the next review is due on {review.next_review_date:%-d %B %Y}",
                    )
            return redirect("schools:return_detail", reference=reference)
    else:
        form = TimetableReviewForm(timetable=timetable)
    # The page names the pupil: showing it is a view of the return.
    log_access(request, AccessAction.VIEW_RETURN, obj=school_return)
    return render(
        request,
        "schools/timetable_review.html",
        {
            "form": form,
            "object": timetable,
        },
    )
