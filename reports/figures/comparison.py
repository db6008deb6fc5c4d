"""The authority's rate of children missing education beside England's and its region's for
the same term (issue 15), from the DfE's published cme_census.csv the administrator uploads.

Rates are per 100 children aged 5 to 16 (the DfE uses ONS mid-year estimates); ours is from
exact counts and ``CME_LA_CHILD_POPULATION``, so it can differ from the published one, which
the DfE works out from counts it rounds (local authority and regional to the nearest 10,
national to the nearest 100; "low" is a figure that rounds to 0 but is not 0, "x" is not
available).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Count

from casework.census import counted_at
from reports.models import CensusDate, PublishedFigure, PublishedUpload

ROUNDING_NOTE = (
    "The DfE rounds local authority and regional counts to the nearest 10 and national counts "
    "to the nearest 100 before it publishes them, and works out rates per 100 children aged 5 "
    "to 16 (ONS mid-year population estimates). \u201clow\u201d is a figure that rounds to 0 but "
    "is not 0; \u201cx\u201d means not available. Our rate is worked out from the exact count, "
    "so it can differ a little from the published one."
)


@dataclass(frozen=True)
class Comparison:
    census: CensusDate
    count: int
    rate: float | None  # None: no population set (CME_LA_CHILD_POPULATION)
    national: str | None  # None: no published figure for this term
    regional: str | None
    region_name: str
    published_own: str | None
    upload: PublishedUpload | None


def shown_rate(value: str) -> str:
    """A published rate as shown: a number to one decimal place (half up, as the DfE rounds),
    "low" and "x" as they are."""
    try:
        return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return value


def comparison(census: CensusDate) -> Comparison:
    """Three queries: the children counted, the latest upload, its rows for the term."""
    count: int = counted_at(census.census_date).aggregate(n=Count("child_id", distinct=True))["n"]
    population = int(settings.CME_LA_CHILD_POPULATION)
    rate = round(100 * count / population, 1) if population > 0 else None
    upload = PublishedUpload.objects.select_related("uploaded_by").first()
    rows = (
        list(
            PublishedFigure.objects.filter(
                upload=upload,
                time_period=census.time_period,
                time_identifier=census.get_term_display(),
            )
        )
        if upload
        else []
    )
    national = next((r for r in rows if r.geographic_level == "National"), None)
    regional = next(
        (
            r
            for r in rows
            if r.geographic_level == "Regional" and r.region_code == settings.CME_REGION_CODE
        ),
        None,
    )
    own = next((r for r in rows if r.geographic_level == "Local authority"), None)
    return Comparison(
        census=census,
        count=count,
        rate=rate,
        national=shown_rate(national.rate_per_100) if national else None,
        regional=shown_rate(regional.rate_per_100) if regional else None,
        region_name=regional.region_name if regional else "",
        published_own=shown_rate(own.rate_per_100) if own else None,
        upload=upload,
    )
