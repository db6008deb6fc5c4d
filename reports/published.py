"""The DfE's published cme_census.csv (explore-education-statistics, "Children missing
education"), uploaded by the administrator: the national, regional and this authority's Total
rows, kept for the dashboard's comparison (issue 15). Parsed as text, never evaluated; the
file is read whole (its size is capped by cme.uploads before it is stored) and refused, with
a reason, unless it has the published columns and at least one national row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cme.models import User
from reports.models import PublishedFigure, PublishedUpload

#: The columns the comparison reads (the 2025/26 file has more; older files named some
#: differently: "filter_group", "filter", "number", "rate").
REQUIRED = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "breakdown_topic",
    "breakdown",
    "child_count",
    "rate_per_100",
)
OPTIONAL = ("region_code", "region_name", "new_la_code")
LEVELS = ("National", "Regional", "Local authority")
#: A published cell is at most this long ("low", "x", a number): anything longer is refused.
MAX_CELL = 12


class PublishedFileError(Exception):
    """Why the file cannot be used, in words for the administrator."""


@dataclass(frozen=True)
class PublishedResult:
    upload: PublishedUpload
    national: int
    regional: int
    local: int


def _rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PublishedFileError(
            "The file is not UTF-8 text: upload the CSV as downloaded"
        ) from exc
    if "\x00" in text:
        raise PublishedFileError("The file is not a CSV file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise PublishedFileError(
            "The file does not have the published columns of cme_census.csv: missing "
            + ", ".join(missing)
        )
    try:
        return list(reader)
    except csv.Error as exc:
        raise PublishedFileError(f"The file is not a valid CSV file: {exc}") from exc


def _keep(row: dict[str, Any], la_code: str) -> bool:
    if row.get("breakdown_topic") != "Total" or row.get("breakdown") != "Total":
        return False
    level = row.get("geographic_level")
    return level in ("National", "Regional") or (
        level == "Local authority" and row.get("new_la_code") == la_code
    )


@transaction.atomic
def published_upload(*, data: bytes, file_name: str, by: User) -> PublishedResult:
    """Keep the file's Total rows for England, each region and this authority."""
    la_code = settings.CME_LA_NEW_CODE
    figures = []
    for row in _rows(data):
        if not _keep(row, la_code):
            continue
        cells = {c: str(row.get(c) or "").strip() for c in (*REQUIRED, *OPTIONAL)}
        if any(len(v) > MAX_CELL for k, v in cells.items() if k in ("child_count", "rate_per_100")):
            raise PublishedFileError("A count or rate in the file is not a published figure")
        figures.append(
            PublishedFigure(
                time_period=cells["time_period"][:6],
                time_identifier=cells["time_identifier"][:20],
                geographic_level=cells["geographic_level"],
                region_code=cells["region_code"][:9],
                region_name=cells["region_name"][:60],
                new_la_code=cells["new_la_code"][:9],
                child_count=cells["child_count"],
                rate_per_100=cells["rate_per_100"],
            )
        )
    national = sum(f.geographic_level == "National" for f in figures)
    if not national:
        raise PublishedFileError("The file has no national Total rows: is it cme_census.csv?")
    upload = PublishedUpload.objects.create(
        uploaded_at=timezone.now(), uploaded_by=by, file_name=file_name[:200], rows=len(figures)
    )
    for f in figures:
        f.upload = upload
    PublishedFigure.objects.bulk_create(figures)
    regional = sum(f.geographic_level == "Regional" for f in figures)
    return PublishedResult(upload, national, regional, len(figures) - national - regional)
