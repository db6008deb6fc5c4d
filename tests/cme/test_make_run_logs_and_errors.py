"""Issue 12, `make run`: the GOV.UK 404 page under DEBUG, a 403 logged as one line (no
traceback), and a filesystem broker URL kombu does not warn about."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from kombu import Connection
from pytest_django import Settings

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

ROOT = Path(__file__).resolve().parents[2]


def _templates(response: _MonkeyPatchedWSGIResponse) -> list[str]:
    return [t.name for t in response.templates if t.name]


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_path_gets_the_govuk_404_page(
    debug: bool, settings: Settings, officer_client: Client
) -> None:
    settings.DEBUG = debug
    response = officer_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "errors/404.html" in _templates(response)
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-template" in html
    assert "Using the URLconf" not in html
    assert "DEBUG = True" not in html


def test_a_views_http404_gets_the_govuk_404_page_under_debug(
    settings: Settings, officer_client: Client
) -> None:
    settings.DEBUG = True
    response = officer_client.get(reverse("cases:detail", args=["CS-NONE-NONE"]))
    assert response.status_code == 404
    assert "errors/404.html" in _templates(response)
    assert "DEBUG = True" not in response.content.decode()


def test_a_missing_trailing_slash_still_redirects_under_debug(
    settings: Settings, officer_client: Client
) -> None:
    settings.DEBUG = True
    response = officer_client.get("/register")
    assert response.status_code == 301
    assert response["Location"] == "/register/"


def test_a_403_is_logged_in_one_line_without_a_traceback(
    client_a: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_a.get(reverse("cases:register"))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records, "the 403 is still logged"
    assert all(r.exc_info is None and not r.exc_text for r in records)
    assert "Forbidden" in records[0].getMessage()
    assert "Traceback" not in caplog.text


def test_a_500_keeps_its_traceback() -> None:
    from cme.log_filters import NoTracebackFor4xx

    def fail() -> None:
        raise RuntimeError("boom")

    try:
        fail()
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), sys.exc_info())
    record.status_code = 500
    assert NoTracebackFor4xx().filter(record)
    assert record.exc_info is not None


def test_the_make_run_broker_url_gives_kombu_a_hostname(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        Connection(settings.DEV_BROKER_URL).info()
    assert "No hostname was supplied" not in caplog.text
    # And it is what the settings use when CELERY_BROKER_URL is not set (make run).
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    out = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.CELERY_BROKER_URL)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == settings.DEV_BROKER_URL
