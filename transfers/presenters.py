"""What the transfer pages share: a transfer's CTF or PDF served as a download (the officer's
pages in `views`, the other LA's page in `views_download`)."""

from __future__ import annotations

from django.http import FileResponse, Http404

from cme.storage import private_storage
from transfers.models import Transfer


def _file(name: str, filename: str, content_type: str) -> FileResponse:
    try:
        handle = private_storage().open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404("The transfer's file is missing") from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


def transfer_file(transfer: Transfer, file: str) -> FileResponse:
    """The transfer's PDF summary (``file == "pdf"``) or its CTF, as an attachment; a 404 if
    the stored file has gone."""
    if file == "pdf":
        return _file(transfer.pdf_name, f"{transfer.reference}.pdf", "application/pdf")
    return _file(transfer.ctf_name, f"{transfer.reference}.xml", "application/xml")
