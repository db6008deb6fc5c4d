"""Issue 12: a notification's body keeps its lines and links each reference to its item."""

from __future__ import annotations

from django.urls import reverse

from cme.models import User
from cme.templatetags.notification_text import notification_body


def test_lines_kept_text_escaped_references_linked_for_the_reader(
    officer: User, staff_a: User
) -> None:
    body = "Late <b>returns</b>:\n- NP-ABCD-EFGH\n- CS-ABCD-EFGH"
    for_officer = notification_body(body, officer)
    assert "&lt;b&gt;returns&lt;/b&gt;" in for_officer
    assert "<b>" not in for_officer
    assert for_officer.count("<br>") == 2
    la_return = reverse("schools:la_return_detail", args=["NP-ABCD-EFGH"])
    case = reverse("cases:detail", args=["CS-ABCD-EFGH"])
    assert f'href="{la_return}"' in for_officer
    assert f'href="{case}"' in for_officer
    for_school = notification_body(body, staff_a)
    school_return = reverse("schools:return_detail", args=["NP-ABCD-EFGH"])
    assert f'href="{school_return}"' in for_school
    assert case not in for_school
    assert "CS-ABCD-EFGH" in for_school
