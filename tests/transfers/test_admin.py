"""The LA directory in the admin site: administrators edit it, with history; nobody deletes
an entry (a transfer may have gone to it)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cme.models import User
from transfers.models import LocalAuthority

pytestmark = pytest.mark.django_db


def test_administrators_add_and_change_an_la_with_history(
    administrator: User, admin_client_: Client
) -> None:
    add = admin_client_.post(
        reverse("admin:transfers_localauthority_add"),
        {
            "code": "777",
            "name": "Thirdshire",
            "cme_email": "cme@third.example.gov.uk",
            "active": "on",
        },
    )
    assert add.status_code == 302
    la = LocalAuthority.objects.get(code="777")
    assert la.created_by == administrator
    change = admin_client_.post(
        reverse("admin:transfers_localauthority_change", args=[la.pk]),
        {"code": "777", "name": "Thirdshire County Council", "cme_email": la.cme_email},
    )
    assert change.status_code == 302
    la.refresh_from_db()
    assert la.name == "Thirdshire County Council"
    assert not la.active
    assert la.history.count() == 2
    assert (
        admin_client_.get(reverse("admin:transfers_localauthority_changelist")).status_code == 200
    )


def test_a_bad_la_code_is_refused(admin_client_: Client) -> None:
    page = admin_client_.post(
        reverse("admin:transfers_localauthority_add"),
        {"code": "12", "name": "Nowhere", "cme_email": "cme@nowhere.example.gov.uk"},
    )
    assert page.status_code == 200
    assert "Enter the 3-digit LA code" in page.content.decode()


def test_nobody_deletes_an_entry(admin_client_: Client, officer_client: Client) -> None:
    la = LocalAuthority.objects.create(code="666", name="Northmoor", cme_email="c@n.example.gov.uk")
    url = reverse("admin:transfers_localauthority_delete", args=[la.pk])
    assert admin_client_.get(url).status_code == 403
    assert (
        officer_client.get(reverse("admin:transfers_localauthority_changelist")).status_code == 403
    )
