"""The administrators' GIAS upload: limited in size and type, all rows or none."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from cme.models import User
from schools.forms.upload import (
    ERROR_BINARY,
    ERROR_NOT_CSV,
    GiasUploadForm,
    max_upload_bytes,
)
from schools.models import School
from tests.factories import MembershipFactory, SchoolFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

DATA = Path(__file__).resolve().parent.parent / "data"
URL = "admin:schools_school_import"


def _csv(
    name: str = "gias.csv", content: bytes | None = None, content_type: str = "text/csv"
) -> SimpleUploadedFile:
    if content is None:
        content = (DATA / "gias_sample.csv").read_bytes()
    return SimpleUploadedFile(name, content, content_type=content_type)


def _post(client: Client, upload: SimpleUploadedFile, **extra: str) -> _MonkeyPatchedWSGIResponse:
    return client.post(reverse(URL), {"file": upload, "la_code": "999", **extra})


def test_only_administrators_reach_the_upload(
    client_a: Client,
    officer_client: Client,
    manager_client: Client,
    admin_client_: Client,
    client: Client,
) -> None:
    url = reverse(URL)
    assert admin_client_.get(url).status_code == 200
    # Signed-in users of other roles are refused (issue 12 A13); a visitor is sent to sign in.
    for other in (client_a, officer_client, manager_client):
        assert other.get(url).status_code == 403
        assert other.post(url, {"file": _csv()}).status_code == 403
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.post(url, {"file": _csv()}).status_code == 302
    assert not School.objects.filter(urn=110101).exists()


def test_a_good_file_is_imported_with_the_counts(
    admin_client_: Client, administrator: User
) -> None:
    response = _post(admin_client_, _csv())
    assert response.status_code == 200
    body = response.content.decode()
    created = School.objects.filter(urn__gte=110101, urn__lte=110199).count()
    assert created > 0
    assert f"Created: {created}" in body
    assert "Updated: 0" in body
    school = School.objects.get(urn=110101)
    assert school.created_by == administrator
    # The same file again: nothing changes.
    again = _post(admin_client_, _csv()).content.decode()
    assert f"Unchanged: {created}" in again
    assert "Created: 0" in again


def test_check_only_saves_nothing(admin_client_: Client) -> None:
    response = _post(admin_client_, _csv(), dry_run="on")
    assert "Checked only, nothing saved" in response.content.decode()
    assert not School.objects.filter(urn=110101).exists()


def test_bad_rows_are_listed_by_number_and_the_rest_imported(admin_client_: Client) -> None:
    response = _post(admin_client_, _csv(content=(DATA / "gias_bad.csv").read_bytes()))
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 rows were not imported and need correcting; the other rows were imported" in body
    assert 'id="import-problems"' in body
    assert "<td>3</td>" in body  # the URN with a letter O, on row 3
    assert School.objects.filter(urn=110201).exists()  # its good rows are imported


def test_a_school_in_use_is_not_closed_by_an_upload_unless_allowed(
    admin_client_: Client,
) -> None:
    header = (DATA / "gias_sample.csv").read_bytes().splitlines()[0]
    row = b"990001,999,Exampleshire,1,Alder Primary School,Community school,x,Closed,,31-08-2026,Primary,4,11,,,Town,EX1 1AA"
    school = SchoolFactory.create(urn=990001, la_code="999", is_open=True)
    MembershipFactory.create(school=school)
    upload = header + b"\r\n" + row + b"\r\n"

    body = _post(admin_client_, _csv(content=upload)).content.decode()
    assert 'id="import-blocked"' in body
    assert "open to closed" in body
    school.refresh_from_db()
    assert school.is_open is True

    body = _post(admin_client_, _csv(content=upload), allow_changes="on").content.decode()
    assert "Changed as you allowed" in body
    school.refresh_from_db()
    assert school.is_open is False


def test_a_file_over_20_mb_is_refused(admin_client_: Client) -> None:
    big = b"URN,EstablishmentName\r\n" + b"1," + b"x" * (max_upload_bytes() + 10) + b"\r\n"
    response = _post(admin_client_, _csv(content=big))
    assert response.status_code == 200
    assert "The file must be smaller than 20 MB" in response.content.decode()
    assert not School.objects.exists()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("gias.xlsx", "text/csv"),
        ("gias.csv.exe", "text/csv"),
        ("gias.csv", "application/pdf"),
        ("gias.csv", "image/png"),
        ("gias", "text/csv"),
    ],
)
def test_anything_but_a_csv_is_refused(admin_client_: Client, name: str, content_type: str) -> None:
    response = _post(admin_client_, _csv(name=name, content_type=content_type))
    assert ERROR_NOT_CSV in response.content.decode()
    assert not School.objects.exists()


@pytest.mark.parametrize("content_type", ["text/csv", "application/vnd.ms-excel", "text/plain"])
def test_the_content_types_browsers_send_for_csv_are_accepted(content_type: str) -> None:
    form = GiasUploadForm({"la_code": "999"}, {"file": _csv(content_type=content_type)})
    assert form.is_valid(), form.errors


def test_a_binary_file_is_refused(admin_client_: Client) -> None:
    binary = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 10  # an .xlsx renamed .csv
    response = _post(admin_client_, _csv(content=binary))
    assert ERROR_BINARY in response.content.decode()
    assert not School.objects.exists()


def test_an_empty_file_and_a_bad_la_code_are_refused(admin_client_: Client) -> None:
    response = _post(admin_client_, _csv(content=b""))
    assert "The file is empty" in response.content.decode()
    response = admin_client_.post(reverse(URL), {"file": _csv(), "la_code": "<s>"})
    body = response.content.decode()
    assert "Enter a local authority code of 3 digits" in body
    assert 'value="&lt;s&gt;"' in body
    assert not School.objects.exists()


def test_hostile_school_names_are_escaped_in_the_result(admin_client_: Client) -> None:
    header = (DATA / "gias_sample.csv").read_bytes().splitlines()[0]
    row = b'990001,999,Exampleshire,1,"<script>alert(1)</script>",Community school,x,Open,,,Primary,4,11,,,Town,EX1 1AA'
    response = _post(admin_client_, _csv(content=header + b"\r\n" + row + b"\r\n"))
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert School.objects.get(urn=990001).name == "<script>alert(1)</script>"
    listing = admin_client_.get(reverse("admin:schools_school_changelist")).content.decode()
    assert "<script>alert(1)</script>" not in listing


def test_an_upload_over_the_cap_is_stopped_while_it_is_read_and_the_form_says_why(
    administrator: User, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap applies as the file arrives, before anything is stored: the temporary-file
    handler never sees more than the cap, and the page (with its CSRF check enforced) is the
    form with the error, not a failure page."""
    import re

    from django.core.files import uploadhandler
    from django.test import Client

    settings.CME_MAX_UPLOAD_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # so that the rest goes to a temporary file
    stored: list[int] = []
    original = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk

    def counting(
        self: uploadhandler.TemporaryFileUploadHandler, raw_data: bytes, start: int
    ) -> bytes | None:
        stored.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "receive_data_chunk", counting)
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    page = client.get(reverse(URL)).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found
    token = found.group(1)
    header = (DATA / "gias_sample.csv").read_bytes()
    big = header + b"x" * (5 * 1024 * 1024)  # 5 MB: far over the 64 KB cap
    response = client.post(
        reverse(URL),
        {"csrfmiddlewaretoken": token, "la_code": "999", "file": _csv(content=big)},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The file must be smaller than 64 KB" in body  # the cap in force, not 20 MB
    assert 'value="999"' in body  # the other answers are kept
    assert sum(stored) <= 64 * 1024 + 64 * 1024  # at most the cap and one chunk was stored
    assert not School.objects.exists()


def test_an_upload_under_the_cap_goes_through(admin_client_: Client, settings: Settings) -> None:
    settings.CME_MAX_UPLOAD_BYTES = 1024 * 1024
    response = _post(admin_client_, _csv())
    assert response.status_code == 200
    assert School.objects.exists()


def test_the_form_refuses_a_file_over_the_setting(settings: Settings) -> None:
    """The form's own size check is the setting CME_MAX_UPLOAD_BYTES, not a constant."""
    settings.CME_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    content = b"URN,EstablishmentName\r\n" + b"1," + b"x" * (3 * 1024 * 1024) + b"\r\n"
    form = GiasUploadForm(data={"la_code": ""}, files={"file": _csv(content=content)})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "The file must be smaller than 2 MB. Download the file for your LA only from GIAS."
    ]
