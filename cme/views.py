from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from cme.access import acting_user, public, signed_in
from cme.forms import GdsPasswordResetForm, GdsSetPasswordForm
from cme.models import Notification
from cme.views_auth import SignInView


@signed_in
def notifications(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(user=acting_user(request)).order_by(
        "read_at", "-created_at"
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "cme/notifications.html", {"page": page})


@signed_in
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (`id`) or all of them read."""
    mine = Notification.objects.filter(user=acting_user(request), read_at__isnull=True)
    chosen = request.POST.get("id", "")
    if chosen.isascii() and chosen.isdigit():  # "²".isdigit() is True, int("²") fails
        mine = mine.filter(pk=int(chosen))
    mine.update(read_at=timezone.now())
    return redirect("notifications")


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """For the container healthcheck: the process answers (no data, no database)."""
    return HttpResponse("ok", content_type="text/plain")


sign_in = public(SignInView.as_view())
# Password reset never says whether an account exists: the "sent" page is the same for all.
password_reset = public(
    auth_views.PasswordResetView.as_view(
        form_class=GdsPasswordResetForm,
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
        success_url=reverse_lazy("password_reset_done"),
    )
)
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        form_class=GdsSetPasswordForm, success_url=reverse_lazy("password_reset_complete")
    )
)
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())
