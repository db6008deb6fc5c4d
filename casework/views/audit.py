"""The audit: who has seen which child's record (the access log) and who changed what (the
history tables of django-simple-history). Managers and administrators read it; nothing here,
or anywhere in the app, changes or deletes a row of either.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from casework.matching import KEY_FIELDS
from casework.models import Case, Child
from cme.access import role_required
from cme.audit import WITHHELD, log_access
from cme.models import AccessAction, AccessLog, Role

PAGE_SIZE = 50
#: The child page's audit shows at most this many access rows and history rows each.
CHILD_LIMIT = 200

#: Fields a restricted child's history never shows (the address is the confidential part).
ADDRESS_FIELDS = frozenset({"address_line_1", "address_line_2", "town", "postcode"})
#: Bookkeeping that changes with every save and says nothing a reader needs.
NOISE_FIELDS = [
    "updated_at",
    "updated_by",
    "version",
    *KEY_FIELDS,  # the matching keys (a restricted child's postcode key is its postcode)
]

audit_readers = role_required(Role.MANAGER, Role.ADMINISTRATOR)

_DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})


class AuditSearchForm(forms.Form):
    user = forms.CharField(
        label="Person (name or email)",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds"}),
    )
    action = forms.ChoiceField(
        label="What they did",
        required=False,
        choices=[("", "Anything"), *AccessAction.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    child = forms.CharField(
        label="Child record number or case reference",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    date_from = forms.DateField(label="From", required=False, widget=_DATE_WIDGET)
    date_to = forms.DateField(label="To", required=False, widget=_DATE_WIDGET)


def access_log_search(data: dict[str, Any]) -> QuerySet[AccessLog]:
    """The access log filtered by the search form's cleaned data, newest first."""
    rows = AccessLog.objects.select_related("user")
    if data.get("user"):
        rows = rows.filter(
            Q(user__full_name__icontains=data["user"]) | Q(user__email__icontains=data["user"])
        )
    if data.get("action"):
        rows = rows.filter(action=data["action"])
    child = (data.get("child") or "").strip()
    if child.isascii() and child.isdigit():  # "²".isdigit() is True, int("²") fails
        rows = rows.filter(child_id=int(child))
    elif child:
        rows = rows.filter(
            child_id__in=Case.objects.filter(reference__iexact=child).values("child_id")
        )
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        rows = rows.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=tz))
    if data.get("date_to"):
        rows = rows.filter(at__lte=datetime.combine(data["date_to"], time.max, tzinfo=tz))
    return rows.order_by("-at", "-id")


@audit_readers
@require_http_methods(["GET", "POST"])
def audit_search(request: HttpRequest) -> HttpResponse:
    """The access log, newest first. A search is POSTed (with its CSRF token), as the merge
    search is: the names and emails of staff searched for never go into a URL (the address
    bar, the history, a proxy's or the server's log). The results, and their other pages,
    are on the POST's response; a GET shows the whole log and reads no search from the query
    string (only ``page``)."""
    searched = request.method == "POST"
    if searched:
        form = AuditSearchForm(request.POST)
        # A search with an error finds nothing (the summary says why): dropping only the bad
        # field would show more of the log than was asked for.
        rows = access_log_search(form.cleaned_data) if form.is_valid() else AccessLog.objects.none()
        number = request.POST.get("page")
    else:
        form = AuditSearchForm()
        rows = access_log_search({})
        number = request.GET.get("page")
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    return render(request, "cme/audit.html", {"form": form, "page": page, "searched": searched})


def _label(model: type[Model], field: str) -> str:
    name = getattr(model._meta.get_field(field), "verbose_name", field)
    return str(name).capitalize()


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def history_changes(records: list[Any], *, restricted: bool) -> list[dict[str, Any]]:
    """Each history record (newest first) with what changed since the one before it.

    ``records`` are one object's history rows, newest first; an address change on a
    restricted record shows that it changed, never the address.
    """
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=NOISE_FIELDS)
            for change in delta.changes:
                hidden = restricted and change.field in ADDRESS_FIELDS
                changes.append(
                    {
                        "field": _label(newer.instance_type, change.field),
                        "old": WITHHELD if hidden else _shown(change.old),
                        "new": WITHHELD if hidden else _shown(change.new),
                    }
                )
        rows.append(
            {
                "record": newer,
                "kind": newer.get_history_type_display(),
                "changes": changes,
            }
        )
    return rows


@audit_readers
@require_GET
def child_audit(request: HttpRequest, child_id: int) -> HttpResponse:
    """Who has seen this child's record, and every change to it and to its cases."""
    child = get_object_or_404(Child, pk=child_id)
    accesses = list(
        AccessLog.objects.filter(child_id=child.pk).select_related("user")[:CHILD_LIMIT]
    )
    child_history = list(child.history.select_related("history_user")[:CHILD_LIMIT])
    case_history: dict[int, list[Any]] = {}
    # Cases it holds now, and any it held before a merge moved them.
    cases = Q(child_id=child.pk) | Q(id__in=child.cases.values("id"))
    for record in (
        Case.history.filter(cases)
        .select_related("history_user")
        .order_by("id", "-history_date", "-history_id")[:CHILD_LIMIT]
    ):
        case_history.setdefault(record.id, []).append(record)
    # The page names the child and shows past names, dates of birth and addresses: reading it
    # is itself an access to the record. Logged after the query, so the page lists the views
    # before this one.
    log_access(request, AccessAction.VIEW_CHILD_AUDIT, child_id=child.pk, obj=child)
    return render(
        request,
        "cme/audit_child.html",
        {
            "child": child,
            "accesses": accesses,
            "child_changes": history_changes(child_history, restricted=child.restricted),
            "case_changes": [
                (records[0].reference, history_changes(records, restricted=child.restricted))
                for records in case_history.values()
            ],
        },
    )
