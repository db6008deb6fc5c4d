"""Every form, bound with hostile data through its view as the persona who uses it: never a
500, and whatever is echoed back is escaped. Field names come from the page itself (every
input, textarea and select of the rendered form), so a field added later is fuzzed too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from schools.forms.fields import clean_text
from tests.cme.test_access_matrix import World
from tests.factories import ReferralFactory
from tests.fuzz.conftest import FUZZ, Screen, assert_safe, form_fields, value_for


@dataclass(frozen=True)
class Target(Screen):
    #: After a valid form (302 to a check page), POST the check page too.
    then_post_redirect: bool = False
    #: A fresh object per example (the form's success changes the object's state).
    fresh: Callable[[World], Any] | None = None


def _case(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.case.reference])


def _return_start(kind: str) -> Callable[[World], str]:
    return lambda w: reverse("schools:return_start", args=[kind])


FORMS: dict[str, Target] = {
    "sign in": Target("anonymous", lambda w: reverse("login")),
    "password reset": Target("anonymous", lambda w: reverse("password_reset")),
    "joiner return": Target("staff_a", _return_start("joiner"), then_post_redirect=True),
    "leaver return": Target("staff_a", _return_start("leaver"), then_post_redirect=True),
    "part-time return": Target("staff_a", _return_start("part_time"), then_post_redirect=True),
    "absence return": Target("staff_a", _return_start("absence"), then_post_redirect=True),
    "timetable review": Target(
        "staff_a",
        lambda w: reverse("schools:timetable_review", args=[w.returns["part_time"].reference]),
    ),
    "switch school": Target("staff_a", lambda w: reverse("schools:home")),
    "public referral": Target(
        "anonymous", lambda w: reverse("referrals:public_start"), then_post_redirect=True
    ),
    "signed-in referral (school)": Target(
        "staff_a", lambda w: reverse("referrals:new"), then_post_redirect=True
    ),
    "signed-in referral (LA)": Target(
        "officer", lambda w: reverse("referrals:new"), then_post_redirect=True
    ),
    "triage decisions": Target(
        "manager", lambda w: reverse("triage:detail", args=[w.referral.reference])
    ),
    "enquiry": Target("officer", _case("cases:enquiry_new")),
    "note": Target("officer", _case("cases:note_new")),
    "investigation complete": Target("officer", _case("cases:investigation_complete")),
    "category": Target("officer", _case("cases:category")),
    "cme details": Target("officer", _case("cases:cme_details")),
    "escalate": Target("officer", _case("cases:escalate")),
    "close": Target("officer", _case("cases:close")),
    "reopen": Target("officer", _case("cases:reopen")),
    "allocate": Target("manager", _case("cases:allocate")),
    "merge": Target(
        "manager", lambda w: reverse("cases:merge_confirm", args=[w.child.pk, w.other_child.pk])
    ),
    "undo merge": Target("manager", lambda w: reverse("cases:merge_undo", args=[w.merge.pk])),
    "report request": Target("manager", lambda w: reverse("reports:runs")),
    "notifications read": Target("officer", lambda w: reverse("notifications")),
    "two-factor set-up": Target("officer", lambda w: reverse("two_factor_setup")),
    "restrict a record": Target(
        "manager", lambda w: reverse("cases:restrict", args=[w.other_child.pk])
    ),
    # -- elective home education (issue 17): the manager works the EHE register too
    "ehe add a child": Target("manager", lambda w: reverse("ehe:add")),
    "ehe contact": Target("manager", lambda w: reverse("ehe:contact_new", args=[w.ehe.pk])),
    "ehe view": Target("manager", lambda w: reverse("ehe:suitability_new", args=[w.ehe.pk])),
    "ehe parent": Target("manager", lambda w: reverse("ehe:parent_new", args=[w.ehe.pk])),
    "ehe end": Target("manager", lambda w: reverse("ehe:end", args=[w.ehe.pk])),
    "ehe s437 notice": Target(
        "manager", lambda w: reverse("ehe:notice_new", args=[w.ehe.pk, "s437_1"])
    ),
    "ehe notice of intention": Target(
        "manager", lambda w: reverse("ehe:notice_new", args=[w.ehe.pk, "intention"])
    ),
    "ehe answer": Target("manager", lambda w: reverse("ehe:notice_answer", args=[w.notice.pk])),
}

#: Where a page's form posts when it is not the page itself.
POST_TO: dict[str, Callable[[World], list[str]]] = {
    "switch school": lambda w: [reverse("schools:switch_school")],
    "triage decisions": lambda w: [
        reverse(f"triage:{d}", args=[w.referral.reference])
        for d in ("accept", "not_cme", "duplicate")
    ],
    "notifications read": lambda w: [reverse("notifications_read")],
}

#: Fields some pages post that the GET page does not render (a form for one choice only).
EXTRA_FIELDS: dict[str, dict[str, list[str]]] = {
    "switch school": {"school": []},
    "notifications read": {"id": []},
    "sign in": {"username": [], "password": []},
}


@pytest.mark.parametrize(("label", "target"), FORMS.items(), ids=list(FORMS))
def test_no_form_falls_over_on_hostile_input(
    label: str, target: Target, world: World, clients: dict[str, Client], nul_guard: list[str]
) -> None:
    client, _, page = target.open(world, clients)
    fields = {**form_fields(page.content.decode()), **EXTRA_FIELDS.get(label, {})}
    assert fields, f"{label}: no form fields found on the page"
    strategy = st.fixed_dictionaries({name: value_for(name, opts) for name, opts in fields.items()})

    @FUZZ
    @given(data=strategy)
    @example(data=dict.fromkeys(fields, "<script>alert(1)</script>"))
    @example(data=dict.fromkeys(fields, "a\x00b"))
    @example(data=dict.fromkeys(fields, "²"))
    @example(data=dict.fromkeys(fields, "x" * 20000))
    def run(data: dict[str, str]) -> None:
        nul_guard.clear()
        if label == "triage decisions":
            # Each example decides a fresh referral (a decided one only says "already decided").
            world.referral = ReferralFactory.create()
        urls = POST_TO[label](world) if label in POST_TO else [target.url(world)]
        for url in urls:
            response = client.post(url, data)
            assert_safe(response, data)
            if target.then_post_redirect and response.status_code == 302:
                location = response["Location"]
                if "check" in location:
                    check = client.get(location)
                    assert_safe(check, data)
                    sent = client.post(location, {})
                    assert_safe(sent, data)
                    if sent.status_code == 302:
                        assert_safe(client.get(sent["Location"]), data)
        assert not nul_guard, f"{label}: a NUL reached the database: {nul_guard[:1]}"

    run()


def _project_forms() -> list[type]:
    """Every form class of the project's apps (the URLconf imports every view's forms)."""
    from django import forms
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module, and their forms
    apps = ("cme.", "schools.", "referrals.", "casework.", "reports.")
    found: list[type] = []
    todo = list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(apps) and cls not in found:
            found.append(cls)
    return found


def test_every_form_text_field_strips_or_refuses_nul() -> None:
    """PostgreSQL refuses NUL in text: every text field of every form strips it or says no."""
    from django import forms
    from django.core.exceptions import ValidationError

    checked = []
    for cls in _project_forms():
        for name, field in getattr(cls, "base_fields", {}).items():
            if not isinstance(field, forms.CharField):
                continue
            checked.append(f"{cls.__name__}.{name}")
            try:
                value = field.clean("a\x00b")
            except ValidationError:
                continue
            assert "\x00" not in str(value), f"{cls.__name__}.{name} keeps a NUL"
    assert len(checked) > 40, checked
    assert clean_text("a\x00b\x1f") == "ab"
