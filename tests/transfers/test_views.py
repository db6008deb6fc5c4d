"""The transfer pages: the other LA's download page (public, tokenised), the upload of a
received transfer, double submission, the list's query count, the audit of each view."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries, Settings

from casework.models import Event, EventKind
from cme.models import AccessAction, AccessLog, User
from cme.storage import private_storage
from referrals.models import Referral, ReferrerType
from tests.support.pages import form_with_errors
from tests.transfers.helpers import moved_case, other_la, send, transfer_row
from transfers.ctf import read_transfer
from transfers.models import Transfer, TransferDownload
from transfers.services import token_hash
from transfers.views import DRAFT

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------- the other LA's page


def test_the_link_needs_the_address_it_was_sent_to(officer: User) -> None:
    transfer, token = send(moved_case(officer), officer)
    url = reverse("transfers:download", args=[token])
    anyone = Client()
    page = anyone.get(url)
    assert page.status_code == 200
    assert transfer.case.child.last_name not in page.content.decode()  # names no child
    wrong = anyone.post(url, {"email": "someone@else.example.com", "file": "ctf"})
    assert wrong.status_code == 200
    assert "Enter the email address this link was sent to" in wrong.content.decode()
    assert not TransferDownload.objects.exists()
    right = anyone.post(url, {"email": "CME@la888.example.gov.uk", "file": "pdf"})
    assert right.status_code == 200
    assert right["Content-Type"] == "application/pdf"
    assert b"".join(right.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert TransferDownload.objects.get().file == "pdf"
    assert Event.objects.filter(
        case=transfer.case, kind=EventKind.TRANSFER, summary__contains="PDF downloaded"
    ).exists()


def test_an_expired_link_serves_nothing(officer: User) -> None:
    transfer, token = send(moved_case(officer), officer)
    Transfer.objects.filter(pk=transfer.pk).update(
        link_expires_at=timezone.now() - timedelta(seconds=1)
    )
    url = reverse("transfers:download", args=[token])
    response = Client().post(url, {"email": "cme@la888.example.gov.uk", "file": "ctf"})
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not TransferDownload.objects.exists()


def test_wrong_addresses_are_limited_per_link_and_the_limit_is_explained(
    officer: User, settings: Settings
) -> None:
    settings.CME_TRANSFER_DOWNLOAD_GUESSES = "3/h"
    transfer, token = send(moved_case(officer), officer)
    other, other_token = send(moved_case(officer), officer, other_la("889", "Elsewhere"))
    url = reverse("transfers:download", args=[token])
    anyone = Client()
    wrong = {"email": "guess@else.example.com", "file": "ctf"}
    for _ in range(2):
        response = anyone.post(url, wrong)
        assert response.status_code == 200
        assert "Enter the email address this link was sent to" in response.content.decode()
    locked = anyone.post(url, wrong)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "<title>Error: Download a CME transfer" in body
    assert "The wrong email address has been entered too many times" in body
    assert "You can try again after" in body
    assert 'name="email"' not in body  # no form to type into while paused
    # Paused: even the right address downloads nothing, and reading the page says why.
    right = anyone.post(url, {"email": "cme@la888.example.gov.uk", "file": "pdf"})
    assert right.status_code == 429
    assert anyone.get(url).status_code == 429
    assert not TransferDownload.objects.exists()
    # The limit is the link's, not everyone's: another transfer's link still works.
    other_url = reverse("transfers:download", args=[other_token])
    ok = Client().post(other_url, {"email": "cme@la889.example.gov.uk", "file": "pdf"})
    assert ok.status_code == 200
    assert TransferDownload.objects.get().transfer == other
    # Once the oldest wrong address leaves the window, the link takes one try again.
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        again = anyone.post(url, {"email": "cme@la888.example.gov.uk", "file": "pdf"})
    assert again.status_code == 200
    assert again["Content-Type"] == "application/pdf"
    assert TransferDownload.objects.filter(transfer=transfer).count() == 1


def test_the_right_address_clears_the_wrong_ones(officer: User, settings: Settings) -> None:
    settings.CME_TRANSFER_DOWNLOAD_GUESSES = "2/h"
    _transfer, token = send(moved_case(officer), officer)
    url = reverse("transfers:download", args=[token])
    wrong = {"email": "typo@la888.example.gov.uk", "file": "ctf"}
    right = {"email": "cme@la888.example.gov.uk", "file": "ctf"}
    assert Client().post(url, wrong).status_code == 200
    assert Client().post(url, right).status_code == 200
    assert Client().post(url, wrong).status_code == 200  # one wrong since the right one
    assert Client().post(url, right).status_code == 200


def test_a_token_that_is_not_one_is_a_404(officer: User) -> None:
    transfer, token = send(moved_case(officer), officer)
    assert transfer.token_hash == token_hash(token)
    assert (
        Client().get(reverse("transfers:download", args=[transfer.token_hash])).status_code == 404
    )


# ---------------------------------------------------------------- sending, in the browser


def test_check_and_send_twice_sends_once(officer: User, officer_client: Client) -> None:
    case = moved_case(officer)
    la = other_la()
    form = officer_client.post(
        reverse("transfers:new", args=[case.reference]), {"to_la": la.pk, "reasons": "Moved"}
    )
    assert form.status_code == 302
    check = reverse("transfers:check", args=[case.reference])
    page = officer_client.get(check)
    assert escape(case.child.last_name) in page.content.decode()  # O'Neill is O&#x27;Neill
    # A second tab keeps the first draft's token: the double click sends once.
    token = officer_client.session[DRAFT][case.reference]["token"]
    first = officer_client.post(check)
    session = officer_client.session
    session[DRAFT] = {case.reference: {"to_la": la.pk, "reasons": "Moved", "token": token}}
    session.save()
    second = officer_client.post(check)
    transfer = Transfer.objects.get()
    assert (
        first["Location"]
        == second["Location"]
        == reverse("transfers:detail", args=[transfer.reference])
    )


def test_the_send_form_keeps_what_was_typed(officer: User, officer_client: Client) -> None:
    case = moved_case(officer)
    page = officer_client.post(
        reverse("transfers:new", args=[case.reference]), {"to_la": "", "reasons": "Typed <b>"}
    )
    form_with_errors(page, "Select the local authority the child has moved to", "Typed &lt;b&gt;")


def test_each_view_of_a_transfer_is_in_the_access_log(
    officer: User, officer_client: Client
) -> None:
    transfer, _ = send(moved_case(officer), officer)
    officer_client.get(reverse("transfers:detail", args=[transfer.reference]))
    response = officer_client.get(reverse("transfers:ctf", args=[transfer.reference]))
    assert response["Content-Type"] == "application/xml"
    logs = AccessLog.objects.filter(action=AccessAction.VIEW_CASE, child_id=transfer.case.child_id)
    assert {log.detail for log in logs} >= {
        f"Transfer {transfer.reference}",
        f"Transfer {transfer.reference}: CTF",
    }


def test_a_restricted_child_needs_a_reason_first(officer: User, officer_client: Client) -> None:
    transfer, _ = send(moved_case(officer, restricted=True), officer)
    response = officer_client.get(reverse("transfers:pdf", args=[transfer.reference]))
    assert response.status_code == 302
    assert "/open/" in response["Location"]
    ctf = read_transfer(private_storage().open(transfer.ctf_name).read())
    assert ctf.message.restricted  # the other LA is told


def test_the_list_is_a_constant_number_of_queries(
    officer: User, officer_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    transfer_row(officer)
    with django_assert_max_num_queries(12) as few:
        officer_client.get(reverse("transfers:list"))
    for _ in range(5):
        transfer_row(officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = officer_client.get(reverse("transfers:list") + "?awaiting=overdue")
    assert page.content.decode().count("No answer: due") == 6


# ------------------------------------------------------------------------------ receiving


def test_uploading_a_received_transfer_lands_in_triage(
    officer: User, officer_client: Client, settings: Settings
) -> None:
    transfer, _ = send(moved_case(officer), officer)
    data = private_storage().open(transfer.ctf_name).read()
    settings.CME_LA_CODE = "888"
    url = reverse("transfers:received_upload")
    from django.core.files.uploadedfile import SimpleUploadedFile

    first = officer_client.post(url, {"file": SimpleUploadedFile("t.xml", data)})
    referral = Referral.objects.get(referrer_type=ReferrerType.OTHER_LA)
    assert first["Location"] == reverse("triage:detail", args=[referral.reference])
    second = officer_client.post(url, {"file": SimpleUploadedFile("t.xml", data)})
    assert second["Location"] == first["Location"]
    assert Referral.objects.filter(referrer_type=ReferrerType.OTHER_LA).count() == 1
    page = officer_client.get(first["Location"]).content.decode()
    assert "Another local authority (Exampleshire County Council)" in page
    assert "Neighbour at no. 12" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.txt", b"<CTfile/>", "an XML file"),
        ("t.xml", b"not xml", "not valid XML"),
        ("t.xml", b'<!DOCTYPE x [<!ENTITY a "b">]><CTfile/>', "document type declaration"),
        ("t.xml", b"<CTfile><Header><CTFversion>21</CTFversion></Header></CTfile>", "not a CME"),
    ],
)
def test_a_bad_upload_is_refused_with_the_form_again(
    officer_client: Client, name: str, content: bytes, message: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = officer_client.post(
        reverse("transfers:received_upload"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert not Referral.objects.exists()
