"""Browser journey (issue 16 item 3): school staff upload a CTF, see its pupils (the one
with a bad UPN reported and kept, its UPN left out), start joiner returns pre-filled from it,
answer what the file does not say and send them through check your answers (where what the
file gave beyond the form shows: a UPRN, contacts' relationship codes, other phones and own
addresses, a third contact), then remove the pupils they do not need; axe on each page state.

Screenshots: test-artifacts/e2e/ctf-<step>.png.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cme.models import Role
from schools.models import JoinerReturn
from tests.e2e.conftest import AssertAccessible, Shot, SignIn
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.schools.ctf.files import ctf_bytes

pytestmark = pytest.mark.e2e

JOURNEY = "ctf"


def test_a_school_uploads_a_ctf_and_sends_a_pre_filled_joiner_return(
    sign_in: SignIn, shot: Shot, assert_accessible: AssertAccessible, tmp_path: Path
) -> None:
    school = SchoolFactory.create(urn=100001, name="Alder Primary School")
    previous = SchoolFactory.create(urn=100002, name="Birch Academy")
    staff = UserFactory.create(
        email="alice@alder.sch.uk", full_name="Alice Alder", role=Role.SCHOOL_STAFF
    )
    MembershipFactory.create(user=staff, school=school)
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(ctf_bytes("billion_laughs.xml"))
    joiners = tmp_path / "joiners.xml"
    joiners.write_bytes(
        ctf_bytes("joiners.xml").replace(
            b"</CTFpupilData>", _bad_upn_pupil() + _pupil_with_contacts() + b"</CTFpupilData>"
        )
    )

    page = sign_in(staff)
    page.get_by_role("button", name="Upload a common transfer file (CTF)").click()
    expect(page.locator("h1")).to_have_text("Upload a common transfer file")
    assert_accessible(page, "CTF upload")

    # A hostile file: refused with the GOV.UK error summary, focused, linked to the input.
    page.get_by_label("Upload a common transfer file (CTF)").set_input_files(str(bomb))
    page.get_by_role("button", name="Upload file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("document type declaration or entities")
    shot(page, JOURNEY, "01-upload-refused")
    assert_accessible(page, "CTF upload with an error")

    page.get_by_label("Upload a common transfer file (CTF)").set_input_files(str(joiners))
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator("h1")).to_have_text("Pupils in the common transfer file")
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems).to_contain_text("UPN A999200218003")
    expect(problems).to_contain_text("wrong check letter")
    expect(problems).to_contain_text("Pupil listed below")
    pupils = page.get_by_role("table", name="Pupils waiting for a return")
    expect(pupils.get_by_role("row")).to_have_count(5)  # the header and the four pupils
    expect(pupils.get_by_role("row", name="Lou Pennywhistle")).to_contain_text("Not in the file")
    shot(page, JOURNEY, "02-pupils")
    assert_accessible(page, "CTF pupils")

    page.get_by_role("button", name="Start joiner return for Ada Quillfeather").click()
    expect(page.locator("h1")).to_have_text("Tell us about a new pupil")
    expect(page.locator(".govuk-inset-text")).to_contain_text("filled in from the common transfer")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_label("First name")).to_have_value("Ada")
    expect(page.get_by_label("Last name")).to_have_value("Quillfeather")
    expect(page.locator("[name=upn]")).to_have_value("E999200119001")
    expect(page.locator("[name=date_of_birth_2]")).to_have_value("2016")
    expect(page.get_by_label("Address line 1")).to_have_value("Flat 2, 14 Example Road")
    expect(page.locator("[name=parent_1_name]")).to_have_value("Ms Bea Quillfeather")
    shot(page, JOURNEY, "03-pre-filled-form")
    assert_accessible(page, "pre-filled joiner form")

    # What a CTF does not say: the date the pupil was entered on this school's register.
    admitted = timezone.localdate() - timedelta(days=1)
    page.locator("[name=admission_date_0]").fill(str(admitted.day))
    page.locator("[name=admission_date_1]").fill(str(admitted.month))
    page.locator("[name=admission_date_2]").fill(str(admitted.year))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text("Check your answers")
    expect(page.get_by_text("Ms Bea Quillfeather")).to_be_visible()
    assert_accessible(page, "check your answers (CTF joiner)")
    page.get_by_role("button", name="Accept and send").click()

    expect(page.locator(".govuk-panel")).to_be_visible()
    shot(page, JOURNEY, "04-sent")
    saved = JoinerReturn.objects.get()
    assert (saved.first_name, saved.last_name, saved.upn) == (
        "Ada",
        "Quillfeather",
        "E999200119001",
    )
    assert saved.school == school
    assert saved.previous_school == previous
    assert saved.admission_date == admitted

    # The sent pupil has left the list; the others still wait.
    page.goto("/school/ctf/pupils/")
    pupils = page.get_by_role("table", name="Pupils waiting for a return")
    expect(pupils).not_to_contain_text("Ada Quillfeather")
    expect(pupils).to_contain_text("Theo Brindlecombe")

    # A pupil with three contacts, one with three phones, one with an address of his own.
    page.get_by_role("button", name="Start joiner return for Pip Thistlewood").click()
    expect(page.get_by_label("First name")).to_have_value("Pip")
    expect(page.locator("[name=parent_2_address]")).to_have_value(
        "22 Other Street, Southbank, Exampleton, EX9 9ZZ"
    )
    page.locator("[name=admission_date_0]").fill(str(admitted.day))
    page.locator("[name=admission_date_1]").fill(str(admitted.month))
    page.locator("[name=admission_date_2]").fill(str(admitted.year))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text("Check your answers")
    expect(
        page.get_by_role("heading", name="From the common transfer file", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("Mother (PAM)")).to_be_visible()
    expect(page.get_by_text("020 7946 0777 (W)")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Contact 3 from the common transfer file")
    ).to_be_visible()
    shot(page, JOURNEY, "05-check-structure")
    assert_accessible(page, "check your answers (CTF joiner with contacts)")
    page.get_by_role("button", name="Accept and send").click()
    expect(page.locator(".govuk-panel")).to_be_visible()
    pip = JoinerReturn.objects.get(last_name="Thistlewood")
    assert pip.address_uprn == "100023336956"
    assert [p.relationship_code for p in pip.parents.order_by("position")] == [
        "PAM",
        "PAF",
        "GRM",
    ]

    # Two returns sent; the other two pupils are not this school's joiners after all.
    page.goto("/school/ctf/pupils/")
    pupils = page.get_by_role("table", name="Pupils waiting for a return")
    expect(pupils.get_by_role("row")).to_have_count(3)
    page.get_by_role("button", name="Remove these pupils").click()
    expect(page.locator("h1")).to_have_text("Upload a common transfer file")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("nothing of the file")
    shot(page, JOURNEY, "06-removed")
    assert_accessible(page, "CTF upload after removing the pupils")
    assert JoinerReturn.objects.count() == 2


def _bad_upn_pupil() -> bytes:
    """A fictional pupil whose UPN has a wrong check letter (F999200218003 is right)."""
    return (
        b"<Pupil><UPN>A999200218003</UPN><Surname>Pennywhistle</Surname>"
        b"<Forename>Lou</Forename><DOB>2018-01-15</DOB><Sex>F</Sex></Pupil>"
    )


def _pupil_with_contacts() -> bytes:
    """The fictional pupil of contacts.xml (three contacts, UPRNs), as a <Pupil> element."""
    data = ctf_bytes("contacts.xml")
    return data[data.index(b"<Pupil>") : data.index(b"</CTFpupilData>")]
