"""s434A consent requests: the managers' list and decision page (CME_CNIS_ENABLED only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cme.access import acting_user, managers_only
from cme.audit import log_access
from cme.models import AccessAction
from cnis.consent import ConsentError, cnis_enabled, consent_decide
from cnis.forms import ConsentDecisionForm
from cnis.models import ConsentRequest, ConsentStatus


def require_enabled() -> None:
    """Every children-not-in-school page is a 404 until the duties are switched on."""
    if not cnis_enabled():
        raise Http404


#: The decided requests the list shows (the newest): the pending ones are all shown.
DECIDED_SHOWN = 100


@managers_only
def consent_list(request: HttpRequest) -> HttpResponse:
    """Pending requests first, then the decided ones; a constant number of queries."""
    require_enabled()
    requests = ConsentRequest.objects.select_related("leaver__school", "decided_by")
    pending = list(requests.filter(status=ConsentStatus.PENDING).order_by("created_at", "id"))
    decided = list(requests.exclude(status=ConsentStatus.PENDING)[:DECIDED_SHOWN])
    log_access(request, AccessAction.VIEW_RETURN_LIST, detail="Consent requests (s434A)")
    return render(request, "cnis/consent_list.html", {"pending": pending, "decided": decided})


@managers_only
def consent_detail(request: HttpRequest, consent_id: int) -> HttpResponse:
    """The request (the school's return, why consent is needed) and the decision form."""
    require_enabled()
    user = acting_user(request)
    consent = get_object_or_404(
        ConsentRequest.objects.select_related("leaver__school", "decided_by", "child"),
        pk=consent_id,
    )
    asked_on = timezone.localdate(consent.created_at)
    form = ConsentDecisionForm(request.POST or None, asked_on=asked_on)
    if request.method == "POST" and consent.status == ConsentStatus.PENDING and form.is_valid():
        try:
            consent_decide(
                request=consent,
                status=ConsentStatus(form.cleaned_data["decision"]),
                reasons=form.cleaned_data["reasons"],
                decided_on=form.cleaned_data["decided_on"],
                by=user,
            )
        except ConsentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Decision recorded: the school can see it on its return")
        return redirect("cnis:consent_detail", consent_id=consent.pk)
    log_access(request, AccessAction.VIEW_RETURN, obj=consent.leaver)
    return render(request, "cnis/consent_detail.html", {"consent": consent, "form": form})
