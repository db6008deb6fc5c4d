"""Reading the pages the test client gets back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def form_with_errors(response: TestResponse, *texts: str) -> str:
    """The form sent back (200) with the GOV.UK error summary and each of ``texts`` on the
    page; the page's HTML, for what else a test looks for."""
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    for text in texts:
        assert text in html
    return html


def post_from_version_1(client: Client, url: str, answers: dict[str, Any]) -> TestResponse:
    """Open the form (it carries the case's version, 1) and send ``answers`` from it."""
    assert 'name="version" value="1"' in client.get(url).content.decode()
    return client.post(url, {**answers, "version": "1"})
