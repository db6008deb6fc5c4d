"""A cap on the file data a request may carry, applied while it is read, before it is stored.

``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves file data out, and a form's own size check runs only
after Django has written the whole upload to a temporary file: a multi-gigabyte POST would
fill the disk first. This handler, first in ``FILE_UPLOAD_HANDLERS``, counts the file bytes
as they arrive and stops the upload past ``CME_MAX_UPLOAD_BYTES``; the rest of the body is read
and thrown away, and the request is marked so that the form can say the file is too big.

It counts file data only, not the body's Content-Length: the form's other fields (the CSRF
token first of all) are still read, so the person gets the form back with the error, not a
"CSRF verification failed" page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

#: Set on the request when its upload was stopped for its size.
TOO_BIG_ATTR = "upload_too_big"


def upload_too_big(request: Any) -> bool:
    return bool(getattr(request, TOO_BIG_ATTR, False))


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    @property
    def limit(self) -> int:
        return int(settings.CME_MAX_UPLOAD_BYTES)

    def _stop(self) -> None:
        if self.request is not None:
            setattr(self.request, TOO_BIG_ATTR, True)
        # Read and throw away the rest of the body (nothing is stored), so that the browser
        # gets the page saying why rather than a reset connection.
        raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._stop()
        return raw_data  # on to the next handler, which stores it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file
