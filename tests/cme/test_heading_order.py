"""Headings in order on the long forms: a screen reader user moves through a page by its
headings, so a form's sections are h2 headings (in their legends) under the page's h1, and
the parts of a section ("First parent or carer") h3 headings under them. No level is skipped.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from schools.models import ReturnKind


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[tuple[int, str]] = []
        self._open: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._open = int(tag[1])
            self.levels.append((self._open, ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None and data.strip():
            level, text = self.levels[-1]
            self.levels[-1] = (level, (text + " " + data.strip()).strip())

    def handle_endtag(self, tag: str) -> None:
        if len(tag) == 2 and tag[0] == "h":
            self._open = None


def skipped_levels(html: str) -> list[str]:
    """Each heading that goes down more than one level from the one before it."""
    parser = _Headings()
    parser.feed(html)
    found, previous = [], 0
    for level, text in parser.levels:
        if level > previous + 1:
            found.append(f"h{previous} -> h{level} {text!r}")
        previous = level
    return found


def test_the_checker_sees_a_skipped_level() -> None:
    assert skipped_levels("<h1>A</h1><h3>B</h3>") == ["h1 -> h3 'B'"]
    assert skipped_levels("<h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>") == []


@pytest.mark.parametrize("kind", ReturnKind.values)
def test_each_return_form_has_its_headings_in_order(client_a: Client, kind: str) -> None:
    html = client_a.get(reverse("schools:return_start", args=[kind])).content.decode()
    assert '<h2 class="govuk-fieldset__heading">' in html
    assert skipped_levels(html) == []


def test_the_public_referral_form_has_its_headings_in_order(client: Client, db: None) -> None:
    html = client.get(reverse("referrals:public_start")).content.decode()
    assert '<h2 class="govuk-fieldset__heading">' in html
    assert skipped_levels(html) == []


def test_the_signed_in_referral_form_has_its_headings_in_order(officer_client: Client) -> None:
    html = officer_client.get(reverse("referrals:new")).content.decode()
    assert '<h2 class="govuk-fieldset__heading">' in html
    assert skipped_levels(html) == []
