"""The DfE's published cme_census.csv, uploaded by the administrator, and the dashboard's
rate beside England's and the region's for the same term (issue 15)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from cme.models import User
from reports.models import CensusDate, PublishedFigure
from reports.published import PublishedFileError, published_upload
from tests.reports.census_population import build_population

pytestmark = pytest.mark.usefixtures("frozen")

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,breakdown_topic,breakdown,child_count,"
    "child_percent,rate_per_100\n"
)
ROWS = (
    "202526,Autumn term,National,E92000001,England,,,,,,Total,Total,34700,100,0.4000000\n"
    "202526,Autumn term,National,E92000001,England,,,,,,Sex,Female,15700,45,x\n"
    "202526,Autumn term,Regional,E92000001,England,E12000009,South West,,,,Total,Total,2900,100,0.3500000\n"
    "202526,Autumn term,Regional,E92000001,England,E12000001,North East,,,,Total,Total,470,100,0.1200000\n"
    "202526,Autumn term,Local authority,E92000001,England,E12000009,South West,999,E10000999,"
    "Exampleshire,Total,Total,10,100,low\n"
    "202526,Autumn term,Local authority,E92000001,England,E12000009,South West,998,E10000998,"
    "Elsewhere,Total,Total,90,100,0.5\n"
)


def test_the_total_rows_of_england_the_regions_and_this_authority_are_kept(
    manager: User,
) -> None:
    result = published_upload(data=(HEADER + ROWS).encode(), file_name="cme_census.csv", by=manager)
    assert (result.national, result.regional, result.local) == (1, 2, 1)
    assert set(PublishedFigure.objects.values_list("geographic_level", "rate_per_100")) == {
        ("National", "0.4000000"),
        ("Regional", "0.3500000"),
        ("Regional", "0.1200000"),
        ("Local authority", "low"),
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"a,b,c\n1,2,3\n", "missing time_period"),
        ((HEADER + ROWS.splitlines()[1] + "\n").encode(), "no national Total rows"),
        (
            (
                HEADER + "202526,Autumn term,National,,,,,,,,Total,Total,=1+2+3+4+5+6+7+8,1,1\n"
            ).encode(),
            "not a published figure",
        ),
    ],
)
def test_a_file_that_is_not_the_published_one_is_refused_with_a_reason(
    manager: User, data: bytes, message: str
) -> None:
    with pytest.raises(PublishedFileError, match=message):
        published_upload(data=data, file_name="x.csv", by=manager)
    assert not PublishedFigure.objects.exists()


def test_the_administrator_uploads_it_in_the_admin(admin_client_: Client) -> None:
    url = reverse("admin:reports_publishedupload_upload")
    assert admin_client_.get(url).status_code == 200
    html = admin_client_.post(
        url, {"file": SimpleUploadedFile("cme_census.csv", (HEADER + ROWS).encode())}
    ).content.decode()
    assert "1 national, 2 regional and 1 of this authority" in html
    html = admin_client_.post(
        url, {"file": SimpleUploadedFile("notes.csv", b"a,b\n1,2\n")}
    ).content.decode()
    assert "does not have the published columns" in html


@override_settings(CME_LA_CHILD_POPULATION=1000, CME_REGION_CODE="E12000009")
def test_the_dashboard_shows_the_rate_beside_england_and_the_region_for_the_same_term(
    manager_client: Client, manager: User, officer: User
) -> None:
    build_population(officer)
    published_upload(data=(HEADER + ROWS).encode(), file_name="cme_census.csv", by=manager)
    # The latest census day on or before today is the one compared: here the autumn 2025 one.
    CensusDate.objects.exclude(term="autumn").delete()
    html = manager_client.get(reverse("dashboard:dashboard")).content.decode()
    start = html.index('id="comparison"')
    table = html[start : html.index("</table>", start)]
    assert "Autumn term 2025/26" in table
    assert re.search(r"This authority \(5 children counted\)</th><td[^>]*>0.5<", table)
    assert re.search(r"This authority, as published</th><td[^>]*>low<", table)
    assert re.search(r"South West</th><td[^>]*>0.4<", table)  # 0.35: half up
    assert re.search(r"England</th><td[^>]*>0.4<", table)
    assert "rounds local authority and regional counts to the nearest 10" in html


def test_without_a_published_file_or_a_population_the_dashboard_says_so(
    manager_client: Client,
) -> None:
    html = manager_client.get(reverse("dashboard:dashboard")).content.decode()
    assert "Summer term 2025/26" in html
    assert "Not known: the population is not set" in html
    assert "No published file has been uploaded yet" in html
