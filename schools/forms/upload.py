"""The administrators' GIAS upload: a CSV file of establishments, checked before it is read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from schools.gias import normalise_la_code

#: What browsers send for a .csv file (Windows with Excel says vnd.ms-excel).
CSV_CONTENT_TYPES = frozenset({"text/csv", "application/vnd.ms-excel", "text/plain"})
#: How much of the file is looked at for NUL bytes (a binary file, such as an .xlsx renamed).
SNIFF_BYTES = 8192

ERROR_TOO_BIG = (
    "The file must be smaller than {size}. Download the file for your LA only from GIAS."
)
ERROR_NOT_CSV = "The file must be a CSV file (ending .csv), as downloaded from GIAS"
ERROR_BINARY = "The file is not a text CSV file: download it again from GIAS as CSV"
ERROR_LA_CODE = "Enter a local authority code of 3 digits, like 999, or leave it blank"


def max_upload_bytes() -> int:
    """The largest GIAS file accepted through the web: the setting ``CME_MAX_UPLOAD_BYTES``
    (20 MB by default; one LA's extract is well under 1 MB), the cap `cme.uploads` applies
    as the file arrives."""
    return int(settings.CME_MAX_UPLOAD_BYTES)


def too_big_message() -> str:
    """ERROR_TOO_BIG for the cap in force: in MB, or in KB under 1 MB."""
    cap = max_upload_bytes()
    size = f"{cap // 1024 // 1024} MB" if cap >= 1024 * 1024 else f"{max(cap // 1024, 1)} KB"
    return ERROR_TOO_BIG.format(size=size)


class GiasUploadForm(forms.Form):
    file = forms.FileField(
        label="GIAS establishment file (CSV)",
        error_messages={"required": "Choose the GIAS CSV file", "empty": "The file is empty"},
    )
    la_code = forms.CharField(
        label="Only this LA's schools (optional)",
        required=False,
        max_length=3,
        help_text="The 3-digit LA code, for example 999. Leave blank to import every row.",
    )
    dry_run = forms.BooleanField(
        label="Check only: show what would change but save nothing", required=False
    )
    allow_changes = forms.BooleanField(
        label="Allow a school with staff or returns to change LA or open status",
        required=False,
        help_text="Without this, such a change stops the import and the schools are listed.",
    )

    def __init__(self, *args: Any, too_big: bool = False, **kwargs: Any) -> None:
        # too_big: the request's upload was stopped for its size before it was stored
        # (cme.uploads), so the file is missing: say why, not "Choose the file".
        self.too_big = too_big
        super().__init__(*args, **kwargs)
        self.fields["la_code"].initial = getattr(settings, "CME_LA_CODE", "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.too_big:
            self.errors.pop("file", None)
            self.add_error(
                "file",
                forms.ValidationError(too_big_message(), code="too_big"),
            )
        return cleaned

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > max_upload_bytes():
            raise forms.ValidationError(too_big_message(), code="too_big")
        name = (upload.name or "").lower()
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if not name.endswith(".csv") or content_type not in CSV_CONTENT_TYPES:
            raise forms.ValidationError(ERROR_NOT_CSV, code="type")
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        if b"\x00" in head:
            raise forms.ValidationError(ERROR_BINARY, code="binary")
        return upload

    def clean_la_code(self) -> str | None:
        value = (self.cleaned_data.get("la_code") or "").strip()
        if not value:
            return None
        code = normalise_la_code(value)
        if code is None:
            raise forms.ValidationError(ERROR_LA_CODE, code="la_code")
        return code
