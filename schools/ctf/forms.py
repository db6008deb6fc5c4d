"""The CTF upload form: one XML file, size-limited, read by the safe parser as it is cleaned."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms
from django.core.files.uploadedfile import UploadedFile

from cme.forms import gds_helper
from schools.ctf.parser import MAX_BYTES, CtfError, parse_ctf
from schools.ctf.records import CtfFile

ERROR_TOO_BIG = f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"
ERROR_NOT_XML = (
    "The selected file must be an XML file (ending .xml), as your school's system exports"
)


class CtfUploadForm(forms.Form):
    """A CTF upload. A form for another kind of CTF sets its own limit and messages; the bytes
    read are kept in ``data_bytes`` for the service."""

    max_bytes = MAX_BYTES
    error_too_big = ERROR_TOO_BIG
    error_not_xml = ERROR_NOT_XML

    file = forms.FileField(
        label="Upload a common transfer file (CTF)",
        help_text="The XML file your school's system (SIMS, Arbor, Bromcom, ScholarPack or "
        "another) exported: CTF 19 or later, full or partial.",
        error_messages={"required": "Select a CTF file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, too_big: bool = False, **kwargs: Any) -> None:
        # too_big: cme.uploads stopped the upload for its size before it was stored.
        self.too_big = too_big
        self.ctf: CtfFile | None = None
        self.data_bytes = b""
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xml,text/xml,application/xml"
        self.helper = gds_helper(Field("file"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.too_big:  # stopped by cme.uploads: say this form's limit
            self.errors.pop("file", None)
            self.add_error("file", forms.ValidationError(self.error_too_big, code="too_big"))
        return cleaned

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > self.max_bytes:
            raise forms.ValidationError(self.error_too_big, code="too_big")
        if not (upload.name or "").lower().endswith(".xml"):
            raise forms.ValidationError(self.error_not_xml, code="type")
        upload.seek(0)
        # Read at most one byte past the cap: a file that lied about its size is still refused.
        data = upload.read(self.max_bytes + 1)
        try:
            self.ctf = parse_ctf(data)
        except CtfError as exc:
            raise forms.ValidationError(str(exc), code="ctf") from exc
        self.data_bytes = data
        return upload
