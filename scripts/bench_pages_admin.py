"""The bench-only URLs of scripts/bench_pages.py: an admin site with Case and Referral (not in
the real admin) as the pages show them, the empty signed-in page (the floor) and the bare
SQL pages (the control)."""

from __future__ import annotations

import sys
import types
from typing import Any

import benchlib  # noqa: F401 (the project on sys.path)

PAGE_SIZE = 50


def bench_admin_urls() -> list[Any]:
    """A bench-only admin site with Case and Referral (not in the real admin), as the
    pages show them: same columns, 50 a page, the same joins."""
    from django.contrib import admin
    from django.urls import path

    from casework.models import Case, CaseStatus, Enquiry
    from cme.admin_site import CmeAdminSite
    from referrals.models import Referral, ReferralStatus

    site = CmeAdminSite(name="benchadmin")

    class EnquiryInline(admin.TabularInline[Enquiry, Case]):
        model = Enquiry
        fields = ("enquiry_type", "made_on", "made_by", "contact", "result")
        raw_id_fields = ("made_by",)
        extra = 0

    class CaseAdmin(admin.ModelAdmin[Case]):
        list_display = (
            "reference",
            "child_name",
            "child_dob",
            "category",
            "allocated_to",
            "received_on",
            "due_date",
            "last_school",
        )
        list_select_related = ("child", "child__last_school", "allocated_to")
        list_per_page = PAGE_SIZE
        ordering = ("due_date", "pk")
        raw_id_fields = ("child", "referral", "allocated_to", "outcome_school")
        inlines = (EnquiryInline,)

        def get_queryset(self, request: Any) -> Any:
            return super().get_queryset(request).filter(status=CaseStatus.OPEN)

        @admin.display(description="Child")
        def child_name(self, obj: Case) -> str:
            return f"{obj.child.last_name}, {obj.child.first_name}"

        @admin.display(description="Date of birth")
        def child_dob(self, obj: Case) -> Any:
            return obj.child.date_of_birth

        @admin.display(description="Last school")
        def last_school(self, obj: Case) -> str:
            return obj.child.last_school.name if obj.child.last_school else ""

    class ReferralAdmin(admin.ModelAdmin[Referral]):
        list_display = (
            "reference",
            "first_name",
            "last_name",
            "date_of_birth",
            "received_at",
            "referring_school",
            "channel",
            "reasons",
        )
        list_select_related = ("referring_school",)
        list_per_page = PAGE_SIZE
        ordering = ("received_at", "pk")

        def get_queryset(self, request: Any) -> Any:
            return super().get_queryset(request).filter(status=ReferralStatus.NEW)

    site.register(Case, CaseAdmin)
    site.register(Referral, ReferralAdmin)

    from django.shortcuts import render

    from cme.access import caseworkers

    @caseworkers
    def empty(request: Any) -> Any:
        # The floor: a signed-in GOV.UK page (header, navigation, footer) with no content.
        return render(request, "base.html", {})

    def bare(request: Any, index: int) -> Any:
        # The control: a page's own hand-written SQL run through Django's connection, rows
        # written out as a plain HTML table: no sign-in, no access check or audit, no template.
        # Whatever a real page does, it cannot cost less than this.
        from html import escape

        from django.db import connection
        from django.http import HttpResponse

        parts = ["<table>"]
        with connection.cursor() as cursor:
            for text, params in BARE_STATEMENTS[index]:
                cursor.execute(text, params)
                for row in cursor.fetchall():
                    cells = "".join(f"<td>{escape(str(v))}</td>" for v in row)
                    parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
        return HttpResponse("".join(parts))

    return [
        path("bench-admin/", site.urls),
        path("bench-empty/", empty),
        path("bench-bare/<int:index>/", bare),
    ]


#: The statements each control page (/bench-bare/<index>/) runs: set by page_bench.
BARE_STATEMENTS: list[list[tuple[str, dict[str, Any]]]] = []


def install_bench_urlconf() -> str:
    import config.urls

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [*config.urls.urlpatterns, *bench_admin_urls()]  # type: ignore[attr-defined]
    for name in ("handler403", "handler404", "handler500"):
        setattr(module, name, getattr(config.urls, name))
    sys.modules[module.__name__] = module
    return module.__name__
