"""The termly CME return as a CSV in the published columns of the DfE's cme_census.csv
(the local authority's rows; the DfE rounds when it publishes, so the counts are exact).
Text cells a spreadsheet would run as formulas are neutralised as in every other export."""

from __future__ import annotations

import csv
import io

from django.conf import settings

from cme.spreadsheet import neutralise
from reports.models import CensusDate

COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "new_la_code",
    "la_name",
    "breakdown_topic",
    "breakdown",
    "child_count",
)
GEOGRAPHIC_LEVEL = "Local authority"


def census_csv(census: CensusDate, rows: list[tuple[str, str, int]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for topic, breakdown, count in rows:
        cells = (
            census.time_period,
            census.get_term_display(),
            GEOGRAPHIC_LEVEL,
            settings.CME_LA_NEW_CODE,
            settings.CME_LA_NAME,
            topic,
            breakdown,
            count,
        )
        writer.writerow([neutralise(c) for c in cells])
    return out.getvalue()
